import java.util.Locale;

/**
 * Decodes one A64 instruction word far enough to say which architecture feature it needs, for the features some
 * Graviton lacks (Arm ARM A64 encoding index; each class checked against llvm-objdump in CpuCheckTest). Everything
 * Armv8.2-A and Neoverse N1 have (base, Advanced SIMD, crc, aes, sha1, sha2, lse, rdm, fp16, dotprod, rcpc), every
 * hint-space instruction (PACIASP, AUTIASP, BTI: NOPs on a CPU without them) and every word this table does not know
 * answers null.
 */
final class A64Features {
    /** The features told apart, by the names LLVM and rustc use for them. */
    enum Feature {
        SVE("sve"), SVE2("sve2"), SVE_LATER("sve2p1"), SME("sme"), SHA3("sha3"), SHA512("sha512"), SM4("sm4"),
        FHM("fp16fml"), JSCVT("jsconv"), FCMA("fcma"), PAUTH("pauth"), RCPC2("rcpc-immo"), FLAGM("flagm"), DIT("dit"),
        BF16("bf16"), I8MM("i8mm"), RNG("rand"), CCDP("ccdp"), FRINTTS("fptoint"), SB("sb"), ALTNZCV("altnzcv"),
        MTE("mte"), LS64("ls64"), MOPS("mops"), CSSC("cssc"), HBC("hbc");

        final String llvm;

        Feature(String llvm) {
            this.llvm = llvm;
        }

        @Override
        public String toString() {
            return llvm;
        }
    }

    /** What one word needs: the instruction's name or class, and the feature. */
    record Needs(String what, Feature feature) {}

    private record Pattern(int mask, int value, String what, Feature feature) {}

    private static Pattern p(int mask, int value, String what, Feature f) {
        return new Pattern(mask, value, what, f);
    }

    /** Checked in order: a more specific pattern comes before a wider one that would also match. */
    private static final Pattern[] PATTERNS = {
            // Cryptographic three-register and four-register groups (0xCE......).
            p(0xFFE0F000, 0xCE608000, null, null), // SHA512H/H2/SU1 and RAX1, told apart below
            p(0xFFFFFC00, 0xCEC08000, "SHA512SU0", Feature.SHA512),
            p(0xFFE08000, 0xCE000000, "EOR3", Feature.SHA3),
            p(0xFFE08000, 0xCE200000, "BCAX", Feature.SHA3),
            p(0xFFE00000, 0xCE800000, "XAR", Feature.SHA3),
            p(0xFFE0F000, 0xCE60C000, "SM3PARTW1/SM3PARTW2/SM4EKEY", Feature.SM4),
            p(0xFFE08000, 0xCE400000, "SM3SS1", Feature.SM4),
            p(0xFFE0C000, 0xCE408000, "SM3TT*", Feature.SM4),
            p(0xFFFFFC00, 0xCEC08400, "SM4E", Feature.SM4),
            // Advanced SIMD and floating point.
            p(0xBFE0FC00, 0x0E20EC00, "FMLAL", Feature.FHM),
            p(0xBFE0FC00, 0x0EA0EC00, "FMLSL", Feature.FHM),
            p(0xBFE0FC00, 0x2E20CC00, "FMLAL2", Feature.FHM),
            p(0xBFE0FC00, 0x2EA0CC00, "FMLSL2", Feature.FHM),
            p(0xBFC0B400, 0x0F800000, "FMLAL/FMLSL (by element)", Feature.FHM),
            p(0xBFC0B400, 0x2F808000, "FMLAL2/FMLSL2 (by element)", Feature.FHM),
            p(0xFFFFFC00, 0x1E7E0000, "FJCVTZS", Feature.JSCVT),
            p(0xBF20E400, 0x2E00C400, "FCMLA", Feature.FCMA),
            p(0xBF20EC00, 0x2E00E400, "FCADD", Feature.FCMA),
            p(0xBF009400, 0x2F001000, "FCMLA (by element)", Feature.FCMA),
            p(0xFFBE7C00, 0x1E284000, "FRINT32Z/FRINT32X/FRINT64Z/FRINT64X", Feature.FRINTTS),
            p(0xBFBFEC00, 0x0E21E800, "FRINT32Z/FRINT64Z (vector)", Feature.FRINTTS),
            p(0xBFBFEC00, 0x2E21E800, "FRINT32X/FRINT64X (vector)", Feature.FRINTTS),
            p(0xFFFFFC00, 0x1E634000, "BFCVT", Feature.BF16),
            p(0xBFFFFC00, 0x0EA16800, "BFCVTN", Feature.BF16),
            p(0xBFE0FC00, 0x2E40FC00, "BFDOT", Feature.BF16),
            p(0xBFC0F400, 0x0F40F000, "BFDOT (by element)", Feature.BF16),
            p(0xFFE0FC00, 0x6E40EC00, "BFMMLA", Feature.BF16),
            p(0xBFE0FC00, 0x2EC0FC00, "BFMLALB/BFMLALT", Feature.BF16),
            p(0xBFC0F400, 0x0FC0F000, "BFMLALB/BFMLALT (by element)", Feature.BF16),
            p(0xFFE0FC00, 0x4E80A400, "SMMLA", Feature.I8MM),
            p(0xFFE0FC00, 0x6E80A400, "UMMLA", Feature.I8MM),
            p(0xFFE0FC00, 0x4E80AC00, "USMMLA", Feature.I8MM),
            p(0xBFE0FC00, 0x0E809C00, "USDOT", Feature.I8MM),
            p(0xBFC0F400, 0x0F00F000, "SUDOT (by element)", Feature.I8MM),
            p(0xBFC0F400, 0x0F80F000, "USDOT (by element)", Feature.I8MM),
            // Pointer authentication outside the hint space.
            p(0xFFFF8000, 0xDAC10000, "PAC*/AUT*/XPAC* (register)", Feature.PAUTH),
            p(0xFFE0FC00, 0x9AC03000, "PACGA", Feature.PAUTH),
            p(0xFE1FF800, 0xD61F0800, "BRA*/BLRA*/RETA*/ERETA*", Feature.PAUTH),
            p(0xFF200400, 0xF8200400, "LDRAA/LDRAB", Feature.PAUTH),
            // Loads and stores.
            p(0x3F200C00, 0x19000000, "LDAPUR*/STLUR*", Feature.RCPC2),
            p(0xFB200C00, 0x19000400, "CPY*/SET*", Feature.MOPS),
            p(0xFFFFFC00, 0xF83FD000, "LD64B", Feature.LS64),
            p(0xFFFFFC00, 0xF83F9000, "ST64B", Feature.LS64),
            p(0xFFE0EC00, 0xF820A000, "ST64BV/ST64BV0", Feature.LS64),
            p(0xFF200000, 0xD9200000, "STG/STZG/ST2G/STZ2G/LDG/STGM/LDGM", Feature.MTE),
            p(0xFE400000, 0x68000000, "STGP", Feature.MTE),
            p(0xFFE0F800, 0x9AC01000, "IRG/GMI", Feature.MTE),
            p(0xDFE0FC00, 0x9AC00000, "SUBP/SUBPS", Feature.MTE),
            p(0xBFC00000, 0x91800000, "ADDG/SUBG", Feature.MTE),
            // System: flags, barriers, system registers.
            p(0xFFFFFFFF, 0xD500401F, "CFINV", Feature.FLAGM),
            p(0xFFE07C10, 0xBA000400, "RMIF", Feature.FLAGM),
            p(0xFFFFBC1F, 0x3A00080D, "SETF8/SETF16", Feature.FLAGM),
            p(0xFFFFFFFF, 0xD500403F, "XAFLAG", Feature.ALTNZCV),
            p(0xFFFFFFFF, 0xD500405F, "AXFLAG", Feature.ALTNZCV),
            p(0xFFFFFFFF, 0xD50330FF, "SB", Feature.SB),
            p(0xFFFFF0FF, 0xD503405F, "MSR DIT, #imm", Feature.DIT),
            p(0xFFDFFFE0, 0xD51B42A0, "MSR/MRS DIT", Feature.DIT),
            p(0xFFFFFFC0, 0xD53B2400, "MRS RNDR/RNDRRS", Feature.RNG),
            p(0xFFFFFFE0, 0xD50B7D20, "DC CVADP", Feature.CCDP),
            p(0xFFFFF0FF, 0xD503407F, "SMSTART/SMSTOP", Feature.SME),
            p(0xFFDFFFE0, 0xD51B4240, "MSR/MRS SVCR", Feature.SME),
            // Armv8.9 common short sequences, Armv8.8 hinted conditional branch.
            p(0x7FFFF800, 0x5AC01800, "CTZ/CNT", Feature.CSSC),
            p(0x7FFFFC00, 0x5AC02000, "ABS", Feature.CSSC),
            p(0x7FF00000, 0x11C00000, "SMAX/SMIN/UMAX/UMIN (immediate)", Feature.CSSC),
            p(0x7FE0F000, 0x1AC06000, "SMAX/SMIN/UMAX/UMIN", Feature.CSSC),
            p(0xFF000010, 0x54000010, "BC.cond", Feature.HBC),
    };

