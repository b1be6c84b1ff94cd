import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Adds one non-loaded section to a 64-bit little-endian ELF file (every Lambda target), in place: the program's
 * segments, code and addresses stay byte for byte as they are. Appended at the end: a copy of the section-name
 * table with the new name, the section's bytes, and a section header table with one more entry. The ELF header is
 * written last, so a write cut short leaves the file as it was plus bytes past its end that nothing reads.
 * The inode is kept (cargo hard-links its output into deps/).
 */
final class ElfAppend {
    private static final int SHDR = 64, SHT_PROGBITS = 1, SHN_LORESERVE = 0xff00;

    private ElfAppend() {}

    static void section(Path file, String name, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h.getInt(0) != 0x464c457f) throw new IOException("not an ELF file");
            if (h.get(4) != 2 || h.get(5) != 1) throw new IOException("only 64-bit little-endian ELF files get a section added");
            long shoff = h.getLong(0x28);
            int shentsize = Short.toUnsignedInt(h.getShort(0x3A)), shnum = Short.toUnsignedInt(h.getShort(0x3C));
            int shstrndx = Short.toUnsignedInt(h.getShort(0x3E));
            long size = ch.size();
            if (shoff <= 0 || shentsize != SHDR || shnum == 0 || shnum >= SHN_LORESERVE - 1 || shstrndx == 0 || shstrndx >= shnum
                    || shoff + (long) shnum * SHDR > size) {
                throw new IOException("its section header table is missing or not one this tool rewrites");
            }
            ByteBuffer table = read(ch, shoff, shnum * SHDR);
            int str = shstrndx * SHDR;
            long strOff = table.getLong(str + 24), strSize = table.getLong(str + 32);
            if (strOff < 0 || strSize < 0 || strSize > (16 << 20) || strOff + strSize > size) throw new IOException("its section-name table lies outside the file");
            byte[] added = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer names = ByteBuffer.allocate((int) strSize + added.length);
            names.put(read(ch, strOff, (int) strSize)).put(added).flip();

            long namesAt = size, dataAt = namesAt + names.remaining(), tableAt = (dataAt + data.length + 7) & ~7L;
            table.putLong(str + 24, namesAt).putLong(str + 32, names.remaining());
            ByteBuffer entry = ByteBuffer.allocate(SHDR).order(ByteOrder.LITTLE_ENDIAN);
            entry.putInt(0, (int) strSize).putInt(4, SHT_PROGBITS).putLong(24, dataAt).putLong(32, data.length).putLong(48, 1);
            write(ch, namesAt, names);
            write(ch, dataAt, ByteBuffer.wrap(data));
            write(ch, dataAt + data.length, ByteBuffer.allocate((int) (tableAt - dataAt - data.length)));
            write(ch, tableAt, table.rewind());
            write(ch, tableAt + (long) shnum * SHDR, entry);
            ch.force(false);
            h.putLong(0x28, tableAt).putShort(0x3C, (short) (shnum + 1));
            write(ch, 0, h.rewind());
            ch.force(false);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new IOException("truncated at byte " + (at + b.position()));
        }
        return b.flip();
    }

    private static void write(FileChannel ch, long at, ByteBuffer b) throws IOException {
        long p = at;
        while (b.hasRemaining()) p += ch.write(b, p);
    }
}
