import java.io.IOException;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * verify-elf's --cpu: every word of an arm64 executable's code decoded (A64Features), the instructions the chosen
 * Graviton lacks found, and each one's function judged by the guard rule (CpuGuard): reached only after a test of a
 * value loaded from memory (runtime CPU detection: ring's and aws-lc's OPENSSL_armcap_P, std's
 * is_aarch64_feature_detected!) it is reported as guarded; otherwise it is an error.
 */
final class CpuCheck {
    /** The CPUs Lambda's arm64 runs on, with the decoded features each has (LLVM's processor definitions, AArch64Processors.td). */
    enum Cpu {
        NEOVERSE_N1("neoverse-n1", "Graviton2", ""),
        NEOVERSE_V1("neoverse-v1", "Graviton3", "sve sha3 sha512 sm4 fp16fml jsconv fcma pauth rcpc-immo flagm dit bf16 i8mm rand ccdp"),
        // Armv9.0-A (so Armv8.5-A's frintts, sb, altnzcv) with sve2, mte, rand, bf16, i8mm; sha3 and sha512 as
        // Graviton4 reports them (HWCAP sha3, sha512, svesha3), which LLVM leaves out as optional crypto.
        NEOVERSE_V2("neoverse-v2", "Graviton4", "sve sve2 sha3 sha512 fp16fml jsconv fcma pauth rcpc-immo flagm dit bf16 i8mm rand ccdp "
                + "fptoint sb altnzcv mte");

        final String llvm, graviton;
        final Set<A64Features.Feature> has;

        /** has: the decoded features (A64Features.Feature's LLVM names) beyond Armv8.2-A and N1's extensions. */
        Cpu(String llvm, String graviton, String has) {
            this.llvm = llvm;
            this.graviton = graviton;
            this.has = EnumSet.noneOf(A64Features.Feature.class);
            for (A64Features.Feature f : A64Features.Feature.values()) if ((" " + has + " ").contains(" " + f.llvm + " ")) this.has.add(f);
        }

        @Override
        public String toString() {
            return llvm + " (" + graviton + ")";
        }
    }

    static final String NAMES = "neoverse-n1 (Graviton2, the default for arm64), neoverse-v1 (Graviton3), neoverse-v2 (Graviton4) or none";

    /** --cpu: a CPU (neoverse-n1 without one, Lambda's oldest arm64), or null for none. */
    static Parsed<Cpu> parse(String value) {
        if (value == null) return Parsed.ok(Cpu.NEOVERSE_N1);
        if (value.equalsIgnoreCase("none")) return Parsed.ok(null);
        for (Cpu c : Cpu.values()) if (c.llvm.equalsIgnoreCase(value) || c.graviton.equalsIgnoreCase(value)) return Parsed.ok(c);
        return Parsed.bad("unknown --cpu '" + value + "' (use " + NAMES + ")");
    }