    /** The patterns that can match, by a word's top byte: a handful per byte instead of all of them. */
    private static final Pattern[][] BY_TOP_BYTE = new Pattern[256][];

    static {
        for (int b = 0; b < 256; b++) {
            int top = b << 24;
            BY_TOP_BYTE[b] = java.util.Arrays.stream(PATTERNS).filter(p -> ((top ^ p.value) & p.mask & 0xFF000000) == 0).toArray(Pattern[]::new);
        }
    }

    private static final String[] SHA512_3REG = {"SHA512H", "SHA512H2", "SHA512SU1", "RAX1"};

    private A64Features() {}

    /** What the little-endian word w needs beyond Armv8.2-A with N1's extensions, or null. */
    static Needs of(int w) {
        int op1 = (w >>> 25) & 15;
        if (op1 == 0b0010) {
            int c = SveSpace.classOf(w);
            return c == SveSpace.SVE ? new Needs("SVE", Feature.SVE) : c == SveSpace.SVE2 ? new Needs("SVE2", Feature.SVE2)
                    : new Needs("SVE-space word that is neither SVE nor SVE2 (SVE2.1, SME or unallocated)", Feature.SVE_LATER);
        }
        if (op1 == 0 && w < 0) return new Needs("SME", Feature.SME);
        for (Pattern p : BY_TOP_BYTE[w >>> 24]) {
            if ((w & p.mask) != p.value) continue;
            if (p.feature != null) return new Needs(p.what, p.feature);
            int op = (w >>> 10) & 3;
            return new Needs(SHA512_3REG[op], op == 3 ? Feature.SHA3 : Feature.SHA512);
        }
        return null;
    }

    /** The word as objdump prints it: 8 hex digits. */
    static String hex(int w) {
        return String.format(Locale.ROOT, "%08x", w);
    }
}
