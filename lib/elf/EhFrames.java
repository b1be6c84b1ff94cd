import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Function bounds from .eh_frame_hdr (PT_GNU_EH_FRAME), which stripped binaries keep for unwinding (or, without one, from
 * .eh_frame itself, record by record: GNU ld's static links have no header): its search table
 * lists each FDE's first address, and the FDE gives its length. Only the encodings lld and GNU ld write are read
 * (table: datarel sdata4; FDE: pcrel sdata4 start, 4-byte length); anything else adds nothing. Code without CFI
 * (most hand-written assembly) has no FDE: its bounds come from BL targets and the neighbours' ends.
 */
final class EhFrames {
    private static final int DW_EH_PE_DATAREL_SDATA4 = 0x3b, DW_EH_PE_UDATA4 = 0x03;
    private static final int MAX_FDES = 4_000_000;

    private EhFrames() {}

    /** Every FDE's {start, end}, in table order (by start); end is -1 where the FDE could not be read. */
    static List<long[]> read(ElfInfo info) throws IOException {
        List<long[]> fdes = new ArrayList<>();
        read(info, fdes);
        return fdes;
    }

    private static void read(ElfInfo info, List<long[]> fdes) throws IOException {
        long[] h = info.ehFrameHdr;
        if (h == null && info.ehFrame != null) {
            walk(info, fdes);
            return;
        }
        if (h == null || h[2] < 12 || h[1] < 0 || h[1] + h[2] > info.size || info.size > Integer.MAX_VALUE) return;
        try (FileChannel ch = FileChannel.open(info.path, StandardOpenOption.READ)) {
            ByteBuffer hdr = ch.map(FileChannel.MapMode.READ_ONLY, h[1], h[2]).order(ByteOrder.LITTLE_ENDIAN);
            if (hdr.get(0) != 1 || (hdr.get(2) & 0xff) != DW_EH_PE_UDATA4 || (hdr.get(3) & 0xff) != DW_EH_PE_DATAREL_SDATA4) return;
            long count = Integer.toUnsignedLong(hdr.getInt(8));
            if (count > MAX_FDES || 12 + count * 8 > h[2]) return;
            long delta = h[1] - h[0]; // .eh_frame sits in the same segment as its header
            ByteBuffer file = ch.map(FileChannel.MapMode.READ_ONLY, 0, info.size).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                long pc = h[0] + hdr.getInt(12 + 8 * i), at = h[0] + hdr.getInt(16 + 8 * i);
                long off = at + delta;
                boolean whole = off >= 0 && off + 16 <= info.size && file.getInt((int) off) != -1 && at + 8 + file.getInt((int) off + 8) == pc;
                fdes.add(new long[]{pc, whole ? pc + Integer.toUnsignedLong(file.getInt((int) off + 12)) : -1});
            }
        }
    }

    private static final int DW_EH_PE_PCREL_SDATA4 = 0x1b;

    /**
     * Without a header (GNU ld writes none for a static link unless asked): every record of .eh_frame in turn, each
     * FDE whose CIE gives its addresses as pcrel sdata4 (what GCC and Clang emit on arm64); sorted by start.
     */
    private static void walk(ElfInfo info, List<long[]> fdes) throws IOException {
        long[] e = info.ehFrame;
        if (e[1] < 0 || e[2] < 8 || e[2] > Integer.MAX_VALUE || e[1] + e[2] > info.size) return;
        try (FileChannel ch = FileChannel.open(info.path, StandardOpenOption.READ)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, e[1], e[2]).order(ByteOrder.LITTLE_ENDIAN);
            java.util.Map<Integer, Boolean> cies = new java.util.HashMap<>(); // CIE offset: FDEs use pcrel sdata4
            int at = 0, n = (int) e[2];
            while (at + 8 <= n && fdes.size() < MAX_FDES) {
                long len = Integer.toUnsignedLong(b.getInt(at));
                if (len == 0 || len == 0xFFFFFFFFL || len > n - at - 4) return; // the end, or 64-bit records (not written here)
                int body = at + 4, next = body + (int) len, id = b.getInt(body);
                if (id == 0) {
                    cies.put(at, pcrelSdata4(b, body + 4, next));
                } else if (Boolean.TRUE.equals(cies.get(body - id)) && body + 12 <= next) {
                    long pc = e[0] + body + 4 + b.getInt(body + 4);
                    fdes.add(new long[]{pc, pc + Integer.toUnsignedLong(b.getInt(body + 8))});
                }
                at = next;
            }
        } finally {
            fdes.sort((x, y) -> Long.compare(x[0], y[0]));
        }
    }

    /** Whether the CIE whose body (after its id) is [at, end) has augmentation "z...R..." with pcrel sdata4. */
    private static boolean pcrelSdata4(ByteBuffer b, int at, int end) {
        if (at >= end || b.get(at) != 1 && b.get(at) != 3) return false; // version
        int p = at + 1, aug = p;
        while (p < end && b.get(p) != 0) p++;
        String augmentation = new String(bytes(b, aug, p), java.nio.charset.StandardCharsets.US_ASCII);
        if (!augmentation.startsWith("z")) return false;
        p = skipLeb(b, skipLeb(b, p + 1, end), end); // code and data alignment
        p = b.get(at) == 1 ? p + 1 : skipLeb(b, p, end); // return register
        p = skipLeb(b, p, end); // augmentation data length
        for (int i = 1; i < augmentation.length() && p < end; i++) {
            switch (augmentation.charAt(i)) {
                case 'R': return (b.get(p) & 0xff) == DW_EH_PE_PCREL_SDATA4;
                case 'L': p++; break;
                case 'P': {
                    int enc = b.get(p) & 0xff, size = (enc & 7) == 3 ? 4 : (enc & 7) == 4 || enc == 0 ? 8 : (enc & 7) == 2 ? 2 : -1;
                    if (size < 0) return false;
                    p += 1 + size;
                    break;
                }
                case 'S': case 'B': break;
                default: return false;
            }
        }
        return false;
    }

    private static int skipLeb(ByteBuffer b, int p, int end) {
        while (p < end && (b.get(p) & 0x80) != 0) p++;
        return p + 1;
    }

    private static byte[] bytes(ByteBuffer b, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) out[i] = b.get(from + i);
        return out;
    }
}
