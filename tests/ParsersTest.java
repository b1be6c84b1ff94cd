import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The pure parsers and rules, one at a time: no cargo, no container, no qemu. */
@Tag("fast")
class ParsersTest {
    private static final CommandLine.Model.CommandSpec SPEC = new CommandLine(CommandLine.Model.CommandSpec.create()).getCommandSpec();

    @Test
    void profilesAreReadInEveryFormCargoAcceptsAndFollowInherits() throws IOException {
        Path m = Files.createTempFile("profiles-", ".toml");
        Files.writeString(m, String.join("\n",
                "[package]", "name = \"x\"  # not a profile",
                "[profile.release]", "lto = \"fat\"  # a comment",
                "[profile.\"lambda\"]", "inherits = \"release\"", "opt-level = 's'",
                "[profile]", "bench = { strip = true, debug = 0 }",
                "[workspace]", "profile.dev.strip = \"none\"", ""));
        Map<String, Map<String, String>> p = Profiles.read(m);
        assertEquals("fat", p.get("release").get("lto"));
        assertEquals("release", p.get("lambda").get("inherits"));
        assertEquals("s", p.get("lambda").get("opt-level").replace("'", ""));
        assertEquals("true", p.get("bench").get("strip"));
        assertNull(p.get("package"), "only profile tables are read: " + p);
        // lambda inherits lto from release: the workspace decided, nothing is added.
        assertNull(Profiles.defaultSetting(p, "lambda", Map.of(), "lto", "thin"));
        assertEquals(Map.entry("CARGO_PROFILE_LAMBDA_CODEGEN_UNITS", "1"), Profiles.defaultSetting(p, "lambda", Map.of(), "codegen-units", "1"));
        // bench inherits release implicitly, and sets strip itself.
        assertNull(Profiles.defaultSetting(p, "bench", Map.of(), "strip", "symbols"));
        // An environment variable for the profile or one it inherits is the user's choice too.
        assertNull(Profiles.defaultSetting(p, "lambda", Map.of("CARGO_PROFILE_RELEASE_STRIP", "debuginfo"), "strip", "symbols"));
        assertEquals("CARGO_PROFILE_MY_PROF_CODEGEN_UNITS", Profiles.envName("my-prof", "codegen-units"));
        assertEquals(Map.of(), Profiles.read(m.resolveSibling("no-such-Cargo.toml")), "a missing manifest has no profiles");
    }

