import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * verify-elf --cpu (the check the builds run): its decoder against LLVM's own (llvm-objdump-14 with a CPU's
 * features), and its guard rule on real code: glibc's static start-up and allocator (IFUNC-chosen SVE and MTE
 * variants, MTE inside malloc behind `mtag_enabled`), an IFUNC of our own that qemu runs both ways, and a direct
 * call that qemu's neoverse-n1 kills with SIGILL, as Graviton2 would.
 */
class CpuCheckTest {
    /** The features LLVM 14 can decode that A64Features tells apart (cssc and sve2p1 are newer than LLVM 14). */
    static final String BEYOND_N1 = "+sve,+sve2,+sve2-aes,+sve2-sha3,+sve2-sm4,+sve2-bitperm,+sha3,+sm4,+fp16fml,+jsconv,"
            + "+complxnum,+pauth,+rcpc-immo,+flagm,+dit,+bf16,+i8mm,+rand,+ccdp,+fptoint,+sb,+altnzcv,+mte,+ls64,+mops,+hbc,+sme";

    /** What LLVM decodes each word as, or null for <unknown> (assembled with zig's clang as .inst, read back by llvm-objdump-14). */
    static String[] llvmDecodes(List<Integer> words, String... cpu) throws IOException {
        Path dir = Repo.scratch("cpu-check-words");
        StringBuilder s = new StringBuilder(".text\n");
        for (int w : words) s.append(".inst 0x").append(A64Features.hex(w)).append('\n');
        Files.writeString(dir.resolve("w.s"), s);
        Proc as = Proc.run(dir, "python3", "-m", "ziglang", "cc", "-target", "aarch64-linux-musl", "-c", "w.s", "-o", "w.o");
        assertEquals(0, as.exit, as.toString());
        List<String> cmd = new ArrayList<>(List.of("llvm-objdump-14", "-d"));
        cmd.addAll(List.of(cpu));
        cmd.add("w.o");
        Proc d = Proc.run(dir, null, cmd, 300);
        assertEquals(0, d.exit, d.err);
        String[] out = new String[words.size()];
        int n = 0;
        for (String line : d.out.split("\n")) {
            String[] cols = line.split("\t");
            if (cols.length < 2 || !cols[0].matches(" +[0-9a-f]+: [0-9a-f ]+")) continue;
            String text = String.join(" ", java.util.Arrays.asList(cols).subList(1, cols.length)).trim();
            out[n++] = text.equals("<unknown>") ? null : text;
        }
        assertEquals(words.size(), n, "llvm-objdump printed a row per word");
        return out;
    }

    @Test
    void decoderAgreesWithLlvmOnWhatNeoverseN1Lacks() throws IOException {
        Random r = new Random(22);
        List<Integer> words = new ArrayList<>();
        for (int i = 0; i < 6000; i++) words.add(r.nextInt());                                   // anywhere
        for (int i = 0; i < 6000; i++) words.add((r.nextInt() & ~(15 << 25)) | (0b0010 << 25)); // the SVE space
        for (int i = 0; i < 6000; i++) words.add((r.nextInt() & 0x00FFFFFF) | 0xCE000000);       // the crypto extensions
        for (int i = 0; i < 6000; i++) words.add((r.nextInt() & 0x3FFFFFFF) | 0x0E000000 & ~0x10000000); // SIMD and FP
        for (int i = 0; i < 6000; i++) words.add((r.nextInt() & 0x03FFFFFF) | 0xD4000000);       // system and branches
        for (int i = 0; i < 6000; i++) words.add((r.nextInt() & 0x3FFFFFFF) | 0x08000000);       // loads and stores
        String[] n1 = llvmDecodes(words, "--mcpu=neoverse-n1");
        String[] more = llvmDecodes(words, "--mcpu=neoverse-n1", "--mattr=" + BEYOND_N1);
        List<String> flaggedButN1Has = new ArrayList<>(), missed = new ArrayList<>();
        int beyond = 0;
        for (int i = 0; i < words.size(); i++) {
            int w = words.get(i);
            A64Features.Needs ours = A64Features.of(w);
            // LLVM decodes every MSR/MRS, naming a register it does not know for the CPU by its encoding (S3_3_C4_C2_2:
            // SME's SVCR): on a CPU without that register the access traps, so a flag there is right.
            boolean n1Has = n1[i] != null && !n1[i].matches("(msr|mrs) .*\\bS[0-3]_[0-7]_C\\d+_C\\d+_[0-7]\\b.*");
            if (ours != null && n1Has) flaggedButN1Has.add(A64Features.hex(w) + " " + ours.what() + " (LLVM: " + n1[i] + ")");
            if (more[i] != null && n1[i] == null) {
                beyond++;
                if (ours == null) missed.add(A64Features.hex(w));
            }
        }
        assertTrue(flaggedButN1Has.isEmpty(), "flagged, but neoverse-n1 has them (" + flaggedButN1Has.size() + "): "
                + flaggedButN1Has.subList(0, Math.min(20, flaggedButN1Has.size())));
        assertTrue(missed.isEmpty(), "LLVM needs a feature beyond neoverse-n1 for these, the check saw nothing (" + missed.size() + "): "
                + missed.subList(0, Math.min(20, missed.size())));
        assertTrue(beyond > 3000, "the sample holds instructions beyond neoverse-n1: " + beyond);
    }

