import java.util.List;

/**
 * The guard rule: a function holding instructions the CPU lacks is guarded when code reaches it only right after a
 * test of a value loaded from memory, the shape runtime CPU detection compiles to (`if (OPENSSL_armcap_P &
 * ARMV8_SHA512) sha512_block_data_order_hw(...)` in ring and aws-lc, `if is_aarch64_feature_detected!("sve")` in Rust):
 *  - it has at least one direct reference (B, BL, a conditional branch, ADR or ADRP+ADD of an address inside it) from
 *    outside it, and for each one
 *  - a conditional branch (CBZ/CBNZ/TBZ/TBNZ, or B.cond after TST/ANDS/CMP/SUBS/ADDS) within WINDOW instructions before
 *    the reference in the straight run of code that falls into it (no RET, B or BR between, inside the same function),
 *    or jumping into that run, tests a register that a load (LDR*, LDAR*, LDAPR*) wrote within TRACE instructions
 *    before the test (through AND, UBFM/LSR or a register MOV, in straight code too), or it is an address (ADR,
 *    ADRP+ADD) that a CSEL within WINDOW instructions picks on the flags of a test of a loaded value, or
 *  - the referring function is an IFUNC resolver (an R_AARCH64_IRELATIVE relocation names it: glibc's memcpy and memset
 *    pick their SVE or MTE variants that way, from the HWCAP bits the start-up code passes), or
 *  - the referring function is guarded itself (up to DEPTH callers up).
 * A function reached only through a pointer held in data has no such reference and is not guarded.
 * A function that is not guarded so is still guarded when each of its instructions beyond the CPU is itself within
 * WINDOW instructions after such a test inside the function (or after one of those instructions that is): the shape
 * of glibc's malloc, which tags memory (MTE) only `if (mtag_enabled)`; and libgcc's unwinder's CNTD for SVE's VG
 * register (unwinderVg) counts as guarded too.
 */
final class CpuGuard {
    static final int WINDOW = 24, TRACE = 12, DEPTH = 3;

    record Answer(boolean guarded, String why) {}

    private CpuGuard() {}

    static Answer judge(A64Code code, long start, long end) {
        return judge(code, start, end, DEPTH);
    }

    private static Answer judge(A64Code code, long start, long end, int depth) {
        String memo = code.guardMemo.get(start);
        if (memo != null) return memo.startsWith("+") ? new Answer(true, memo.substring(1)) : new Answer(false, memo.substring(1));
        code.guardMemo.put(start, "-reached through a cycle of calls without a CPU test");
        List<Long> entries = code.entries(start, end);
        Answer a;
        if (entries.isEmpty()) {
            a = new Answer(false, "never called or jumped to directly (reached through a pointer, or from code not decoded), so no CPU test is seen");
        } else {
            String first = null;
            a = null;
            for (long site : entries) {
                String t = tested(code, site);
                long[] caller = code.function(site);
                if (t == null && code.resolver(caller[0])) t = "chosen by the IFUNC resolver at " + A64Code.hex(caller[0]);
                if (t == null && depth > 0) {
                    Answer up = judge(code, caller[0], caller[1], depth - 1);
                    if (up.guarded()) t = "from " + A64Code.hex(site) + " in the function at " + A64Code.hex(caller[0]) + ", which is guarded";
                }
                if (t == null) {
                    a = new Answer(false, "reached from " + A64Code.hex(site) + " without a CPU test before it");
                    break;
                }
                if (first == null) first = t;
            }
            if (a == null) a = new Answer(true, entries.size() + (entries.size() == 1 ? " reference" : " references")
                    + " into it, each after a test of a loaded value (" + first + ")");
        }
        code.guardMemo.put(start, (a.guarded() ? "+" : "-") + a.why());
        return a;
    }

    /** Evidence that every instruction at found (addresses, in order, in one function) is tested inside it, or null. */
    static String inside(A64Code code, List<Long> found) {
        String first = null;
        long prev = A64Code.NONE;
        for (long at : found) {
            String t = unwinderVg(code, at) ? "libgcc's unwinder reading DWARF register 46 (VG) at " + A64Code.hex(at) : tested(code, at);
            if (t == null && prev != A64Code.NONE && at - prev <= 4L * WINDOW) t = "after the one at " + A64Code.hex(prev);
            if (t == null) return null;
            if (first == null) first = t;
            prev = at;
        }
        return (found.size() == 1 ? "its one instruction beyond the CPU comes" : "each of its " + found.size() + " instructions beyond the CPU comes")
                + " after a test of a loaded value inside it (" + first + ")";
    }

    /**
     * libgcc's unwinder (linked into every static glibc program) answers DWARF register 46, SVE's VG, with CNTD:
     * `cmp wN, #46; b.eq L; ... L: cntd x0`. Only the CFI of SVE code names that register, so it runs only where SVE is.
     */
    static boolean unwinderVg(A64Code code, long at) {
        if ((code.word(at) & 0xFFFFFFE0) != 0x04E0E3E0) return false; // CNTD Xd
        for (long b : code.conditionalsTo(at)) {
            int w = code.word(b), cmp = code.word(b - 4);
            // B.EQ after CMP Wn, #46 (SUBS WZR, Wn, #46)
            if ((w & 0xFF00001F) == 0x54000000 && (cmp & 0xFFFFFC1F) == (0x7100001F | 46 << 10)) return true;
        }
        return false;
    }

