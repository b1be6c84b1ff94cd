import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A zip's central directory as an unzip tool reads it: each entry's name, unix mode (the external attributes'
 * high half), DOS date and time, in the zip's own order. java.util.zip hides the modes, so they are read here;
 * every entry is also read through ZipInputStream, which checks each CRC.
 */
final class ZipListing {
    record Entry(String name, int mode, int dosDate, int dosTime, long size) {
        String modeOctal() {
            return Integer.toOctalString(mode);
        }
    }

    private ZipListing() {}

    static List<Entry> of(Path zip) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = b.limit() - 22;
        while (eocd >= 0 && b.getInt(eocd) != 0x06054b50) eocd--;
        if (eocd < 0) throw new IOException(zip + ": no end of central directory");
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        int p = b.getInt(eocd + 16);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (b.getInt(p) != 0x02014b50) throw new IOException(zip + ": bad central directory entry " + i);
            int time = Short.toUnsignedInt(b.getShort(p + 12)), date = Short.toUnsignedInt(b.getShort(p + 14));
            long size = Integer.toUnsignedLong(b.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(b.getShort(p + 28)), extra = Short.toUnsignedInt(b.getShort(p + 30)),
                    comment = Short.toUnsignedInt(b.getShort(p + 32));
            int mode = b.getInt(p + 38) >>> 16;
            byte[] name = new byte[nameLen];
            b.get(p + 46, name);
            out.add(new Entry(new String(name, StandardCharsets.UTF_8), mode, date, time, size));
            p += 46 + nameLen + extra + comment;
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return out;
    }

    static List<String> names(Path zip) throws IOException {
        return of(zip).stream().map(Entry::name).toList();
    }

    /** The bytes of one entry, read with java.util.zip. */
    static byte[] read(Path zip, String entry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(entry)) return in.readAllBytes();
            }
        }
        throw new IOException(zip + " has no entry " + entry);
    }
}
