import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An executable's A64 code, mapped once, with what the CPU check's guard rule needs: where functions start (the
 * .eh_frame_hdr table, the ends of the FDEs it points to, every BL target) and every direct way into code (B, BL,
 * B.cond, CBZ/CBNZ, TBZ/TBNZ, ADR and ADRP+ADD), by target.
 */
final class A64Code {
    /** One executable range: its address and its words. */
    record Region(long vaddr, IntBuffer words) {
        long end() {
            return vaddr + 4L * words.limit();
        }
    }

    final List<Region> regions = new ArrayList<>();
    private long[] starts = new long[0];
    /** One bit per code word: set where a direct branch (not ADR/ADRP) lands. */
    private long[] branchTargets = new long[0];
    /** The FDEs' starts (sorted) and ends (-1: unknown): compiled code, never data. */
    private long[] fdeStart = new long[0], fdeEnd = new long[0];
    /** Direct references, each (target - base) << 32 | (site - base), sorted (so by target). */
    private long[] packedRefs = new long[0];
    /** The IFUNC resolvers (the addends of R_AARCH64_IRELATIVE relocations), sorted. */
    private long[] resolvers = new long[0];
    private long base;

    private A64Code() {}

    /** Maps the code ranges of info (one mapping per range; nothing is copied). */
    static A64Code map(ElfInfo info) throws IOException {
        A64Code c = new A64Code();
        try (FileChannel ch = FileChannel.open(info.path, StandardOpenOption.READ)) {
            for (long[] r : info.code) {
                long size = Math.min(r[2], info.size - r[1]) & ~3L;
                if (r[1] < 0 || size <= 0 || size > Integer.MAX_VALUE || (r[0] & 3) != 0) continue;
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, r[1], size);
                c.regions.add(new Region(r[0], m.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer()));
            }
        }
        return c;
    }

    /** The word at vaddr, or 0 (UDF, never a branch or a load) outside the code. */
    int word(long vaddr) {
        for (Region r : regions) {
            if (vaddr >= r.vaddr && vaddr < r.end() && (vaddr & 3) == 0) return r.words.get((int) ((vaddr - r.vaddr) >> 2));
        }
        return 0;
    }

    /**
     * Builds the function starts and the reference index: one more pass over the code, done only when something was
     * found. The branch targets and the call targets are bits over the code's words and the references are put in
     * order by counting them per target word: sorting a few hundred thousand longs took most of this (C1 compiles the
     * scripts), and a code span is at most Lambda's 250 MB.
     */
    void index(ElfInfo info) throws IOException {
        base = regions.stream().mapToLong(Region::vaddr).min().orElse(0);
        long span = regions.stream().mapToLong(Region::end).max().orElse(0) - base;
        if (span <= 0 || span > MAX_SPAN) return;
        int slots = (int) (span >>> 2);
        long[] calls = new long[(slots >>> 6) + 1], branches = new long[(slots >>> 6) + 1];
        Longs s = new Longs(), refs = new Longs();
        for (Region r : regions) s.add(r.vaddr);
        List<long[]> fdes = EhFrames.read(info);
        fdes.sort((x, y) -> Long.compare(x[0], y[0]));
        fdeStart = fdes.stream().mapToLong(f -> f[0]).toArray();
        fdeEnd = fdes.stream().mapToLong(f -> f[1]).toArray();
        for (long[] f : fdes) {
            s.add(f[0]);
            if (f[1] >= 0) s.add(f[1]);
        }
        resolvers = irelative(info);
        for (long r : resolvers) s.add(r);
        List<Region> inOrder = new ArrayList<>(regions);
        inOrder.sort((x, y) -> Long.compare(x.vaddr, y.vaddr));
        for (Region r : inOrder) {
            int count = r.words.limit();
            for (int i = 0; i < count; i++) {
                int w = r.words.get(i);
                long pc = r.vaddr + 4L * i;
                long t = target(w, pc);
                if (t == NONE && (w & 0x9F000000) == 0x90000000) {
                    int j = pairedAdd(r.words, i);
                    if (j >= 0) t = adrpAdd(w, r.words.get(j), pc);
                }
                if (t == NONE || t < base || t - base >= span) continue;
                refs.add((t - base) << 32 | (pc - base));
                int slot = (int) ((t - base) >>> 2);
                if ((w & 0xFC000000) == 0x94000000) calls[slot >>> 6] |= 1L << slot; // BL: a function starts there
                if ((w & 0x1F000000) != 0x10000000) branches[slot >>> 6] |= 1L << slot; // not ADR/ADRP
            }
        }
        starts = merge(s.sorted(), calls);
        branchTargets = branches;
        packedRefs = byTarget(refs, slots);
    }

    /** A code span beyond Lambda's 250 MB (unzipped) limit is not indexed. */
    static final long MAX_SPAN = 250L << 20;

    /** The sorted values and the addresses of the bits set (base + 4 * bit), in order, each once. */
    private long[] merge(long[] sorted, long[] bits) {
        Longs out = new Longs();
        int i = 0;
        for (int k = 0; k < bits.length; k++) {
            for (long b = bits[k]; b != 0; b &= b - 1) {
                long a = base + 4L * (64L * k + Long.numberOfTrailingZeros(b));
                while (i < sorted.length && sorted[i] < a) out.add(sorted[i++]);
                if (i < sorted.length && sorted[i] == a) i++;
                out.add(a);
            }
        }
        while (i < sorted.length) out.add(sorted[i++]);
        return Arrays.copyOf(out.a, out.n);
    }

    /**
     * The packed references ((target - base) << 32 | (site - base)) in ascending order: counted into place by target
     * word, then the few out of order within one word (ADR's byte addresses, sites in pass order) put right.
     */
    private static long[] byTarget(Longs refs, int slots) {
        int[] at = new int[slots + 1];
        for (int i = 0; i < refs.n; i++) at[(int) (refs.a[i] >>> 34) + 1]++;
        for (int k = 0; k < slots; k++) at[k + 1] += at[k];
        long[] out = new long[refs.n];
        for (int i = 0; i < refs.n; i++) out[at[(int) (refs.a[i] >>> 34)]++] = refs.a[i];
        for (int i = 1; i < out.length; i++) {
            long v = out[i];
            int j = i - 1;
            for (; j >= 0 && out[j] > v; j--) out[j + 1] = out[j];
            out[j + 1] = v;
        }
        return out;
    }

    /** Whether a direct branch (not ADR/ADRP) targets vaddr. */
    private boolean branchTarget(long vaddr) {
        if (vaddr < base || (vaddr & 3) != 0) return false;
        long slot = (vaddr - base) >>> 2;
        return slot >>> 6 < branchTargets.length && (branchTargets[(int) (slot >>> 6)] & 1L << slot) != 0;
    }

    static final int R_AARCH64_IRELATIVE = 1032;
    private static final int MAX_RELOCS = 1 << 20;

    /**
     * The IFUNC resolvers of a static executable: each R_AARCH64_IRELATIVE relocation's addend is a function the
     * start-up code calls with the CPU's HWCAP bits, whose answer (one of several implementations) is stored in the GOT.
     */
    private static long[] irelative(ElfInfo info) throws IOException {
        Longs out = new Longs();
        try (FileChannel ch = FileChannel.open(info.path, StandardOpenOption.READ)) {
            for (long[] r : info.relas) {
                long size = r[1] - r[1] % 24;
                if (r[0] < 0 || size <= 0 || size / 24 > MAX_RELOCS || r[0] + size > info.size) continue;
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, r[0], size).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i + 24 <= size; i += 24) {
                    if ((int) b.getLong(i + 8) == R_AARCH64_IRELATIVE) out.add(b.getLong(i + 16));
                }
            }
        }
        return out.sorted();
    }

    /** Whether a function starting at start is an IFUNC resolver (named by an R_AARCH64_IRELATIVE relocation). */
    boolean resolver(long start) {
        return Arrays.binarySearch(resolvers, start) >= 0;
    }

    /** A growable long[]. */
    private static final class Longs {
        long[] a = new long[1024];
        int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        /** The values in order, each once. */
        long[] sorted() {
            long[] out = Arrays.copyOf(a, n);
            Arrays.sort(out);
            int k = 0;
            for (int i = 0; i < out.length; i++) if (k == 0 || out[i] != out[k - 1]) out[k++] = out[i];
            return Arrays.copyOf(out, k);
        }
    }

    static final long NONE = Long.MIN_VALUE;

    /** The target of a direct branch (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ) or of ADR, else NONE. */
    static long target(int w, long pc) {
        if ((w & 0x7C000000) == 0x14000000) return pc + ((long) (w << 6) >> 4);                 // B, BL: imm26
        if ((w & 0xFF000010) == 0x54000000 || (w & 0x7E000000) == 0x34000000) {
            return pc + ((long) ((w >> 5) << 13) >> 11);                                            // B.cond, CBZ/CBNZ: imm19
        }
        if ((w & 0x7E000000) == 0x36000000) return pc + ((long) ((w >> 5) << 18) >> 16);            // TBZ/TBNZ: imm14
        if ((w & 0x9F000000) == 0x10000000) return pc + (((long) ((w >> 5) << 13) >> 11) | ((w >>> 29) & 3)); // ADR
        return NONE;
    }

    static final int ADRP_REACH = 4;

    /**
     * The index of the ADD (immediate) that completes the ADRP at words[i]: within the next ADRP_REACH words (compilers
     * interleave two ADRPs and their ADDs), before anything else writes (or stores) its register; -1 without one.
     */
    static int pairedAdd(IntBuffer words, int i) {
        int adrp = words.get(i);
        for (int j = i + 1; j < words.limit() && j <= i + ADRP_REACH; j++) {
            int next = words.get(j);
            if ((next & 0xFFC00000) == 0x91000000 && ((next >> 5) & 31) == (adrp & 31)) return j;
            if ((next & 31) == (adrp & 31)) return -1;
        }
        return -1;
    }

    /** The address of the ADD that completes the ADRP at site (pairedAdd), or NONE. */
    long pairedAdd(long site) {
        for (Region r : regions) {
            if (site < r.vaddr || site >= r.end() || (site & 3) != 0) continue;
            int i = (int) ((site - r.vaddr) >> 2), j = pairedAdd(r.words, i);
            return j < 0 ? NONE : r.vaddr + 4L * j;
        }
        return NONE;
    }

    /** ADRP and the ADD (immediate) of its register pairedAdd found: the address they make. */
    private static long adrpAdd(int adrp, int add, long pc) {
        long page = ((long) ((adrp >> 5) << 13) >> 11 | ((adrp >>> 29) & 3)) << 12;
        return (pc & ~0xFFFL) + page + ((add >>> 10) & 0xFFF);
    }

    /**
     * Whether vaddr holds code rather than data in the text (assembly's strings and tables, padding): inside an FDE
     * (compiled code), or reached walking back, before any unconditional B, BR, RET or zero word, at a branch target,
     * an FDE's start or the region's start.
     */
    boolean live(long vaddr) {
        int k = Arrays.binarySearch(fdeStart, vaddr);
        if (k < 0) k = -k - 2;
        if (k >= 0 && vaddr < fdeEnd[k]) return true;
        for (Region r : regions) {
            if (vaddr < r.vaddr || vaddr >= r.end()) continue;
            for (long p = vaddr; p >= r.vaddr && p > vaddr - 4L * MAX_WALK; p -= 4) {
                if (p == r.vaddr || branchTarget(p) || Arrays.binarySearch(fdeStart, p) >= 0) return true;
                if (terminator(word(p - 4))) return false;
            }
            return true;
        }
        return false;
    }

    private static final int MAX_WALK = 1 << 16;

    /** B, BR, RET, ERET and a zero word (UDF #0: padding): nothing falls through past one. */
    static boolean terminator(int w) {
        return (w & 0xFC000000) == 0x14000000 || (w & 0xFFFFFC1F) == 0xD61F0000 || (w & 0xFFFFFC1F) == 0xD65F0000 || w == 0xD69F03E0 || w == 0;
    }

    static boolean conditional(int w) {
        return (w & 0xFF000010) == 0x54000000 || (w & 0x7E000000) == 0x34000000 || (w & 0x7E000000) == 0x36000000;
    }

    /** The function holding vaddr: [start, end) between two known starts. */
    long[] function(long vaddr) {
        int k = Arrays.binarySearch(starts, vaddr);
        if (k < 0) k = -k - 2;
        long start = k >= 0 ? starts[k] : vaddr, end = k + 1 < starts.length ? starts[k + 1] : Long.MAX_VALUE;
        return new long[]{start, end};
    }

    /** The sites of every direct reference into [start, end) from outside it. */
    List<Long> entries(long start, long end) {
        List<Long> out = new ArrayList<>();
        for (int k = firstRef(start); k < packedRefs.length && base + (packedRefs[k] >>> 32) < end; k++) {
            long site = base + (packedRefs[k] & 0xFFFFFFFFL);
            if (site < start || site >= end) out.add(site);
        }
        return out;
    }

    /** The sites of conditional branches to exactly t (a block a test jumps to). */
    List<Long> conditionalsTo(long t) {
        List<Long> out = new ArrayList<>();
        for (int k = firstRef(t); k < packedRefs.length && base + (packedRefs[k] >>> 32) == t; k++) {
            long site = base + (packedRefs[k] & 0xFFFFFFFFL);
            if (conditional(word(site))) out.add(site);
        }
        return out;
    }

    /** The index of the first reference whose target is at or after t. */
    private int firstRef(long t) {
        if (t < base) return 0;
        int k = Arrays.binarySearch(packedRefs, (t - base) << 32);
        return k < 0 ? -k - 1 : k;
    }

    static String hex(long a) {
        return "0x" + Long.toHexString(a).toLowerCase(Locale.ROOT);
    }

    /** Memo for guard answers by function start. */
    final Map<Long, String> guardMemo = new HashMap<>();
}
