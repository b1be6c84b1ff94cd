import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** --zip, manifest.json and the size, glibc and tuning guards, on real builds. */
class PackagingTest {

    static List<String> buildIn(Path cwd, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString()));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(cwd, env, cmd);
        assertEquals(0, p.exit, p.toString());
        return p.out.lines().collect(Collectors.toList());
    }

    /** The chat-lite fixture built with --zip into its own lambda folder, from its shared target folder. */
    static Path zippedExample(String name, String... more) {
        assertEquals(0, LiteBuild.get().exit, LiteBuild.get().toString());
        Path lambda = Repo.scratch(name).resolve("lambda");
        List<String> args = new ArrayList<>(List.of("--manifest-path", LiteBuild.MANIFEST.toString(),
                "--zip", "--lambda-dir", lambda.toString()));
        args.addAll(List.of(more));
        buildIn(Repo.ROOT, LiteBuild.env(), args.toArray(String[]::new));
        return lambda;
    }

    @Test
    void twoCleanBuildsInDifferentFoldersGiveByteIdenticalZips() throws IOException {
        List<Path> zips = new ArrayList<>();
        for (String copy : List.of("repro-a", "repro-b")) {
            Path ws = Repo.scratch(copy);
            copyTree(LiteBuild.WORKSPACE, ws);
            Map<String, String> env = new HashMap<>(Map.of("CARGO_TARGET_DIR", ws.resolve("target").toString(), "NO_COLOR", "1"));
            buildIn(ws, env, "--zip", "--bin", "backend");
            zips.add(ws.resolve("target/lambda/backend/bootstrap.zip"));
        }
        assertNotEquals(zips.get(0), zips.get(1));
        assertArrayEquals(Files.readAllBytes(zips.get(0)), Files.readAllBytes(zips.get(1)), "zips of two clean builds differ");
    }

    @Test
    void theZipHoldsOneExecutableBootstrapThatPassesAndRuns() throws IOException {
        Path lambda = zippedExample("zip");
        Path zip = lambda.resolve("ws-default/bootstrap.zip");
        Proc info = Proc.run(Repo.ROOT, "zipinfo", zip.toString());
        assertEquals(0, info.exit, info.toString());
        List<String> entries = info.out.lines().filter(l -> l.matches("^[-d][rwx-]{9} .*")).collect(Collectors.toList());
        assertEquals(1, entries.size(), info.out);
        assertTrue(entries.get(0).startsWith("-rwxr-xr-x") && entries.get(0).endsWith(" 80-Jan-01 00:00 bootstrap"), entries.get(0));
        Path out = Repo.scratch("unzipped");
        Proc unzip = Proc.run(out, "unzip", "-q", zip.toString());
        assertEquals(0, unzip.exit, unzip.toString());
        Path b = out.resolve("bootstrap");
        assertArrayEquals(Files.readAllBytes(lambda.resolve("ws-default/bootstrap")), Files.readAllBytes(b));
        assertTrue(Files.isExecutable(b), "unzip must restore the 0755 mode");
        assertEquals(0, ElfSamples.verifyElf(b.toString()).exit);
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", null);
        Proc q = Proc.run(out, env, List.of("qemu-aarch64-static", b.toString()), 60);
        assertEquals(1, q.exit, q.toString());
        assertTrue(q.err.contains("AWS_LAMBDA_RUNTIME_API"), q.toString());
    }

    @Test
    void sourceDateEpochSetsTheTimestamp() {
        int[] dt = LambdaZip.dosDateTime("1700000000"); // 2023-11-14 22:13:20 UTC
        assertEquals(((2023 - 1980) << 9) | (11 << 5) | 14, dt[0]);
        assertEquals((22 << 11) | (13 << 5) | 10, dt[1]);
        assertArrayEquals(LambdaZip.dosDateTime(null), LambdaZip.dosDateTime("0"), "before 1980: 1980-01-01");
        assertArrayEquals(new int[]{(1 << 5) | 1, 0}, LambdaZip.dosDateTime("not a number"));
    }

    @Test
    void theManifestMatchesTheFilesAndNamesTheTools() throws IOException {
        Path lambda = zippedExample("manifest");
        JsonObject m = com.eclipsesource.json.Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject();
        List<JsonValue> fs = m.get("functions").asArray().values();
        assertEquals(LiteBuild.FUNCTIONS, fs.stream().map(f -> f.asObject().getString("name", "")).sorted().collect(Collectors.toList()));
        for (JsonValue v : fs) {
            JsonObject f = v.asObject();
            Path boot = lambda.resolve(f.getString("bootstrap", ""));
            assertEquals(f.getString("name", "") + "/bootstrap", f.getString("bootstrap", ""));
            assertEquals(sha256sum(boot), f.getString("sha256", ""), boot.toString());
            assertEquals(Files.size(boot), f.getLong("size", -1));
            JsonObject zip = f.get("zip").asObject();
            assertEquals(sha256sum(lambda.resolve(zip.getString("path", ""))), zip.getString("sha256", ""));
            assertEquals(Files.size(lambda.resolve(zip.getString("path", ""))), zip.getLong("size", -1));
            assertEquals("aarch64", f.getString("arch", ""));
            assertEquals("aarch64-unknown-linux-musl", f.getString("target", ""));
            assertEquals("static", f.getString("linkage", ""));
            assertTrue(f.getBoolean("stripped", false));
        }
        JsonObject tools = m.get("tools").asObject();
        assertTrue(tools.getString("rustc", "").startsWith("rustc 1."), tools.toString());
        assertTrue(tools.getString("cargo", "").startsWith("cargo 1."), tools.toString());
        assertTrue(tools.getString("cargo-zigbuild", "").startsWith("cargo-zigbuild 0."), tools.toString());
        assertTrue(tools.getString("zig", "").matches("0\\.\\d+\\.\\d+.*"), tools.toString());

        // A build of one function keeps the others listed, and records no zip where none was made.
        buildIn(Repo.ROOT, LiteBuild.env(), "--manifest-path", LiteBuild.MANIFEST.toString(),
                "--lambda-dir", lambda.toString(), "--bin", "backend");
        JsonObject again = com.eclipsesource.json.Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject();
        List<JsonValue> fs2 = again.get("functions").asArray().values();
        assertEquals(5, fs2.size(), again.toString());
        JsonObject backend = fs2.stream().map(JsonValue::asObject).filter(o -> o.getString("name", "").equals("backend")).findFirst().orElseThrow();
        assertTrue(backend.get("zip").isNull(), backend.toString());
    }

    @Test
    void maxSizeFailsATooLargeFunctionAndChangesNothing() throws IOException {
        Path lambda = zippedExample("max-size");
        Map<Path, byte[]> before = snapshot(lambda);
        Proc p = Proc.run(Repo.ROOT, LiteBuild.env(), List.of(Repo.ROOT.resolve("jbang").toString(), "build-lambda@.",
                "--manifest-path", LiteBuild.MANIFEST_ARG, "--zip", "--lambda-dir", lambda.toString(), "--max-size", "100KB"));
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.err.contains("FAIL backend: bootstrap is ") && p.err.contains("larger than --max-size 97.7 KiB"), p.err);
        assertTrue(p.err.contains("5 functions are too large; the bootstraps in " + lambda + " were left as they were"), p.err);
        Map<Path, byte[]> after = snapshot(lambda);
        assertEquals(before.keySet(), after.keySet(), "files were added or removed (temporary files left?)");
        for (Path f : before.keySet()) assertArrayEquals(before.get(f), after.get(f), f + " changed");
    }

    @Test
    void aGnuBinaryNeedingANewerGlibcFailsMaxGlibc() throws IOException {
        assertEquals(0, LiteBuild.get().exit);
        Path ws = Repo.scratch("glibc");
        Fixtures.writeCrate(ws, "glibc-fn", "fn main() { println!(\"{:?}\", std::env::args().count()); }\n");
        List<String> cmd = new ArrayList<>(List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString(),
                "--target", "aarch64-unknown-linux-gnu.2.34", "--lambda-dir", ws.resolve("out").toString()));
        List<String> strict = new ArrayList<>(cmd);
        strict.addAll(List.of("--max-glibc", "2.28"));
        Proc p = Proc.run(ws, LiteBuild.env(), strict);
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.err.contains("FAIL glibc-fn: needs GLIBC_2.34, newer than --max-glibc 2.28"), p.err);
        assertFalse(Files.exists(ws.resolve("out/glibc-fn/bootstrap")), "a failing binary was installed");
        List<String> al2023 = new ArrayList<>(cmd);
        al2023.addAll(List.of("--runtime", "provided.al2023", "--json"));
        Proc ok = Proc.run(ws, LiteBuild.env(), al2023);
        assertEquals(0, ok.exit, ok.toString());
        assertTrue(ok.out.contains("\"linkage\":\"dynamic\""), "glibc builds link glibc dynamically: " + ok.out);
        String file = Proc.run(ws, "file", "-b", ws.resolve("out/glibc-fn/bootstrap").toString()).out;
        assertTrue(file.contains("ARM aarch64") && file.contains("dynamically linked"), file);
    }

    @Test
    void tuneOnlyFillsWhatTheWorkspaceLeftOpen() throws IOException {
        Path m = Repo.scratch("tune").resolve("Cargo.toml");
        Files.writeString(m, "[profile.release]\nlto = \"fat\"\n");
        assertNull(Profiles.defaultSetting(Profiles.read(m), "release", Map.of(), "lto", "thin"));
        assertEquals(Map.entry("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1"), Profiles.defaultSetting(Profiles.read(m), "release", Map.of(), "codegen-units", "1"));
        Target arm = Target.of(null, "arm64", null), x86 = Target.of(null, "x86_64", null);
        RustFlags.Added plain = ParsersTest.cpu(arm, Map.of(), List.of());
        assertEquals(List.of("--config", "build.rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]"), plain.cargoArgs());
        assertEquals(Map.of("CFLAGS_aarch64_unknown_linux_musl", "-mcpu=neoverse-n1", "CXXFLAGS_aarch64_unknown_linux_musl", "-mcpu=neoverse-n1"),
                plain.env());
        RustFlags.Added x = ParsersTest.cpu(x86, Map.of(), List.of());
        assertEquals(List.of(), x.cargoArgs(), "no CPU choice for x86_64");
        assertEquals(Map.of(), x.env());
        RustFlags.Added chosen = ParsersTest.cpu(arm, Map.of("RUSTFLAGS", "-C target-cpu=generic"), List.of());
        assertEquals(List.of(), chosen.cargoArgs(), "the user's own target-cpu wins");
        assertNull(chosen.env().get("RUSTFLAGS"));
    }

    @Test
    void theTunedDefaultKeepsBuildRustflagsAndTunesCLikeRustWhileNoTuneIsPlain() {
        Path target = Repo.scratch("tuned-c");
        Map<String, String> env = Map.of("CARGO_TARGET_DIR", target.toString(), "NO_COLOR", "1");
        Proc tuned = Proc.jbang(env, "build-lambda@.", "--manifest-path", "tests/fixtures/tuned-c/Cargo.toml");
        assertEquals(0, tuned.exit, tuned.toString());
        assertTrue(tuned.err.contains("build-lambda: added where the workspace leaves them open (speed): strip=symbols, lto=thin, "
                + "panic=abort, codegen-units=1, -C target-cpu=neoverse-n1, -mcpu=neoverse-n1 for C and C++"), tuned.err);
        Path boot = target.resolve("lambda/tuned-c/bootstrap");
        Proc run = Proc.run(Repo.ROOT, null, List.of("qemu-aarch64-static", "-cpu", "neoverse-n1", boot.toString()), 60);
        assertEquals("build rustflags kept\nc tuned: 1", run.out.strip(), "the workspace's [build] rustflags applied, and the C is tuned: " + run);

        Proc plain = Proc.jbang(env, "build-lambda@.", "--manifest-path", "tests/fixtures/tuned-c/Cargo.toml", "--no-tune");
        assertEquals(0, plain.exit, plain.toString());
        assertTrue(plain.err.contains("build-lambda: added where the workspace leaves them open (plain, --no-tune): strip=symbols\n"), plain.err);
        Proc run2 = Proc.run(Repo.ROOT, null, List.of("qemu-aarch64-static", boot.toString()), 60);
        assertEquals("build rustflags kept\nc tuned: 0", run2.out.strip(), run2.toString());
    }

    @Test
    void aBuildInWhichCargoChangedNothingLeavesTheInstalledFilesAloneAndANewOutputIsInstalled() throws IOException {
        assertEquals(0, LiteBuild.get().exit);
        Path lambda = Repo.scratch("state").resolve("lambda");
        String[] args = {"build-lambda@.", "--manifest-path", LiteBuild.MANIFEST_ARG, "--bin", "ws-connect", "--zip", "--lambda-dir", lambda.toString()};
        assertEquals(0, Proc.jbang(LiteBuild.env(), args).exit);
        Path boot = lambda.resolve("ws-connect/bootstrap"), zip = lambda.resolve("ws-connect/bootstrap.zip");
        Object bootKey = Files.readAttributes(boot, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Object zipKey = Files.readAttributes(zip, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        String manifest = Files.readString(lambda.resolve("manifest.json"));

        Proc again = Proc.jbang(LiteBuild.env(), args);
        assertEquals(0, again.exit, again.toString());
        assertEquals(bootKey, Files.readAttributes(boot, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "the bootstrap was not rewritten");
        assertEquals(zipKey, Files.readAttributes(zip, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "nor the zip");
        assertEquals(manifest.replaceAll("\"tools\".*", ""), Files.readString(lambda.resolve("manifest.json")).replaceAll("\"tools\".*", ""),
                "the same entries, sha256 included");

        // A new output from cargo (here: its mtime) is installed again, and what it records still matches the file.
        Path output = LiteBuild.TARGET.resolve("aarch64-unknown-linux-musl/release/ws-connect");
        Files.setLastModifiedTime(output, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        assertEquals(0, Proc.jbang(LiteBuild.env(), args).exit);
        assertNotEquals(bootKey, Files.readAttributes(boot, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "installed again");
        assertTrue(Files.readString(lambda.resolve("manifest.json")).contains(sha256sum(boot)));
        // So is an installed file someone changed.
        Files.writeString(boot, "tampered");
        assertEquals(0, Proc.jbang(LiteBuild.env(), args).exit);
        assertEquals(sha256sum(output), sha256sum(boot), "the tampered bootstrap was replaced by cargo's output");
    }

    /** Two builds into one lambda folder: the second installs only once the first let go of the folder's lock. */
    @Test
    void aBuildWaitsForAnotherBuildInstallingIntoTheSameLambdaFolder() throws Exception {
        assertEquals(0, LiteBuild.get().exit);
        Path lambda = Repo.scratch("locked").resolve("lambda");
        Files.createDirectories(lambda);
        Path log = lambda.getParent().resolve("build.log");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lambda.resolve(".build-lambda.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.lock();
            ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("jbang").toString(), "build-lambda@.", "--manifest-path", LiteBuild.MANIFEST_ARG,
                    "--bin", "ws-connect", "--lambda-dir", lambda.toString()).directory(Repo.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(LiteBuild.env());
            Process build = pb.start();
            try {
                GatewayServer.waitFor(build, log, java.util.regex.Pattern.compile("waiting for another build to finish installing into " + java.util.regex.Pattern.quote(lambda.toString())), "waiting");
                assertFalse(Files.exists(lambda.resolve("ws-connect/bootstrap")), "installed while another build held the folder");
                assertFalse(Files.exists(lambda.resolve("manifest.json")), "a manifest written while another build held the folder");
                held.release();
                assertTrue(build.waitFor(600, java.util.concurrent.TimeUnit.SECONDS), "the build did not finish");
                assertEquals(0, build.exitValue(), Files.readString(log));
            } finally {
                build.descendants().forEach(ProcessHandle::destroyForcibly);
                build.destroyForcibly();
            }
        }
        assertTrue(Files.isExecutable(lambda.resolve("ws-connect/bootstrap")));
        assertTrue(Files.readString(lambda.resolve("manifest.json")).contains("\"ws-connect\""));
    }

    @Test
    void aTunedBuildPassesVerificationWithTheCpuFlag() {
        Path lambda = Repo.scratch("tuned").resolve("lambda");
        assertEquals(0, LiteBuild.get().exit);
        Proc p = Proc.run(Repo.ROOT, LiteBuild.env(), List.of(Repo.ROOT.resolve("jbang").toString(), "build-lambda@.",
                "--manifest-path", LiteBuild.MANIFEST_ARG, "--bin", "ws-connect", "--tune", "--verbose", "--lambda-dir", lambda.toString()));
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("target-cpu=neoverse-n1"), p.err);
        assertTrue(Files.isExecutable(lambda.resolve("ws-connect/bootstrap")));
    }

    static String sha256sum(Path p) {
        return Proc.run(Repo.ROOT, "sha256sum", p.toString()).out.split(" ")[0];
    }

    static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) m.put(p, Files.readAllBytes(p));
        }
        return m;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(q -> !from.relativize(q).startsWith("target")).collect(Collectors.toList())) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(d);
                else Files.copy(p, d);
            }
        }
    }
}