    @Test
    void sizesParseBothUnitFamiliesAndPrintInBinaryUnits() {
        assertEquals(50_000_000L, Sizes.parse("50MB"));
        assertEquals(250L << 20, Sizes.parse("250MiB"));
        assertEquals(1536L, Sizes.parse("1.5 KiB"));
        assertEquals(1_048_576L, Sizes.parse("1048576"));
        assertEquals(2_000_000_000L, Sizes.parse("2g"));
        assertEquals(1000L, Sizes.parse("1KB"), "KB is a power of 1000, KiB of 1024");
        assertNull(Sizes.parse("lots"));
        assertNull(Sizes.parse("50 MBs"));
        assertNull(Sizes.parse("-1MB"));
        assertNull(Sizes.parse("99999999999999999999GB"), "past a long is invalid, not a wrapped number");
        assertEquals(50_000_000L, Sizes.parse("--max-size", "50MB").value());
        Parsed<Long> bad = Sizes.parse("--max-size", "big");
        assertNull(bad.value());
        assertTrue(bad.problem().startsWith("invalid --max-size 'big'"), bad.problem());
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> bad.orUsage(SPEC));
        assertEquals(bad.problem(), e.getMessage(), "the command's usage error is the parser's line");
        assertEquals("1023 B", Sizes.human(1023));
        assertEquals("1.0 KiB", Sizes.human(1024));
        assertEquals("2.1 MiB", Sizes.human(2_249_392));
        assertEquals("4.0 GiB", Sizes.human(4L << 30));
    }

    @Test
    void glibcVersionsCompareNumericallyAndRuntimesNameTheirGlibc() {
        assertTrue(ElfReader.compareVersions("2.9", "2.17") < 0);
        assertTrue(ElfReader.compareVersions("2.34", "2.34.0") == 0);
        assertTrue(ElfReader.compareVersions("2.35", "2.34") > 0);
        assertEquals(Parsed.ok("2.34"), ElfPolicy.maxGlibc(null, "provided.al2023"));
        assertEquals(Parsed.ok("2.26"), ElfPolicy.maxGlibc(null, "provided.al2"));
        assertEquals(Parsed.ok("2.28"), ElfPolicy.maxGlibc("2.28", "provided.al2023"), "--max-glibc wins over --runtime");
        assertEquals(Parsed.ok(null), ElfPolicy.maxGlibc(null, null));
        assertEquals("invalid --max-glibc '2.x' (use a version such as 2.34)", ElfPolicy.maxGlibc("2.x", null).problem());
        assertTrue(ElfPolicy.maxGlibc(null, "nodejs20.x").problem().startsWith("unknown --runtime 'nodejs20.x'"));
        ElfPolicy p = new ElfPolicy(ElfReader.EM_AARCH64, true, false, -1);
        assertNull(p.maxGlibc());
        assertEquals("2.34", p.withMaxGlibc("2.34").maxGlibc());
        assertNull(p.maxGlibc(), "withMaxGlibc returns a new policy and leaves this one alone");
    }

    @Test
    void targetsComeFromArchOrTripleAndDropTheGlibcSuffixWhereCargoDoes() {
        Target arm = Target.of(SPEC, "arm64", null);
        assertEquals("aarch64-unknown-linux-musl", arm.triple);
        assertEquals(ElfReader.EM_AARCH64, arm.machine);
        assertTrue(arm.staticExpected);
        assertEquals("x86_64-unknown-linux-musl", Target.of(SPEC, "x86-64", null).triple);
        Target gnu = Target.of(SPEC, "arm64", "aarch64-unknown-linux-gnu.2.34");
        assertEquals("aarch64-unknown-linux-gnu.2.34", gnu.triple);
        assertEquals("aarch64-unknown-linux-gnu", gnu.cargoTriple);
        assertFalse(gnu.staticExpected, "glibc builds may link glibc dynamically");
        assertThrows(CommandLine.ParameterException.class, () -> Target.of(SPEC, "riscv64", null));
        assertThrows(CommandLine.ParameterException.class, () -> Target.of(SPEC, "arm64", "wasm32-unknown-unknown"));
        assertEquals("debug", Target.profileDir("dev"));
        assertEquals("debug", Target.profileDir("test"));
        assertEquals("release", Target.profileDir("bench"));
        assertEquals("lambda", Target.profileDir("lambda"));
    }

    @Test
    void theCpuFlagIsAddedToTheRustflagsCargoWillUseAndToTheCflagsCcWillRead() {
        Target arm = Target.of(SPEC, "arm64", null);
        String tv = "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS";
        // Each environment source, in cargo's order: the flag joins the one cargo will read.
        assertEquals("-C opt-level=s -C target-cpu=neoverse-n1", cpu(arm, Map.of("RUSTFLAGS", "-C opt-level=s", tv, "-C x"), List.of()).env().get("RUSTFLAGS"));
        assertEquals("-C\u001fopt-level=s\u001f-C\u001ftarget-cpu=neoverse-n1",
                cpu(arm, Map.of("CARGO_ENCODED_RUSTFLAGS", "-C\u001fopt-level=s", "RUSTFLAGS", "-C y"), List.of()).env().get("CARGO_ENCODED_RUSTFLAGS"));
        assertEquals("-C x -C target-cpu=neoverse-n1", cpu(arm, Map.of(tv, "-C x"), List.of()).env().get(tv));
        // Config files: the same key as the user's, which cargo joins; target rustflags beat [build] ones.
        assertEquals(List.of("--config", "target.'aarch64-unknown-linux-musl'.rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]"),
                cpu(arm, Map.of(), List.of("[target.aarch64-unknown-linux-musl]\nrustflags = [\"-C\", \"link-self-contained=no\"]\n")).cargoArgs());
        assertEquals(List.of("--config", "target.'aarch64-unknown-linux-musl'.rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]"),
                cpu(arm, Map.of(), List.of("[target.'cfg(target_os = \"linux\")']\nrustflags = [\"--cfg\", \"x\"]\n")).cargoArgs());
        assertEquals(List.of("--config", "build.rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]"),
                cpu(arm, Map.of(), List.of("[build]\nrustflags = [\"--cfg\", \"mine\"]\n")).cargoArgs());
        assertEquals("-C z -C target-cpu=neoverse-n1", cpu(arm, Map.of("CARGO_BUILD_RUSTFLAGS", "-C z"), List.of()).env().get("CARGO_BUILD_RUSTFLAGS"));
        // C: the first of the variables the cc crate reads; a CPU or arch the user chose stays.
        assertEquals("-O2 -mcpu=neoverse-n1", cpu(arm, Map.of("CFLAGS", "-O2"), List.of()).env().get("CFLAGS"));
        RustFlags.Added march = cpu(arm, Map.of("CFLAGS_aarch64-unknown-linux-musl", "-march=armv8.2-a", "CFLAGS", "-O2"), List.of());
        assertNull(march.env().get("CFLAGS_aarch64-unknown-linux-musl"));
        assertNull(march.env().get("CFLAGS"), "cc reads the target's variable first: CFLAGS is not the one to change");
        assertEquals(List.of(), cpu(Target.of(SPEC, "x86_64", null), Map.of(), List.of()).cargoArgs());
    }

    @Test
    void sizeLimitsFailPastMaxSizeAndWarnPastLambdasOwn() {
        SizeLimits.Verdict small = SizeLimits.judge("f", 1000, -1, -1);
        assertEquals(List.of(), small.failures());
        assertEquals(List.of(), small.warnings());
        SizeLimits.Verdict over = SizeLimits.judge("f", 3_000_000, 1_000_000, 2_000_000);
        assertEquals(List.of("f: bootstrap is 2.9 MiB, larger than --max-size 1.9 MiB"), over.failures());
        SizeLimits.Verdict huge = SizeLimits.judge("f", SizeLimits.UNZIPPED_LIMIT + 1, SizeLimits.ZIP_LIMIT + 1, -1);
        assertEquals(List.of(), huge.failures(), "Lambda's limits only warn without --max-size");
        assertEquals(2, huge.warnings().size(), huge.warnings().toString());
    }

    @Test
    void smartNamesWhyABuildFailedFromItsOutcomeFile() throws IOException {
        assertEquals("the build step failed", SmartArgs.shorter("the build step failed (see above)"));
        assertEquals("engine not reachable: a (b) c", SmartArgs.shorter("engine not reachable: a (b) c"));
        Path outcome = Files.createTempFile("outcome-", ".json");
        Files.writeString(outcome, "{\"command\":\"build-lambda\",\"exit\":3,\"message\":\"zig not found (install it)\"}");
        assertEquals("zig not found", SmartArgs.outcomeMessage(outcome, "build-lambda", 3));
        assertEquals("build-lambda ended without an outcome (its output is above)", SmartArgs.outcomeMessage(outcome, "build-lambda", 3),
                "an outcome is read once");
        Files.writeString(outcome, "{\"command\":\"build-lambda\",\"exit\":0,\"message\":null}");
        assertEquals("build-lambda ended without an outcome (its output is above)", SmartArgs.outcomeMessage(outcome, "build-lambda", 137),
                "an outcome of another exit code is not this run's");
    }

    @Test
    void zigVersionsMeasuredAreOkAndOthersWarn() {
        assertArrayEquals(new int[]{0, 15}, ZigLookup.majorMinor("0.15.2"));
        assertNull(ZigLookup.majorMinor("zig"));
        for (String v : List.of("0.15.2", "0.16.0", "0.17.1")) assertNull(ZigChecks.unmeasured(v), v);
        for (String v : List.of("0.14.1", "0.18.0", "1.0.0")) assertNotNull(ZigChecks.unmeasured(v), v);
        assertTrue(new ZigLookup.Candidate("zig", null, "0.8.1", null).tooOld());
        assertFalse(new ZigLookup.Candidate("zig", null, "0.9.0", null).tooOld());
    }

    @Test
    void cargoMetadataGivesTheFunctionsOfMembersOnly() {
        String meta = "{\"workspace_root\":\"/ws\",\"target_directory\":\"/ws/target\","
                + "\"workspace_members\":[\"a 0.1.0 (path+file:///ws/a)\",\"b 0.1.0 (path+file:///ws/b)\"],\"packages\":["
                + "{\"id\":\"a 0.1.0 (path+file:///ws/a)\",\"name\":\"a\",\"manifest_path\":\"/ws/a/Cargo.toml\",\"targets\":["
                + "{\"name\":\"a-fn\",\"kind\":[\"bin\"]},{\"name\":\"a\",\"kind\":[\"lib\"]},{\"name\":\"build-script-build\",\"kind\":[\"custom-build\"]}]},"
                + "{\"id\":\"b 0.1.0 (path+file:///ws/b)\",\"name\":\"b\",\"manifest_path\":\"/ws/b/Cargo.toml\",\"targets\":["
                + "{\"name\":\"b-fn\",\"kind\":[\"bin\"]},{\"name\":\"ex\",\"kind\":[\"example\"]}]},"
                + "{\"id\":\"dep 1.0.0\",\"name\":\"dep\",\"manifest_path\":\"/reg/dep/Cargo.toml\",\"targets\":[{\"name\":\"dep-bin\",\"kind\":[\"bin\"]}]}]}";
        Workspace root = Workspace.parse(Path.of("/ws/Cargo.toml"), meta);
        assertEquals(Path.of("/ws"), root.root);
        assertEquals(Path.of("/ws/target"), root.targetDir);
        assertEquals(List.of(new Workspace.Function("a-fn", "a"), new Workspace.Function("b-fn", "b")), root.functions);
        assertEquals(List.of("a", "b"), root.packages);
        assertNull(root.manifestPackage);
        assertEquals("b", Workspace.parse(Path.of("/ws/b/Cargo.toml"), meta).manifestPackage, "a member's manifest selects it");
        assertEquals("error: no matching package", Workspace.lastErrorLine("warning: x\nerror: no matching package\n  caused by y\n"));
        assertEquals("last", Workspace.lastErrorLine("first\nlast\n"));
    }

    @Test
    void tablesAlignTheirColumnsAndSkipEmptyOnes() {
        StringWriter s = new StringWriter();
        new TextTable(3, 1).row("NAME", "SIZE", "").row("a", "10", "").row("long-name", "2", "").print(new PrintWriter(s));
        assertEquals(List.of("NAME       SIZE", "a            10", "long-name     2"), s.toString().lines().toList());
        assertThrows(IllegalArgumentException.class, () -> new TextTable(2).row("only one"));
    }

    @Test
    void buildKindsAndExitCodesAreOneListEach() {
        assertEquals(BuildKind.DOCKER, BuildKind.parse("Docker"));
        assertNull(BuildKind.parse("banana"));
        assertEquals("build-lambda-native", BuildKind.NATIVE.script);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 70, 74, 130), java.util.Arrays.stream(ExitCode.values()).map(e -> e.code).toList());
    }

    @Test
    void onlyCargosOwnVariablesGoIntoTheContainerAndEngineErrorsLoseTheirPrefix() {
        Map<String, String> env = Map.of("CARGO_PROFILE_RELEASE_LTO", "thin", "RUSTFLAGS", "-C x", "CARGO_TARGET_X_RUSTFLAGS", "y",
                "CARGO_TERM_COLOR", "never", "NO_COLOR", "1", "CARGO_HOME", "/h", "API_TOKEN", "secret", "PATH", "/bin");
        assertEquals(List.of("CARGO_PROFILE_RELEASE_LTO", "CARGO_TARGET_X_RUSTFLAGS", "CARGO_TERM_COLOR", "NO_COLOR", "RUSTFLAGS"),
                DockerBuilder.forwardedNames(env));
        assertEquals("image not known", DockerBuilder.engineSays("Error: image not known\n"));
        assertEquals("No such image: x", DockerBuilder.engineSays("Error response from daemon: No such image: x"));
        assertEquals("0.24.0", Probe.versionIn("cargo-zigbuild 0.24.0"));
        assertEquals("28.2.2", Probe.versionIn("Docker version 28.2.2, build e6534b4"));
    }

    @Test
    void rustHomesFollowTheVariablesThenHome() {
        assertEquals(Path.of("/c"), RustHomes.cargo(Map.of("CARGO_HOME", "/c", "HOME", "/h")));
        assertEquals(Path.of("/h/.cargo"), RustHomes.cargo(Map.of("HOME", "/h")));
        assertEquals(Path.of("/h/.rustup"), RustHomes.rustup(Map.of("HOME", "/h", "CARGO_HOME", "/c")));
        assertEquals(Path.of(System.getProperty("user.home"), ".cargo"), RustHomes.cargo(Map.of()));
    }

    /** The tuned build's CPU flags as the build applies them: the Rust flag in the rustflags source cargo reads, and the C variables. */
    static RustFlags.Added cpu(Target t, Map<String, String> env, List<String> configs) {
        TargetCpu.Flags f = TargetCpu.of(t, env, configs);
        RustFlags.Added r = RustFlags.append(t, env, configs, f.rust());
        Map<String, String> all = new java.util.LinkedHashMap<>(r.env());
        all.putAll(f.env());
        return new RustFlags.Added(r.cargoArgs(), all);
    }
}