    /** A static glibc program (Debian's aarch64 cross gcc and glibc 2.36), stripped. */
    static Path glibcStatic(String name, String c) throws IOException {
        Path dir = Repo.scratch("cpu-check-c");
        Files.writeString(dir.resolve(name + ".c"), c);
        Proc cc = Proc.run(dir, "aarch64-linux-gnu-gcc", "-static", "-O2", "-s", name + ".c", "-o", name);
        assertEquals(0, cc.exit, cc.toString());
        return dir.resolve(name);
    }

    /** qemu 7.2 has no neoverse-v1 model: its max CPU with 256-bit SVE vectors, as Graviton3 has. */
    static final String SVE_256 = "max,sve-max-vq=2";

    static Proc qemu(Path exe, String cpu) {
        return Proc.run(exe.getParent(), null, List.of("qemu-aarch64-static", "-cpu", cpu, exe.toString()), 60);
    }

    @Test
    void glibcsOwnSveAndMteVariantsCountAsGuarded() throws IOException {
        Path exe = glibcStatic("strings", "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
                + "int main(int c, char **v) { char *b = malloc(4096); memset(b, c, 4096); memcpy(b + 1, v[0], strlen(v[0]));"
                + " puts(b + 1); free(b); return 0; }\n");
        ElfSamples.Run j = ElfSamples.verifyElf("--cpu", "neoverse-n1", "--json", exe.toString());
        assertEquals(0, j.exit, j.toString());
        assertTrue(j.out.contains("\"errors\":0,") && j.out.contains("\"feature\":\"sve\"") && j.out.contains("\"feature\":\"mte\""), j.out);
        assertFalse(j.out.contains("\"guarded\":false"), j.out);
        assertTrue(j.out.contains("beyond the CPU comes after a test of a loaded value inside it"), "malloc's MTE, inside malloc: " + j.out);
        assertTrue(j.out.contains("libgcc's unwinder reading DWARF register 46 (VG)"), j.out);
        ElfSamples.Run line = ElfSamples.verifyElf("--cpu", "neoverse-n1", exe.toString());
        assertEquals(List.of(exe + ": OK ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped, " + Sizes.human(Files.size(exe))),
                line.out.lines().toList(), "the guarded code stays out of the OK line");
        assertEquals(0, qemu(exe, "neoverse-n1").exit);
    }

    static final String LANES = "#include <stdio.h>\n#include <sys/auxv.h>\n#include <asm/hwcap.h>\n"
            + "__attribute__((noinline)) static long lanes_sve(void) { register long x0 asm(\"x0\"); asm volatile(\".inst 0x04a0e3e0\" : \"=r\"(x0)); return x0; }\n"
            + "__attribute__((noinline)) static long lanes_neon(void) { return 4; }\n";

    @Test
    void anIfuncResolverGuardsTheVariantItChooses() throws IOException {
        // The resolver tests the HWCAP bits it is passed in x0: no load, so only the IFUNC rule can call it guarded.
        Path exe = glibcStatic("ifunc", LANES
                + "static void *resolve(unsigned long hwcap) { return (hwcap & HWCAP_SVE) ? (void *) lanes_sve : (void *) lanes_neon; }\n"
                + "long lanes(void) __attribute__((ifunc(\"resolve\")));\n"
                + "int main(void) { printf(\"%ld lanes\\n\", lanes()); return 0; }\n");
        guardedAndRunsBothWays(exe, "chosen by the IFUNC resolver at 0x");
    }

    /** exe passes the check with evidence in its JSON, then picks NEON under qemu's neoverse-n1 and SVE where there is SVE. */
    static void guardedAndRunsBothWays(Path exe, String evidence) {
        ElfSamples.Run j = ElfSamples.verifyElf("--cpu", "neoverse-n1", "--json", exe.toString());
        assertEquals(0, j.exit, j.toString());
        assertTrue(j.out.contains(evidence), j.out);
        Proc n1 = qemu(exe, "neoverse-n1"), sve = qemu(exe, SVE_256);
        assertEquals("4 lanes", n1.out.trim(), n1.toString());
        assertEquals("8 lanes", sve.out.trim(), "a 256-bit SVE vector holds 8 words: " + sve);
    }

