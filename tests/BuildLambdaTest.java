import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** build-lambda for real: cargo zigbuild on the example workspace, and each error a user can hit. */
class BuildLambdaTest {

    @Test
    void buildsEveryFunctionOfTheExampleAsStaticStrippedArm64() throws IOException {
        Proc p = ExampleBuild.get();
        String json = Asserts.assertJsonReport(p, ExampleBuild.FUNCTIONS);
        for (String f : ExampleBuild.FUNCTIONS) {
            Path b = ExampleBuild.bootstrap(f);
            assertTrue(Files.isRegularFile(b), b + " missing");
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(b)), b.toString());
            Asserts.assertStaticStrippedArm64(b);
        }
        assertTrue(json.contains("\"total_size\":"), json);
        assertTrue(p.err.contains("building 5 functions for aarch64-unknown-linux-musl (release) with cargo zigbuild"), p.err);
        // Built with the Rust the repository pins (rust-toolchain.toml, the same as setup.sh, the buildspec and the workflow).
        String pinned = Files.readString(Repo.ROOT.resolve("rust-toolchain.toml")).replaceAll("(?s).*channel = \"([^\"]+)\".*", "$1");
        String manifest = Files.readString(ExampleBuild.LAMBDA.resolve("manifest.json"));
        assertTrue(manifest.contains("\"rustc\":\"rustc " + pinned + " "), "the example was not built with the pinned Rust " + pinned + ": " + manifest);
    }

    @Test
    void cleanRemovedTheOldLambdaFolderAndCargoOutput() {
        assertEquals(0, LiteBuild.get().exit, LiteBuild.get().toString());
        assertFalse(Files.exists(LiteBuild.STALE_BOOTSTRAP), "--clean left " + LiteBuild.STALE_BOOTSTRAP);
        assertFalse(Files.exists(LiteBuild.STALE_CARGO_OUTPUT), "--clean left " + LiteBuild.STALE_CARGO_OUTPUT);
    }

    @Test
    void everyBootstrapRunsUnderQemuAndSaysTheRuntimeApiIsMissing() {
        assertEquals(0, LiteBuild.get().exit);
        for (String f : LiteBuild.FUNCTIONS) {
            Map<String, String> env = new HashMap<>();
            env.put("AWS_LAMBDA_RUNTIME_API", null);
            Proc q = Proc.run(Repo.ROOT, env, List.of("qemu-aarch64-static", LiteBuild.bootstrap(f).toString()), 60);
            assertEquals(1, q.exit, f + ": " + q);
            assertTrue(q.err.contains("AWS_LAMBDA_RUNTIME_API"), f + ": " + q);
            assertFalse(q.err.contains("panicked"), f + ": " + q);
            assertEquals(1, q.err.strip().lines().count(), f + " should print one line: " + q);
        }
    }

    @Test
    void aBootstrapAnswersAnInvocationThroughTheRuntimeApi() throws Exception {
        assertEquals(0, LiteBuild.get().exit);
        String event = "{\"requestContext\":{\"routeKey\":\"$connect\",\"connectionId\":\"conn-42\",\"eventType\":\"CONNECT\"},\"isBase64Encoded\":false}";
        try (FakeRuntimeApi api = new FakeRuntimeApi(event)) {
            ProcessBuilder pb = new ProcessBuilder("qemu-aarch64-static", LiteBuild.bootstrap("ws-connect").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            Process proc = pb.start();
            try {
                String[] post = api.nextPost(60);
                assertNotNull(post, "the function posted nothing back within 60 s");
                assertEquals("POST " + FakeRuntimeApi.PREFIX + "req-123/response", post[0], post[1]);
                assertTrue(post[1].contains("\"statusCode\":200"), post[1]);
            } finally {
                proc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void verifyElfPassesTheWholeBuild() {
        assertEquals(0, ExampleBuild.get().exit);
        Proc v = Proc.jbang(null, "verify-elf@.", ExampleBuild.LAMBDA.toString());
        assertEquals(0, v.exit, v.toString());
        assertEquals(5, v.out.lines().filter(l -> l.contains(": OK ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped")).count(), v.out);
        assertTrue(v.out.contains("5 files checked: 5 OK, 0 FAIL"), v.out);
    }

    @Test
    void aSecondRunPrintsTheTableAndBuildsOnlyTheSelectedFunction() {
        assertEquals(0, ExampleBuild.get().exit);
        Proc p = Proc.jbang(ExampleBuild.env(), ExampleBuild.args("--bin", "backend"));
        assertEquals(0, p.exit, p.toString());
        List<String> lines = p.out.lines().collect(Collectors.toList());
        assertTrue(lines.get(0).matches("FUNCTION\\s+SIZE\\s+BYTES\\s+ARCH\\s+LINKAGE\\s+STRIPPED\\s+BOOTSTRAP"), p.out);
        assertTrue(lines.get(1).matches("backend\\s+[0-9.]+ [KM]iB\\s+\\d+\\s+aarch64\\s+static\\s+yes\\s+.*lambda/backend/bootstrap"), p.out);
        assertTrue(lines.get(2).startsWith("total (1)"), p.out);
        assertEquals(3, lines.size(), p.out);
    }

    @Test
    void unknownBinPackageOrArchIsAUsageErrorThatListsWhatExists() {
        assertEquals(0, ExampleBuild.get().exit);
        Proc b = Proc.jbang(ExampleBuild.env(), ExampleBuild.args("--bin", "nope"));
        assertEquals(2, b.exit, b.toString());
        assertTrue(b.err.contains("unknown --bin 'nope' (functions: backend"), b.err);
        Asserts.assertNoTrace(b);
        Proc p = Proc.jbang(ExampleBuild.env(), ExampleBuild.args("-p", "nope"));
        assertEquals(2, p.exit, p.toString());
        assertTrue(p.err.contains("unknown --package 'nope' (workspace packages:"), p.err);
        Proc a = Proc.jbang(ExampleBuild.env(), ExampleBuild.args("--arch", "sparc"));
        assertEquals(2, a.exit, a.toString());
        assertTrue(a.err.contains("unknown --arch 'sparc' (use arm64 or x86_64)"), a.err);
        Asserts.assertNoTrace(a);
    }

    @Test
    void aWorkspaceWithoutBinariesHasNoFunctions() throws IOException {
        Path ws = Repo.scratch("lib-only");
        Fixtures.writePackage(ws, "only-lib", "", "src/lib.rs", "pub fn add(a: u32, b: u32) -> u32 { a + b }\n");
        Proc p = Proc.run(ws, ExampleBuild.env(), List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString()));
        assertEquals(2, p.exit, p.toString());
        assertTrue(p.err.contains("no functions in " + ws.toRealPath()) || p.err.contains("no functions in " + ws), p.err);
        Asserts.assertNoTrace(p);
    }

    @Test
    void noCargoTomlSaysWhereItLooked() throws IOException {
        Path empty = Repo.scratch("empty");
        Proc p = Proc.run(empty, ExampleBuild.env(), List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString()));
        assertEquals(2, p.exit, p.toString());
        assertTrue(p.err.contains("no Cargo.toml in " + empty) && p.err.contains("--manifest-path"), p.err);
        Asserts.assertNoTrace(p);
    }

    @Test
    void aPathWithoutZigIsAMissingPrerequisiteWithTheFix() throws IOException {
        Path bin = Repo.scratch("bin-without-zig");
        for (String tool : List.of("cargo", "rustc", "rustup")) {
            Path real = Path.of(System.getProperty("user.home"), ".cargo/bin", tool);
            if (Files.exists(real)) Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Files.createSymbolicLink(bin.resolve("cargo-zigbuild"), Fixtures.realCargoZigbuild());
        Map<String, String> env = new HashMap<>(ExampleBuild.env());
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("CARGO_ZIGBUILD_ZIG_PATH", null);
        Proc pre = Proc.run(Repo.ROOT, env, List.of("/bin/sh", "-c", "command -v zig || python3 -c 'import ziglang'"));
        assertNotEquals(0, pre.exit, "this PATH still reaches a zig, the test would prove nothing: " + pre);
        Proc p = Proc.run(Repo.ROOT, env, List.of(Repo.ROOT.resolve("jbang").toString(), "build-lambda@.", "--manifest-path", "examples/Cargo.toml"));
        assertEquals(3, p.exit, p.toString());
        assertTrue(p.err.contains("zig not found") && p.err.contains("pip install ziglang") && p.err.contains("doctor"), p.err);
        Asserts.assertNoTrace(p);
    }

    @Test
    void zigIsFoundWhereCargoZigbuildLooksForIt() {
        Map<String, String> env = new HashMap<>(System.getenv());
        // python's ziglang comes first, so a wrong CARGO_ZIGBUILD_ZIG_PATH does not matter (setup.sh pins the version).
        env.put("CARGO_ZIGBUILD_ZIG_PATH", "/nonexistent/zig");
        assertEquals(Repo.pinnedZig(), zigFound(env));
        // The zig binary it runs, which the build hands to cargo-zigbuild so that it does not start python to find it.
        String packaged = Proc.run(Repo.ROOT, "python3", "-c", "import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))").out.trim();
        assertEquals(Path.of(packaged), ZigLookup.find(Repo.ROOT, env, 30).chosen().zig());
        // No python with ziglang and no zig: nothing.
        env.put("CARGO_ZIGBUILD_PYTHON_PATH", "/nonexistent/python3");
        assertNull(zigFound(env));
        // Then CARGO_ZIGBUILD_ZIG_PATH is the zig, when it runs.
        env.put("CARGO_ZIGBUILD_ZIG_PATH", packaged);
        assertEquals(Repo.pinnedZig(), zigFound(env));
        assertEquals(Path.of(packaged), ZigLookup.find(Repo.ROOT, env, 30).chosen().zig());
    }

    private static String zigFound(Map<String, String> env) {
        ZigLookup.Candidate c = ZigLookup.find(Repo.ROOT, env, 30).chosen();
        return c == null ? null : c.version();
    }

    @Test
    void aMissingStdNamesTheRustupCommand() throws IOException {
        // Outside the project (no offline config), with rustup's stable toolchain and a target whose
        // std setup.sh never installs there: x86_64 x32.
        String triple = "x86_64-unknown-linux-gnux32";
        Path ws = Files.createTempDirectory("bl-no-std-");
        Fixtures.writeCrate(ws, "nostd-fn", "fn main() { println!(\"hi\"); }\n");
        Map<String, String> env = new HashMap<>();
        env.put("RUSTUP_TOOLCHAIN", "stable");
        env.put("CARGO_TARGET_DIR", ws.resolve("target").toString());
        Proc sysroot = Proc.run(ws, env, List.of("rustc", "--print", "sysroot"));
        assertFalse(Files.exists(Path.of(sysroot.out.trim(), "lib/rustlib", triple)), "stable has " + triple + "'s std: the test would prove nothing");
        Proc p = Proc.run(ws, env, List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString(), "--target", triple));
        assertEquals(3, p.exit, p.toString());
        // cargo's own output shows first; then ours, one line, last.
        assertTrue(p.err.contains("can't find crate for `std`"), p.err);
        String last = p.err.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("build-lambda: the Rust standard library for " + triple + " is not installed: run `rustup target add "
                + triple + "` (`jbang doctor@.` shows other ways)", last);
        assertFalse(p.err.contains("Exception"), p.err);
    }

    @Test
    void aFailedBuildLeavesThePreviousBootstrapAsItWas() throws IOException {
        Path ws = Repo.scratch("survivor");
        Fixtures.writeCrate(ws, "survivor", "fn main() { println!(\"good\"); }\n");
        Path lambda = ws.resolve("out");
        List<String> cmd = List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString(),
                "--lambda-dir", lambda.toString());
        Proc good = Proc.run(ws, Map.of("NO_COLOR", "1"), cmd);
        assertEquals(0, good.exit, good.toString());
        Path b = lambda.resolve("survivor/bootstrap");
        byte[] before = Files.readAllBytes(b);
        List<String> installed = listNames(b.getParent());
        assertEquals(List.of("bootstrap", "bootstrap.cdx.json"), installed, "the bootstrap and its SBOM");

        Files.writeString(ws.resolve("src/main.rs"), "fn main() { let x: u32 = \"not a number\"; println!(\"{x}\"); }\n");
        Proc bad = Proc.run(ws, Map.of("NO_COLOR", "1"), cmd);
        assertEquals(101, bad.exit, "cargo's own exit code: " + bad);
        assertTrue(bad.err.contains("mismatched types"), "cargo's output must show: " + bad.err);
        assertTrue(bad.err.strip().endsWith("the build step failed (cargo zigbuild exited with 101); the bootstraps in " + lambda + " were left as they were"), bad.err);
        assertArrayEquals(before, Files.readAllBytes(b), "the previous bootstrap changed");
        assertEquals(installed, listNames(b.getParent()), "temporary files left behind");

        // A build that compiles but fails verification (the user asked for symbols) changes nothing either.
        Files.writeString(ws.resolve("src/main.rs"), "fn main() { println!(\"new\"); }\n");
        Map<String, String> env = new HashMap<>(Map.of("NO_COLOR", "1"));
        env.put("CARGO_PROFILE_RELEASE_STRIP", "false");
        Proc unstripped = Proc.run(ws, env, cmd);
        assertEquals(1, unstripped.exit, unstripped.toString());
        assertTrue(unstripped.err.contains("FAIL survivor: not stripped (.symtab"), unstripped.err);
        assertArrayEquals(before, Files.readAllBytes(b), "a bootstrap that failed verification was installed");
    }

    @Test
    void theStripDefaultRespectsWhatTheWorkspaceChose() throws IOException {
        Path ws = Repo.scratch("profiles");
        Path m = ws.resolve("Cargo.toml");
        Files.writeString(m, "[workspace]\nmembers = []\n\n[profile.release]\nopt-level = \"z\"\n");
        assertEquals(Map.entry("CARGO_PROFILE_RELEASE_STRIP", "symbols"), Profiles.defaultSetting(Profiles.read(m), "release", Map.of(), "strip", "symbols"));
        assertNull(Profiles.defaultSetting(Profiles.read(m), "release", Map.of("CARGO_PROFILE_RELEASE_STRIP", "none"), "strip", "symbols"));
        Files.writeString(m, "[profile.release]\nstrip = false # keep symbols\n");
        assertNull(Profiles.defaultSetting(Profiles.read(m), "release", Map.of(), "strip", "symbols"));
        Files.writeString(m, "[profile.release]\nstrip = true\n[profile.lambda]\ninherits = \"release\"\n");
        assertNull(Profiles.defaultSetting(Profiles.read(m), "lambda", Map.of(), "strip", "symbols"), "inherited from release");
        Files.writeString(m, "profile.release.strip = \"debuginfo\"\n");
        assertNull(Profiles.defaultSetting(Profiles.read(m), "release", Map.of(), "strip", "symbols"));
        Files.writeString(m, "[profile.dev]\nstrip = true\n[profile.my-prof]\ninherits = \"release\"\n");
        assertEquals(Map.entry("CARGO_PROFILE_MY_PROF_STRIP", "symbols"), Profiles.defaultSetting(Profiles.read(m), "my-prof", Map.of(), "strip", "symbols"));
    }


    static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }


}
