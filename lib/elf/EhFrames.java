import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Function bounds from .eh_frame_hdr (PT_GNU_EH_FRAME), which stripped binaries keep for unwinding: its search table
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
}
