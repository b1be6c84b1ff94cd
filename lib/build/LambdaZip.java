import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A Lambda deployment zip, reproducibly: one entry `bootstrap`, unix mode 0755 in its external
 * attributes (java.util.zip cannot set those, so the few headers are written here), a fixed
 * timestamp (1980-01-01, or SOURCE_DATE_EPOCH), no extra fields, deflate level 9. The same binary
 * gives the same bytes, so CDK/CloudFormation asset hashes change only when the code does.
 */
final class LambdaZip {
    private LambdaZip() {}

    static final String ENTRY = "bootstrap";

    /** The DOS date and time for SOURCE_DATE_EPOCH (UTC), or 1980-01-01 00:00 when it is unset or out of range. */
    static int[] dosDateTime(String sourceDateEpoch) {
        LocalDateTime t = LocalDateTime.of(1980, 1, 1, 0, 0);
        if (sourceDateEpoch != null && sourceDateEpoch.matches("\\d{1,12}")) {
            LocalDateTime s = LocalDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch)), ZoneOffset.UTC);
            if (s.getYear() >= 1980 && s.getYear() <= 2107) t = s;
        }
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        return new int[]{date, time};
    }

    static void write(Path bootstrap, Path zip, String sourceDateEpoch) throws IOException {
        long size = Files.size(bootstrap);
        if (size >= 0xffffffffL) throw new IOException(bootstrap + " is 4 GiB or more; Lambda takes 250 MB unzipped");
        byte[] name = ENTRY.getBytes(StandardCharsets.US_ASCII);
        int[] dt = dosDateTime(sourceDateEpoch);
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            int localHeader = 30 + name.length;
            ch.position(localHeader);
            Deflater deflater = new Deflater(9, true);
            try (InputStream in = Files.newInputStream(bootstrap);
                 DeflaterOutputStream out = new DeflaterOutputStream(new ChannelOut(ch), deflater, 1 << 16)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } finally {
                deflater.end();
            }
            long compressed = ch.position() - localHeader;
            long cdOffset = ch.position();
            ByteBuffer cd = ByteBuffer.allocate(46 + name.length + 22).order(ByteOrder.LITTLE_ENDIAN);
            cd.putInt(0x02014b50).putShort((short) ((3 << 8) | 20)).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putShort((short) dt[1]).putShort((short) dt[0]).putInt((int) crc.getValue()).putInt((int) compressed)
                    .putInt((int) size).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0100755 << 16).putInt(0).put(name);
            cd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                    .putInt(46 + name.length).putInt((int) cdOffset).putShort((short) 0);
            ch.write(cd.flip());
            ByteBuffer lh = ByteBuffer.allocate(localHeader).order(ByteOrder.LITTLE_ENDIAN);
            lh.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putShort((short) dt[1])
                    .putShort((short) dt[0]).putInt((int) crc.getValue()).putInt((int) compressed).putInt((int) size)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            ch.write(lh.flip(), 0);
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final FileChannel ch;

        ChannelOut(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) ch.write(bb);
        }
    }
}
