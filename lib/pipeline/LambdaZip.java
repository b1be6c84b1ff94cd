import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A Lambda deployment zip (a function's, or an extension's layer), reproducibly: entries sorted by name,
 * unix modes in their external attributes (0755 for executables and folders, 0644 for other files;
 * java.util.zip cannot set those, so the few headers are written here), one fixed timestamp (1980-01-01,
 * or SOURCE_DATE_EPOCH), no extra fields, deflate level 9. The same inputs give the same bytes, so
 * CDK/CloudFormation asset hashes change only when the code does.
 */
final class LambdaZip {
    private LambdaZip() {}

    static final String ENTRY = "bootstrap";

    /** One entry: a folder (name ends with '/', source null) or a file's bytes. */
    record Entry(String name, Path source, boolean executable) {
        static Entry folder(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", null, true);
        }

        boolean isFolder() {
            return source == null;
        }

        int mode() {
            return isFolder() ? 040755 : executable ? 0100755 : 0100644;
        }
    }

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

    /** A function's zip with its bootstrap alone. */
    static void write(Path bootstrap, Path zip, String sourceDateEpoch) throws IOException {
        write(List.of(new Entry(ENTRY, bootstrap, true)), zip, sourceDateEpoch);
    }

    /** Writes the entries, sorted by name (the order never depends on the file system's). */
    static void write(List<Entry> entries, Path zip, String sourceDateEpoch) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::name));
        if (sorted.size() > 0xffff) throw new IOException(sorted.size() + " entries: a zip without zip64 holds at most 65535");
        int[] dt = dosDateTime(sourceDateEpoch);
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (Entry e : sorted) {
                long offset = ch.position();
                if (offset >= 0xffffffffL) throw new IOException("the zip passes 4 GiB; Lambda takes 250 MB unzipped");
                byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                int localHeader = 30 + name.length;
                ch.position(offset + localHeader);
                CRC32 crc = new CRC32();
                long size = 0;
                if (!e.isFolder()) {
                    size = Files.size(e.source());
                    if (size >= 0xffffffffL) throw new IOException(e.source() + " is 4 GiB or more; Lambda takes 250 MB unzipped");
                    deflate(e.source(), ch, crc);
                }
                long compressed = ch.position() - offset - localHeader;
                long end = ch.position();
                // Folders are stored (method 0, version 1.0), files deflated (method 8, version 2.0); flag bit 11: a UTF-8 name.
                boolean ascii = name.length == e.name().length();
                short method = (short) (e.isFolder() ? 0 : 8), version = (short) (e.isFolder() ? 10 : 20), flags = (short) (ascii ? 0 : 0x0800);
                int crcValue = (int) crc.getValue();
                ByteBuffer lh = ByteBuffer.allocate(localHeader).order(ByteOrder.LITTLE_ENDIAN);
                lh.putInt(0x04034b50).putShort(version).putShort(flags).putShort(method).putShort((short) dt[1])
                        .putShort((short) dt[0]).putInt(crcValue).putInt((int) compressed).putInt((int) size)
                        .putShort((short) name.length).putShort((short) 0).put(name);
                ch.write(lh.flip(), offset);
                ch.position(end);
                ByteBuffer cd = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
                cd.putInt(0x02014b50).putShort((short) ((3 << 8) | 20)).putShort(version).putShort(flags).putShort(method)
                        .putShort((short) dt[1]).putShort((short) dt[0]).putInt(crcValue).putInt((int) compressed)
                        .putInt((int) size).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt((e.mode() << 16) | (e.isFolder() ? 0x10 : 0))
                        .putInt((int) offset).put(name);
                central.write(cd.array());
            }
            long cdOffset = ch.position();
            if (cdOffset >= 0xffffffffL) throw new IOException("the zip passes 4 GiB; Lambda takes 250 MB unzipped");
            ByteBuffer eocd = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            eocd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) sorted.size())
                    .putShort((short) sorted.size()).putInt(central.size()).putInt((int) cdOffset).putShort((short) 0);
            ch.write(ByteBuffer.wrap(central.toByteArray()));
            ch.write(eocd.flip());
        }
    }

    private static void deflate(Path source, FileChannel ch, CRC32 crc) throws IOException {
        Deflater deflater = new Deflater(9, true);
        try (InputStream in = Files.newInputStream(source);
             DeflaterOutputStream out = new DeflaterOutputStream(new ChannelOut(ch), deflater, 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } finally {
            deflater.end();
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
