import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The rules behind reproducible builds and the toolchain checks, without cargo: remaps, their order, the record, the ELF diff. */
@Tag("fast")
class ReproducibleRulesTest {
    private static final Target ARM = Target.of(null, "arm64", null);

    @Test
    void theCargoHomeRustupHomeAndWorkspaceAreRemappedTheDeeperFolderLast() {
        Map<String, String> env = Map.of("CARGO_HOME", "/w/ws/.cargo", "RUSTUP_HOME", "/opt/rustup");
        List<String> flags = PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/w/ws/target"), env, true, List.of()));
        // With a compile cache the folder's own remaps are left out: they would key every crate on the folder.
        assertTrue(PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/w/ws/target"), env, true, false, List.of())).stream()
                .noneMatch(f -> f.contains("/w/ws=")), "no flag maps the folder with a compile cache");
        // A CARGO_HOME inside the workspace must come after the workspace's remap: rustc applies the last that matches.
        assertEquals(List.of("--remap-path-prefix=/opt/rustup=/rustup", "--remap-path-prefix=/w/ws=/workspace",
                "--remap-path-prefix=/w/ws/.cargo=/cargo"), flags);
        // A target folder outside the workspace gets the name it has inside one; a container's homes are the image's.
        List<String> outside = PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/ci/target"), env, false, List.of()));
        assertEquals(List.of("--remap-path-prefix=/w/ws=/workspace", "--remap-path-prefix=/ci/target=/workspace/target"), outside);
        // The same inputs give the same flags: the caches see them change once, never on every run.
        assertEquals(flags, PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/w/ws/target"), env, true, List.of())));
    }

    @Test
    void theUsersOwnRemapsStayAndOursStepAsideWhereTheyOverlap() {
        Map<String, String> env = Map.of("CARGO_HOME", "/h/.cargo", "RUSTUP_HOME", "/h/.rustup");
        List<String> theirs = List.of("[build]\nrustflags = [\"--remap-path-prefix\", \"/w/ws=/src\"]\n");
        List<String> flags = PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/w/ws/target"), env, true, theirs));
        assertEquals(List.of("--remap-path-prefix=/h/.cargo=/cargo", "--remap-path-prefix=/h/.rustup=/rustup"), flags, "their /w/ws remap wins");
        assertEquals(List.of("/h/.cargo/registry/src", "/a b"), RustFlags.remapSources(List.of("--remap-path-prefix=/h/.cargo/registry/src=/r",
                "[\"--remap-path-prefix\", \"/a b=/x\"]")));
        flags = PathRemap.flags(PathRemap.pairs(Path.of("/w/ws"), Path.of("/w/ws/target"), Map.of("CARGO_HOME", "/h/.cargo", "RUSTUP_HOME", "/r"), true,
                List.of("--remap-path-prefix=/h/.cargo/registry/src=/r")));
        assertFalse(flags.contains("--remap-path-prefix=/h/.cargo=/cargo"), "a remap of theirs inside the cargo home would be overridden by ours: " + flags);
        // Appended to the source cargo reads, after the user's flags, in every form.
        RustFlags.Added a = RustFlags.append(ARM, Map.of("RUSTFLAGS", "-C x"), List.of(), List.of("--remap-path-prefix=/a=/b"));
        assertEquals("-C x --remap-path-prefix=/a=/b", a.env().get("RUSTFLAGS"));
        RustFlags.Added spaced = RustFlags.append(ARM, Map.of("RUSTFLAGS", "-C x"), List.of(), List.of("--remap-path-prefix=/a b=/b"));
        assertEquals("-C\u001fx\u001f--remap-path-prefix=/a b=/b", spaced.env().get("CARGO_ENCODED_RUSTFLAGS"), "a space cannot go into RUSTFLAGS");
        RustFlags.Added config = RustFlags.append(ARM, Map.of(), List.of(), List.of("--remap-path-prefix=C:\\x\"=/b"));
        assertEquals(List.of("--config", "build.rustflags = [\"--remap-path-prefix=C:\\\\x\\\"=/b\"]"), config.cargoArgs(), "TOML-escaped");
    }

    @Test
    void targetCpuNativeIsRefusedForALambdaTargetWithTheFixNamed() {
        Cli.UserError e = assertThrows(Cli.UserError.class, () -> TargetCpu.refuseNative(ARM, Map.of("RUSTFLAGS", "-C target-cpu=native"), List.of()));
        assertEquals(ExitCode.USAGE.code, e.exitCode);
        assertTrue(e.getMessage().contains("-C target-cpu=neoverse-n1") && e.getMessage().contains("SIGILL"), e.getMessage());
        assertThrows(Cli.UserError.class, () -> TargetCpu.refuseNative(ARM, Map.of(), List.of("[build]\nrustflags = [\"-C\", \"target-cpu = native\"]\n")));
        TargetCpu.refuseNative(ARM, Map.of(), List.of("# rustflags = [\"-C\", \"target-cpu=native\"]\n[build]\n"));
        TargetCpu.refuseNative(ARM, Map.of("RUSTFLAGS", "-C target-cpu=neoverse-n1"), List.of());
    }

    @Test
    void theRecordKeepsTheArgumentsThatDecideTheBytesAndDropsTheRest() {
        CommandLine cl = new CommandLine(new Probe());
        cl.parseArgs("--zip", "--lambda-dir", "/tmp/x", "-p", "a", "--json", "--smoke-timeout=5", "--tune", "size", "--", "--locked");
        assertEquals(List.of("--zip", "-p", "a", "--tune", "size", "--", "--locked"), BuildRecord.replayed(cl.getCommandSpec()));
    }

    @CommandLine.Command(name = "build-lambda")
    static class Probe {
        @CommandLine.Mixin
        BuildOptions o;
    }

    @Test
    void theFirstDifferenceIsNamedByItsSection() throws IOException {
        Path elf = ElfSamples.get().path(ElfSamples.A64_STATIC_STRIPPED);
        byte[] bytes = Files.readAllBytes(elf);
        assertEquals("the ELF header", ElfDiff.where(bytes, 3));
        String text = ElfDiff.where(bytes, textOffset(bytes));
        assertEquals("section .text", text);
        Path dir = Repo.scratch("elf-diff");
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Files.write(a, bytes);
        byte[] changed = bytes.clone();
        int at = (int) textOffset(bytes) + 4;
        changed[at] ^= 1;
        Files.write(b, changed);
        String said = ElfDiff.firstDifference(a, b, Manifest.sha256(a));
        assertEquals("first difference at byte 0x" + Integer.toHexString(at) + " (section .text)", said);
        assertTrue(ElfDiff.firstDifference(a, b, "0".repeat(64)).contains("no longer in place"), "a replaced file is not compared");
    }

    /** The file offset of .text, found with binutils' readelf (an independent reader). */
    private static long textOffset(byte[] elf) throws IOException {
        Path f = Repo.scratch("readelf").resolve("f");
        Files.write(f, elf);
        Proc p = Proc.run(Repo.ROOT, "readelf", "-SW", f.toString());
        for (String line : p.out.split("\n")) {
            String[] w = line.replace("[ ", "[").trim().split("\\s+");
            if (w.length > 4 && w[1].equals(".text")) return Long.parseLong(w[4], 16);
        }
        throw new AssertionError("no .text in readelf's output:\n" + p.out);
    }

    @Test
    void doctorWarnsBelowTheOldestMeasuredRustAndForACargoZigbuildThatCannotLinkRust198() {
        assertTrue(RustChecks.olderThanMeasured("1.94.1"));
        assertTrue(RustChecks.olderThanMeasured("1.80.0"));
        assertFalse(RustChecks.olderThanMeasured("1.95.0"));
        assertFalse(RustChecks.olderThanMeasured("1.99.1"));
        assertFalse(RustChecks.olderThanMeasured("1.100.0-nightly"), "compared as numbers, not text");
        assertFalse(RustChecks.olderThanMeasured("unknown"));
        assertTrue(ZigChecks.tooOldForRust("0.22.1", "1.98.0"));
        assertFalse(ZigChecks.tooOldForRust("0.23.0", "1.99.1"));
        assertFalse(ZigChecks.tooOldForRust("0.19.0", "1.97.0"), "before 1.98 rustc passes no such flag");
        assertTrue(RustChecks.WORKING.contains("1.99.1") && RustChecks.WORKING.contains("0.24.0"), RustChecks.WORKING);
    }
}
