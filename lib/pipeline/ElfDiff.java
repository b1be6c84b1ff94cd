import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where two builds of a binary part: the first differing byte, and the ELF section (or header) that holds it. */
final class ElfDiff {
    private ElfDiff() {}

    /** recorded: the binary the manifest lists, compared only while it is still the one it recorded (sha256). */
    static String firstDifference(Path recorded, Path rebuilt, String recordedSha) {
        try {
            if (!Files.isRegularFile(recorded) || !Manifest.sha256(recorded).equals(recordedSha)) {
                return "the recorded binary is no longer in place to compare byte by byte";
            }
            byte[] a = Files.readAllBytes(recorded), b = Files.readAllBytes(rebuilt);
            int n = Math.min(a.length, b.length), i = 0;
            while (i < n && a[i] == b[i]) i++;
            return "first difference at byte 0x" + Long.toHexString(i) + " (" + where(a, i) + ")";
        } catch (IOException e) {
            return "cannot compare: " + e.getMessage();
        }
    }

    /** The name of the section holding file offset off in a 64-bit little-endian ELF file, or which header. */
    static String where(byte[] elf, long off) {
        try {
            ByteBuffer h = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            if (elf.length < 64 || elf[4] != 2 || elf[5] != 1) return "not a 64-bit little-endian ELF file";
            if (off < 64) return "the ELF header";
            long phoff = h.getLong(32), shoff = h.getLong(40);
            int phentsize = h.getShort(54) & 0xffff, phnum = h.getShort(56) & 0xffff;
            int shentsize = h.getShort(58) & 0xffff, shnum = h.getShort(60) & 0xffff, shstrndx = h.getShort(62) & 0xffff;
            if (off >= phoff && off < phoff + (long) phentsize * phnum) return "the program headers";
            if (shoff > 0 && off >= shoff && off < shoff + (long) shentsize * shnum) return "the section headers";
            long strOff = shstrndx < shnum ? h.getLong((int) (shoff + (long) shstrndx * shentsize + 24)) : -1;
            for (int s = 0; s < shnum; s++) {
                int at = (int) (shoff + (long) s * shentsize);
                int type = h.getInt(at + 4);
                long sOff = h.getLong(at + 24), size = h.getLong(at + 32);
                if (type == 8 || size == 0 || off < sOff || off >= sOff + size) continue; // 8: SHT_NOBITS holds no bytes
                return "section " + name(elf, strOff, h.getInt(at));
            }
            return "between sections";
        } catch (IndexOutOfBoundsException e) {
            return "a truncated ELF file";
        }
    }

    private static String name(byte[] elf, long strOff, int index) {
        if (strOff < 0) return "?";
        int start = (int) (strOff + index), end = start;
        while (end < elf.length && elf[end] != 0) end++;
        return new String(elf, start, end - start, StandardCharsets.US_ASCII);
    }
}