    /** The instructions one function holds that the CPU lacks, and whether it is guarded. */
    record Group(long start, long end, Map<A64Features.Feature, Integer> counts, long first, int word, A64Features.Needs needs,
                 boolean guarded, String evidence) {
        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        String bytes() {
            return String.format(Locale.ROOT, "%02x %02x %02x %02x", word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
        }

        String where() {
            return end == Long.MAX_VALUE ? "after " + A64Code.hex(start) : A64Code.hex(start) + "-" + A64Code.hex(end);
        }

        String json() {
            JsonWriter.Obj counts = new JsonWriter.Obj();
            this.counts.forEach((f, n) -> counts.put(f.llvm, n));
            return new JsonWriter.Obj().put("function", A64Code.hex(start)).put("function_end", end == Long.MAX_VALUE ? null : A64Code.hex(end))
                    .put("first", A64Code.hex(first)).put("bytes", bytes()).put("instruction", needs.what())
                    .put("feature", needs.feature().llvm).put("counts", counts).put("guarded", guarded)
                    .put("evidence", evidence).toString();
        }
    }

    /** What the check found in one file: the errors first, in address order, then the guarded functions. */
    /** words: decoded; data: words that decoded as such instructions but lie where no code flows (text strings, padding). */
    record Report(Cpu cpu, long words, long data, List<Group> groups) {
        List<Group> errors() {
            return groups.stream().filter(g -> !g.guarded).collect(Collectors.toList());
        }

        List<Group> guarded() {
            return groups.stream().filter(Group::guarded).collect(Collectors.toList());
        }

        /** The problem line for errors, or null. */
        String problem() {
            List<Group> bad = errors();
            if (bad.isEmpty()) return null;
            Group g = bad.get(0);
            int n = bad.stream().mapToInt(Group::total).sum();
            A64Features.Feature f = g.needs.feature();
            return "holds instructions " + cpu + " lacks: " + g.needs.what() + " (" + f.llvm + ") at " + A64Code.hex(g.first)
                    + " (bytes " + g.bytes() + ") in the function at " + g.where() + ", " + g.evidence
                    + (n > 1 ? "; " + n + " such instructions in " + bad.size() + (bad.size() == 1 ? " function" : " functions")
                    + " [" + summary(bad) + "]" : "")
                    + "; it would die with SIGILL (illegal instruction) on " + cpu.graviton + ": " + advice(f);
        }

        private String advice(A64Features.Feature f) {
            String flag = f == A64Features.Feature.SVE || f == A64Features.Feature.SVE2 || f == A64Features.Feature.SVE_LATER ? "target-feature=+sve/+sve2" : "target-feature=+" + f.llvm;
            String later = Cpu.NEOVERSE_V1.has.contains(f) ? ", or pass --cpu neoverse-v1 if it runs only on Graviton3 (Lambda's arm64 "
                    + "cannot be pinned to Graviton3: a function may run on Graviton2)" : "";
            return "rebuild without -C target-cpu=native or -C " + flag + " (C: without -march=... or -mcpu= above neoverse-n1), or call "
                    + "that code only after a CPU test (std::arch::is_aarch64_feature_detected!)" + later;
        }

        private static String summary(List<Group> gs) {
            Map<A64Features.Feature, Integer> all = new TreeMap<>();
            for (Group g : gs) g.counts.forEach((f, n) -> all.merge(f, n, Integer::sum));
            return all.entrySet().stream().map(e -> e.getKey().llvm + ": " + e.getValue()).collect(Collectors.joining(", "));
        }

        JsonWriter.Raw json() {
            return new JsonWriter.Raw(new JsonWriter.Obj().put("cpu", cpu.llvm).put("words", words).put("data_words", data).put("errors", errors().size())
                    .put("functions", new JsonWriter.Raw("[" + groups.stream().map(Group::json).collect(Collectors.joining(",")) + "]")).toString());
        }
    }

    private CpuCheck() {}

    /** Decodes info's code once; only when something is found does it index the code for the guard rule. */
    static Report run(ElfInfo info, Cpu cpu) throws IOException {
        A64Code code = A64Code.map(info);
        List<long[]> found = new ArrayList<>(); // {address, word}
        long words = 0;
        for (A64Code.Region r : code.regions) {
            IntBuffer b = r.words();
            int n = b.limit();
            words += n;
            for (int i = 0; i < n; i++) {
                int w = b.get(i);
                A64Features.Needs needs = A64Features.of(w);
                if (needs != null && !cpu.has.contains(needs.feature())) found.add(new long[]{r.vaddr() + 4L * i, w});
            }
        }
        List<Group> groups = new ArrayList<>();
        if (found.isEmpty()) return new Report(cpu, words, 0, groups);
        code.index(info);
        int before = found.size();
        found.removeIf(f -> !code.live(f[0]));
        long data = before - found.size();
        Map<Long, List<long[]>> byFunction = new LinkedHashMap<>();
        Map<Long, long[]> bounds = new LinkedHashMap<>();
        for (long[] f : found) {
            long[] fn = code.function(f[0]);
            byFunction.computeIfAbsent(fn[0], k -> new ArrayList<>()).add(f);
            bounds.put(fn[0], fn);
        }
        for (Map.Entry<Long, List<long[]>> e : byFunction.entrySet()) {
            long[] fn = bounds.get(e.getKey());
            Map<A64Features.Feature, Integer> counts = new TreeMap<>();
            for (long[] f : e.getValue()) counts.merge(A64Features.of((int) f[1]).feature(), 1, Integer::sum);
            long[] first = e.getValue().get(0);
            CpuGuard.Answer a = CpuGuard.judge(code, fn[0], fn[1]);
            if (!a.guarded()) {
                String inside = CpuGuard.inside(code, e.getValue().stream().map(f -> f[0]).collect(Collectors.toList()));
                if (inside != null) a = new CpuGuard.Answer(true, inside);
            }
            groups.add(new Group(fn[0], fn[1], counts, first[0], (int) first[1], A64Features.of((int) first[1]), a.guarded(), a.why()));
        }
        groups.sort((x, y) -> x.guarded != y.guarded ? (x.guarded ? 1 : -1) : Long.compare(x.first, y.first));
        return new Report(cpu, words, data, groups);
    }
}
