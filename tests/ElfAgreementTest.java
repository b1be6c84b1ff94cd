import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * verify-elf must describe every real ELF file the way `file` (5.44) does: class, byte order, type,
 * machine, linkage, interpreter, debug info and strippedness. `file` runs once over all samples.
 */
@org.junit.jupiter.api.Tag("fast")
class ElfAgreementTest {
    private static ElfSamples samples;
    /** path -> what `file` prints for it (a setuid/setgid/sticky word may come first). */
    private static Map<Path, String> fileSays;
    private static Map<Path, ElfInfo> weSay;

    @BeforeAll
    static void describeEverySample() throws Exception {
        samples = ElfSamples.get();
        List<Path> all = samples.all();
        List<String> cmd = new ArrayList<>(List.of("file", "-N", "-F", "\t", "--"));
        for (Path p : all) cmd.add(p.toString());
        Proc p = Proc.run(Repo.ROOT, Map.of("LC_ALL", "C"), cmd, 600);
        assertEquals(0, p.exit, "file failed: " + p);
        Map<String, String> byName = new LinkedHashMap<>();
        for (String line : p.out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) byName.put(line.substring(0, tab), line.substring(tab + 1).trim());
        }
        fileSays = new LinkedHashMap<>();
        weSay = new LinkedHashMap<>();
        for (Path f : all) {
            String said = byName.get(f.toString());
            assertNotNull(said, "file printed nothing for " + f + "\n" + p.out);
            fileSays.put(f, said);
            weSay.put(f, ElfReader.read(f));
        }
    }

    private static final Pattern HEAD = Pattern.compile(
            "^(?:(?:setuid|setgid|sticky) )*ELF (32|64)-bit (LSB|MSB) (executable|pie executable|shared object|relocatable|core file), ([^,]+),");
    private static final Pattern LINKAGE = Pattern.compile(", (statically|static-pie|dynamically) linked(,|$)");
    private static final Pattern INTERP = Pattern.compile(", interpreter ([^,]+)(,|$)");
    private static final Pattern STRIPPED = Pattern.compile(", (not )?stripped(,|$)");

    /** The differences between `file`'s words and ours, empty when they agree. */
    static List<String> differences(String file, ElfInfo we) {
        List<String> d = new ArrayList<>();
        if (!we.malformed.isEmpty()) d.add("verify-elf found it malformed: " + we.malformed);
        if (!we.elf) {
            d.add("verify-elf says not ELF");
            return d;
        }
        Matcher h = HEAD.matcher(file);
        if (!h.find()) {
            d.add("unexpected `file` wording");
            return d;
        }
        if (!h.group(1).equals(String.valueOf(we.elfClass))) d.add("class " + h.group(1) + " vs " + we.elfClass);
        String endian = h.group(2).equals("LSB") ? "little" : "big";
        if (!endian.equals(String.valueOf(we.endian))) d.add("byte order " + h.group(2) + " vs " + we.endian);
        String type = Map.of("executable", "exec", "pie executable", "pie", "shared object", "shared",
                "relocatable", "relocatable", "core file", "core").get(h.group(3));
        if (!type.equals(String.valueOf(we.type))) d.add("type '" + h.group(3) + "' vs " + we.type);
        String arch = we.machine < 0 ? null : ElfReader.archWords(we.machine);
        if (!h.group(4).equals(arch)) d.add("machine '" + h.group(4) + "' vs " + arch);

        Matcher l = LINKAGE.matcher(file);
        String linkage = l.find() ? Map.of("statically", "static", "static-pie", "static-pie", "dynamically", "dynamic").get(l.group(1)) : "none";
        if (!linkage.equals(String.valueOf(we.linkage))) d.add("linkage " + linkage + " vs " + we.linkage);

        Matcher i = INTERP.matcher(file);
        String interp = i.find() ? i.group(1) : null;
        if (interp == null ? we.interpreter != null : !interp.equals(we.interpreter)) d.add("interpreter " + interp + " vs " + we.interpreter);

        boolean noSections = file.contains(", no section header");
        if (noSections != we.noSectionHeaders) d.add("no section header: " + noSections + " vs " + we.noSectionHeaders);
        boolean debug = file.contains(", with debug_info");
        if (debug != Boolean.TRUE.equals(we.debugInfo)) d.add("debug_info " + debug + " vs " + we.debugInfo);
        Matcher s = STRIPPED.matcher(file);
        Boolean stripped = s.find() ? s.group(1) == null : null;
        Boolean ours = we.noSectionHeaders ? null : we.stripped;
        if (stripped == null ? ours != null : !stripped.equals(ours)) d.add("stripped " + stripped + " vs " + ours);
        return d;
    }

    /** What the default policy (aarch64, static, stripped, no interpreter) should say, from `file`'s words alone. */
    static boolean fileSaysLambdaReady(String file) {
        return file.matches("^(?:(?:setuid|setgid|sticky) )*ELF 64-bit LSB (executable|pie executable), ARM aarch64,.*")
                && (file.contains(", statically linked") || file.contains(", static-pie linked"))
                && (file.contains(", stripped") || file.contains(", no section header"))
                && !file.contains(", interpreter ");
    }

    @Test
    void everySampleIsDescribedLikeFile() {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<Path, String> e : fileSays.entrySet()) {
            ElfInfo we = weSay.get(e.getKey());
            List<String> d = differences(e.getValue(), we);
            if (!d.isEmpty()) {
                mismatches.add(e.getKey() + ": " + String.join("; ", d) + "\n    file:       " + e.getValue()
                        + "\n    verify-elf: " + we.describe());
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + fileSays.size()
                + " files described differently from `file`:\n" + String.join("\n", mismatches));
    }

    @Test
    void defaultPolicyAcceptsExactlyWhatFileCallsAStrippedStaticAarch64Executable() {
        ElfPolicy policy = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1);
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        for (Map.Entry<Path, String> e : fileSays.entrySet()) {
            ElfPolicy.Verdict v = policy.check(e.getKey().toString(), weSay.get(e.getKey()));
            if (v.ok()) accepted++;
            if (v.ok() != fileSaysLambdaReady(e.getValue())) wrong.add(v.line() + "\n    file: " + e.getValue());
        }
        assertTrue(wrong.isEmpty(), "verdicts that disagree with `file`'s words:\n" + String.join("\n", wrong));
        assertTrue(accepted >= 3, "expected the stripped static samples to pass, " + accepted + " did");
    }

    @Test
    void samplesCoverEveryKind() {
        assertTrue(fileSays.size() > 100, "only " + fileSays.size() + " files compared");
        assertTrue(samples.system.size() > 80, "only " + samples.system.size() + " system files found");
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (String s : List.of("ARM aarch64", "x86-64", "Intel 80386", "32-bit", "MSB", "executable", "pie executable",
                "shared object", "relocatable", "statically linked", "static-pie linked", "dynamically linked", "interpreter",
                ", stripped", "not stripped", "with debug_info", "no section header")) {
            kinds.put(s, 0);
        }
        for (String said : fileSays.values()) {
            for (String k : kinds.keySet()) if (said.contains(k)) kinds.merge(k, 1, Integer::sum);
        }
        // The same word must show up on our side just as often (the per-file comparison checks which files).
        long ourStaticPie = weSay.values().stream().filter(i -> ElfInfo.Linkage.STATIC_PIE == i.linkage).count();
        long ourDynamicA64 = weSay.values().stream().filter(i -> ElfInfo.Linkage.DYNAMIC == i.linkage && i.machine == ElfReader.EM_AARCH64).count();
        long ourDebug = weSay.values().stream().filter(i -> Boolean.TRUE.equals(i.debugInfo)).count();
        long staticWithInterp = fileSays.values().stream().filter(s -> s.contains("statically linked, interpreter ")).count();
        List<String> missing = new ArrayList<>();
        kinds.forEach((k, n) -> {
            if (n == 0) missing.add(k);
        });
        assertTrue(missing.isEmpty(), "no sample for: " + missing + " (counts " + kinds + ")");
        assertTrue(ourStaticPie >= 2, "static-pie samples: " + ourStaticPie);
        assertTrue(ourDynamicA64 >= 3, "dynamic aarch64 samples: " + ourDynamicA64);
        assertTrue(ourDebug >= 2, "debug_info samples: " + ourDebug);
        assertTrue(staticWithInterp >= 1, "samples `file` calls statically linked with an interpreter: " + staticWithInterp);
        assertTrue(fileSays.get(samples.path(ElfSamples.A64_STATIC_INTERP)).contains(", statically linked, interpreter /lib/ld-sample.so.1,"),
                fileSays.get(samples.path(ElfSamples.A64_STATIC_INTERP)));
        assertEquals(kinds.get("static-pie linked").longValue(), ourStaticPie);
        // Corners of file's rules that the built samples exist to reach.
        assertTrue(fileSays.get(samples.path(ElfSamples.A64_NEEDED_AFTER_NULL)).contains("pie executable, ARM aarch64, version 1 (GNU/Linux), dynamically linked"),
                "DT_NEEDED after DT_NULL: " + fileSays.get(samples.path(ElfSamples.A64_NEEDED_AFTER_NULL)));
        assertTrue(fileSays.get(samples.path(ElfSamples.A64_SHARED_NO_NEEDED)).contains("shared object, ARM aarch64, version 1 (SYSV), static-pie linked"),
                fileSays.get(samples.path(ElfSamples.A64_SHARED_NO_NEEDED)));
        assertTrue(fileSays.get(samples.path(ElfSamples.A64_ETDYN_X)).contains("pie executable"), fileSays.get(samples.path(ElfSamples.A64_ETDYN_X)));
        assertTrue(fileSays.get(samples.path(ElfSamples.A64_ETDYN_NOX)).contains("shared object"), fileSays.get(samples.path(ElfSamples.A64_ETDYN_NOX)));
    }

    @Test
    void strippedStaticAarch64ProgramIsDescribedExactlyAndPasses() {
        Path p = samples.path(ElfSamples.A64_STATIC_STRIPPED);
        ElfInfo info = weSay.get(p);
        String d = info.describe();
        assertTrue(d.startsWith("ELF 64-bit LSB executable, ARM aarch64"), d);
        assertTrue(d.contains("statically linked"), d);
        assertTrue(d.contains(", stripped"), d);
        assertEquals("ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped", d);
        assertEquals("aarch64", info.arch());
        assertTrue(info.needed.isEmpty(), "needed: " + info.needed);
        assertNull(info.interpreter);
        ElfPolicy.Verdict v = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).check(p.toString(), info);
        assertTrue(v.ok(), v.line());
        assertEquals(List.of(), v.problems());
        assertTrue(v.line().startsWith(p + ": OK " + d + ", "), v.line());
        assertEquals(0, ElfSamples.verifyElf(p.toString()).exit);
    }

    @Test
    void unstrippedAndDynamicSamplesFailForTheRightReasons() {
        ElfPolicy policy = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1);
        ElfPolicy.Verdict unstripped = policy.check("u", weSay.get(samples.path(ElfSamples.A64_STATIC)));
        assertEquals(List.of("not stripped (.symtab present)"), unstripped.problems());
        ElfPolicy.Verdict debugOnly = policy.check("d", weSay.get(samples.path(ElfSamples.A64_DEBUG_ONLY)));
        assertEquals(List.of("not stripped (.debug_info present)"), debugOnly.problems());
        ElfPolicy.Verdict debug = policy.check("g", weSay.get(samples.path(ElfSamples.A64_DEBUG)));
        assertEquals(List.of("not stripped (.symtab and .debug_info present)"), debug.problems());
        ElfPolicy.Verdict dyn = policy.check("x", weSay.get(samples.path(ElfSamples.A64_DYNAMIC)));
        assertEquals(1, dyn.problems().stream().filter(s -> s.startsWith("dynamically linked (interpreter /lib/ld-linux-aarch64.so.1, needs libc.so.6)")).count(), dyn.line());
        ElfPolicy.Verdict so = policy.check("s", weSay.get(samples.path(ElfSamples.A64_SHARED)));
        assertTrue(so.problems().contains("a shared object, not an executable"), so.line());
        ElfPolicy.Verdict obj = policy.check("o", weSay.get(samples.path(ElfSamples.A64_OBJECT)));
        assertTrue(obj.problems().contains("a relocatable object, not an executable"), obj.line());
        ElfPolicy.Verdict interp = policy.check("i", weSay.get(samples.path(ElfSamples.A64_STATIC_INTERP)));
        assertTrue(interp.problems().contains("needs an interpreter (/lib/ld-sample.so.1) although it has no dynamic section"), interp.line());
        ElfPolicy.Verdict x64 = new ElfPolicy(ElfReader.EM_X86_64, false, false, -1)
                .check("x", weSay.get(samples.path(ElfSamples.X64_STATIC_STRIPPED)));
        assertTrue(x64.ok(), x64.line());
    }
}