    @Test
    void aPointerPickedByCselOnTheLoadedCapabilitiesIsGuarded() throws IOException {
        // aws-lc's shape: a table entry set to one implementation or the other by a CSEL on the tested HWCAP bits
        Path exe = glibcStatic("csel", LANES
                + "unsigned long caps;\nlong (*volatile lanes_fn)(void);\n"
                + "__attribute__((noinline)) void pick(void) { lanes_fn = (caps & HWCAP_SVE) ? lanes_sve : lanes_neon; }\n"
                + "int main(void) { caps = getauxval(AT_HWCAP); pick(); printf(\"%ld lanes\\n\", lanes_fn()); return 0; }\n");
        guardedAndRunsBothWays(exe, "(CSEL at 0x");
    }

    @Test
    void aDirectCallIntoSveIsAnErrorAndDiesOnNeoverseN1() throws IOException {
        Path exe = glibcStatic("direct", LANES + "int main(int c, char **v) { printf(\"%ld lanes\\n\", c > 5 ? lanes_neon() : lanes_sve()); return 0; }\n");
        ElfSamples.Run v = ElfSamples.verifyElf("--cpu", "neoverse-n1", exe.toString());
        assertEquals(1, v.exit, v.toString());
        assertTrue(v.out.contains("FAIL holds instructions neoverse-n1 (Graviton2) lacks: SVE (sve) at 0x")
                && v.out.contains("(bytes e0 e3 a0 04)") && v.out.contains("without a CPU test before it")
                && v.out.contains("it would die with SIGILL (illegal instruction) on Graviton2"), v.out);
        assertEquals(0, ElfSamples.verifyElf("--cpu", "neoverse-v1", exe.toString()).exit, "Graviton3 has SVE");
        assertEquals(0, ElfSamples.verifyElf("--cpu", "none", exe.toString()).exit);
        Proc q = qemu(exe, "neoverse-n1");
        assertEquals(132, q.exit, "SIGILL (128 + 4) under qemu's neoverse-n1: " + q);
        assertEquals("8 lanes", qemu(exe, SVE_256).out.trim());
    }

    @Test
    void anUnknownCpuIsOneLineWithTheNames() {
        ElfSamples.Run v = ElfSamples.verifyElf("--cpu", "graviton9", "/bin/true");
        assertEquals(2, v.exit, v.toString());
        assertTrue(v.err.startsWith("verify-elf: unknown --cpu 'graviton9' (use neoverse-n1 (Graviton2, the default for arm64), neoverse-v1 (Graviton3), "
                + "neoverse-v2 (Graviton4) or none)\n"), v.err);
    }

    @Test
    void theBuildRefusesUnguardedSveAndShipsTheDetectedOne() throws IOException {
        Path target = Repo.scratch("cpu-check-target");
        Map<String, String> env = Map.of("CARGO_TARGET_DIR", target.toString(), "NO_COLOR", "1");
        Proc all = Proc.jbang(env, "build-lambda@.", "--manifest-path", "tests/fixtures/cpu-check/Cargo.toml");
        assertEquals(1, all.exit, all.toString());
        assertTrue(all.err.contains("FAIL sve-always: holds instructions neoverse-n1 (Graviton2) lacks: SVE (sve) at 0x"), all.err);
        assertFalse(all.err.contains("FAIL sve-detected"), "is_aarch64_feature_detected! guards it: " + all.err);
        assertTrue(all.err.contains("the bootstraps in " + target.resolve("lambda") + " were left as they were"), all.err);
        assertFalse(Files.exists(target.resolve("lambda/sve-always/bootstrap")), "nothing installed for a failed check");

        Proc one = Proc.jbang(env, "build-lambda@.", "--manifest-path", "tests/fixtures/cpu-check/Cargo.toml", "-p", "cpu-check",
                "--bin", "sve-detected");
        assertEquals(0, one.exit, one.toString());
        Path b = target.resolve("lambda/sve-detected/bootstrap");
        ElfSamples.Run j = ElfSamples.verifyElf("--json", b.toString());
        assertTrue(j.out.contains("\"errors\":0,") && j.out.contains("\"feature\":\"sve\"") && j.out.contains("\"guarded\":true"), j.out);
        assertEquals("4 lanes", qemu(b, "neoverse-n1").out.trim(), "NEON's answer on Graviton2");
        assertEquals("8 lanes", qemu(b, SVE_256).out.trim(), "SVE's where the CPU has it");
    }
}