    /** Evidence that the reference at site follows a test of a loaded value, or null. */
    static String tested(A64Code code, long site) {
        String picked = selected(code, site);
        if (picked != null) return picked;
        long from = Math.max(site - 4L * WINDOW, code.function(site)[0]); // within the function holding site
        long p = site - 4;
        for (; p >= from; p -= 4) {
            int w = code.word(p);
            if (A64Code.terminator(w)) break; // code before a RET or B does not fall through to site
            String e = loadedTest(code, p, w);
            if (e != null) return e;
        }
        for (long t = site; t > p; t -= 4) { // a conditional branch into the straight run before site
            for (long b : code.conditionalsTo(t)) {
                String e = loadedTest(code, b, code.word(b));
                if (e != null) return e;
            }
        }
        return null;
    }

    /** If the word w at p is a conditional branch on a value loaded shortly before: which and where. */
    private static String loadedTest(A64Code code, long p, int w) {
        if (!A64Code.conditional(w)) return null;
        if ((w & 0x7C000000) == 0x34000000) return traced(code, p, p, w & 31, (w & 0x02000000) != 0 ? "TBZ/TBNZ" : "CBZ/CBNZ");
        return onFlags(code, p, "B.cond");
    }

    /** The instruction at p reads the flags: whether a test (TST, CMP, ...) shortly before set them from a loaded value. */
    private static String onFlags(A64Code code, long p, String how) {
        for (long q = p - 4; q >= p - 16; q -= 4) {
            int x = code.word(q);
            if (A64Code.terminator(x)) return null;
            if (flagSetting(x)) return traced(code, p, q, (x >>> 5) & 31, how);
        }
        return null;
    }

    /** Whether reg, as read at `at` (by the test at p), was loaded within TRACE instructions before, in straight code. */
    private static String traced(A64Code code, long p, long at, int reg, String how) {
        for (long q = at - 4; q >= at - 4L * TRACE; q -= 4) {
            int x = code.word(q);
            if (A64Code.terminator(x)) return null;
            if ((x & 31) != reg) continue;
            if (load(x)) return how + " at " + A64Code.hex(p) + " on the value loaded at " + A64Code.hex(q);
            if ((x & 0x7F800000) == 0x12000000 || (x & 0x7F800000) == 0x53000000) reg = (x >>> 5) & 31;  // AND imm, UBFM
            else if ((x & 0x7FE0FFE0) == 0x2A0003E0) reg = (x >>> 16) & 31;                                // MOV (ORR Rd, ZR, Rm)
            else return null;                                                                               // something else wrote it
        }
        return null;
    }

    /**
     * An address made at site (ADR, or ADRP and its ADD) that a CSEL picks, or drops, on the flags of a test of a
     * loaded value: how aws-lc fills its table of entropy sources (`tst w9, #ARMV8_RNG; csel x9, x10, x11, eq`).
     */
    static String selected(A64Code code, long site) {
        int w = code.word(site), reg = -1;
        long from = site;
        if ((w & 0x9F000000) == 0x10000000) {
            reg = w & 31; // ADR
        } else if ((w & 0x9F000000) == 0x90000000 && (from = code.pairedAdd(site)) != A64Code.NONE) {
            reg = code.word(from) & 31; // the ADD's destination
        }
        if (reg < 0) return null;
        for (long q = from + 4; q <= from + 4L * WINDOW; q += 4) {
            int x = code.word(q);
            if (A64Code.terminator(x)) return null;
            if ((x & 0x7FE00C00) == 0x1A800000 && (((x >>> 5) & 31) == reg || ((x >>> 16) & 31) == reg)) return onFlags(code, q, "CSEL");
        }
        return null;
    }

    /** TST/ANDS (immediate or register), CMP/SUBS and CMN/ADDS (immediate or register). */
    private static boolean flagSetting(int x) {
        return (x & 0x7F800000) == 0x72000000 || (x & 0x7F200000) == 0x6A000000 || (x & 0x7F800000) == 0x71000000
                || (x & 0x7F800000) == 0x31000000 || (x & 0x7F200000) == 0x6B000000 || (x & 0x7F200000) == 0x2B000000;
    }

    /** A load of a general-purpose register: LDR/LDRB/LDRH/LDRS* (any addressing), LDR literal, LDAR*, LDAPR*. */
    private static boolean load(int x) {
        return (x & 0x3FC00000) == 0x39400000 || (x & 0x3F800000) == 0x39800000       // unsigned offset: LDR*, LDRS*
                || (x & 0x3FE00000) == 0x38400000 || (x & 0x3F800000) == 0x38800000 && (x & 0x00200000) == 0 // unscaled, pre, post
                || (x & 0x3FE00C00) == 0x38600800 || (x & 0x3FA00C00) == 0x38A00800   // register offset
                || (x & 0xBF000000) == 0x18000000                                     // literal
                || (x & 0x3FFFFC00) == 0x08DFFC00 || (x & 0x3FFFFC00) == 0x38BFC000;   // LDAR*, LDAPR*
    }
}
