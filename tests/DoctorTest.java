import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** doctor for real: this machine as it is, PATHs that lack tools, --fix installing into a venv, a hung docker stand-in. */
class DoctorTest {

    @Test
    void everythingTheZigBuildNeedsIsHereAndDockerRowsAreNotNeeded() {
        Proc p = doctor(env(), "--json");
        Map<String, JsonObject> r = rows(p);
        assertEquals(0, p.exit, p.toString());
        for (String name : List.of("java", "jbang", "rustc", "cargo", "std", "zig", "cargo-zigbuild")) {
            assertRow(r, name, "ok", "required");
        }
        assertTrue(version(r, "jbang").matches("\\d+\\.\\d+\\.\\d+"), p.out);
        assertEquals(Repo.pinnedZig(), version(r, "zig"), "the zig setup.sh pins: " + p.out);
        assertEquals("ok", r.get("zig").getString("status", ""), "a version measured to work: " + p.out);
        assertTrue(version(r, "cargo-zigbuild").matches("0\\.\\d+\\.\\d+"), p.out);
        assertTrue(version(r, "rustc").matches("1\\.\\d+\\.\\d+"), p.out);
        assertEquals("std aarch64-unknown-linux-musl", r.get("std").getString("label", ""));
        assertRow(r, "docker", "ok", "not needed");
        assertEquals("not needed", r.get("docker-engine").getString("need", ""));
        assertEquals("optional", r.get("qemu").getString("need", ""));
        assertEquals("optional", r.get("bootstrap").getString("need", ""));
        assertEquals("not needed", r.get("sccache").getString("need", ""), "no --sccache, no RUSTC_WRAPPER=sccache");
        assertEquals("", p.err.strip(), "nothing on stderr: " + p);
    }

    @Test
    void theTableHasOneRowPerCheckAndAVerdict() {
        Proc p = doctor(env());
        assertEquals(0, p.exit, p.toString());
        List<String> lines = p.out.strip().lines().toList();
        assertTrue(lines.get(0).matches("CHECK\\s+STATUS\\s+VERSION\\s+REQUIRED\\s+FIX / NOTE"), lines.get(0));
        for (String label : List.of("Java", "JBang", "rustc", "cargo", "std aarch64-unknown-linux-musl", "zig", "cargo-zigbuild",
                "linker", "docker client", "docker engine", "podman", "container image", "qemu-user (aarch64)", "existing build", "sccache (compile cache)")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(label + " ")), label + " row missing:\n" + p.out);
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("zig\\s+ok\\s+0\\.\\d+\\.\\d+\\s+yes\\s+.*")), p.out);
        assertEquals("Ready for the zig build (build-lambda): every required check passes.", lines.get(lines.size() - 1));
    }

    @Test
    void aPathWithoutZigOrCargoZigbuildMissesBothAndNamesTheFixes() throws IOException {
        Map<String, String> env = env();
        env.put("PATH", rustOnlyBin("no-zig") + ":/usr/bin:/bin");
        Proc pre = Proc.run(Repo.ROOT, env, List.of("/bin/sh", "-c",
                "command -v zig || command -v cargo-zigbuild || python3 -c 'import ziglang'"));
        assertNotEquals(0, pre.exit, "this PATH still reaches zig or cargo-zigbuild, the test would prove nothing: " + pre);

        Proc p = doctor(env, "--json");
        Map<String, JsonObject> r = rows(p);
        assertEquals(1, p.exit, p.toString());
        assertRow(r, "zig", "missing", "required");
        assertRow(r, "cargo-zigbuild", "missing", "required");
        assertTrue(fix(r, "zig").contains("pip install ziglang"), p.out);
        assertTrue(fix(r, "cargo-zigbuild").contains("cargo-zigbuild") && fix(r, "cargo-zigbuild").contains("pip install"), p.out);
        assertTrue(detail(r, "zig").contains("python3 -m ziglang"), "says where cargo-zigbuild looks: " + p.out);
        assertTrue((fix(r, "cargo-zigbuild") + detail(r, "cargo-zigbuild")).contains("cargo install --locked cargo-zigbuild"), p.out);
        assertRow(r, "std", "ok", "required");
    }

    @Test
    void aDockerClientWithoutAnEngineIsTwoRowsAndBlocksTheDockerBuild() {
        Proc info = Proc.run(Repo.ROOT, "/bin/sh", "-c", "docker info");
        assertNotEquals(0, info.exit, "a docker engine answers here; this test is about a client without one, as on this project's machines");
        Map<String, String> env = env();
        env.put("CONTAINER_ENGINE", null);
        Proc p = doctor(env, "--for", "docker", "--json");
        Map<String, JsonObject> r = rows(p);
        assertEquals(1, p.exit, p.toString());
        assertRow(r, "docker", "ok", "required");
        assertRow(r, "docker-engine", "missing", "required");
        assertTrue(detail(r, "docker-engine").startsWith("the docker client is installed, but no engine answers: "), p.out);
        assertTrue(fix(r, "docker-engine").contains("systemctl start docker"), p.out);
        if (podmanAnswers()) assertTrue(fix(r, "docker-engine").contains("CONTAINER_ENGINE=podman"), p.out);
        assertEquals("required", r.get("image").getString("need", ""));
        assertEquals("optional", r.get("cargo").getString("need", ""), "the docker build runs cargo metadata in its container");
        assertEquals("not needed", r.get("zig").getString("need", ""));
    }

    @Test
    void podmanAsTheChosenEngineMakesTheDockerRowsOptional() {
        assertTrue(podmanAnswers(), "no podman that answers `podman info` here (setup.sh installs podman and runc)");
        Map<String, String> env = env();
        env.put("CONTAINER_ENGINE", "podman");
        Proc p = doctor(env, "--for", "docker", "--json");
        Map<String, JsonObject> r = rows(p);
        assertRow(r, "podman", "ok", "required");
        assertEquals("optional", r.get("docker").getString("need", ""));
        assertEquals("optional", r.get("docker-engine").getString("need", ""));
        assertEquals("required", r.get("image").getString("need", ""));
        boolean image = r.get("image").getString("status", "").equals("ok");
        assertEquals(image ? 0 : 1, p.exit, "only the image can be missing here: " + p);
        if (!image) assertTrue(fix(r, "image").startsWith("podman pull "), p.out);
    }

    @Test
    void timeoutStandInHungDockerInfo() throws IOException {
        // A stand-in: no real engine can be made to hang on demand. It answers --version and hangs on anything else.
        Path bin = Repo.scratch("hung-docker");
        Proc p = doctorWithDocker(bin, "if [ \"$1\" = --version ]; then echo 'Docker version 99.0.0, build standin'; exit 0; fi\nexec sleep 60\n");
        Map<String, JsonObject> r = rows(p);
        assertEquals(1, p.exit, p.toString());
        assertRow(r, "docker", "ok", "required");
        assertEquals("99.0.0", version(r, "docker"));
        assertRow(r, "docker-engine", "missing", "required");
        assertTrue(detail(r, "docker-engine").contains("`docker info --format {{.ServerVersion}}` did not answer within 2 s, asked twice"), p.out);
    }

    @Test
    void timeoutStandInSlowFirstStartIsAskedAgainAndAnswers() throws IOException {
        // A stand-in for a tool whose first start after boot is slow (cold disk): it hangs the first time it is
        // started, and answers at once after that. doctor must ask again rather than call it missing.
        Path bin = Repo.scratch("slow-first-docker");
        Path started = bin.resolve("started-once");
        Proc p = doctorWithDocker(bin, "if [ \"$1\" = --version ] && [ ! -e '" + started + "' ]; then : > '" + started
                + "'; exec sleep 60; fi\nif [ \"$1\" = --version ]; then echo 'Docker version 98.1.0, build standin'; exit 0; fi\n"
                + "echo 'Cannot connect to the Docker daemon at unix:///nowhere.sock.' >&2; exit 1\n");
        Map<String, JsonObject> r = rows(p);
        assertTrue(Files.exists(started), "the stand-in was never started: " + p);
        assertRow(r, "docker", "ok", "required");
        assertEquals("98.1.0", version(r, "docker"));
        assertRow(r, "docker-engine", "missing", "required");
    }

    /** `doctor --for docker --timeout 2 --json` with bin/docker, a shell script of this body, first on PATH. */
    private Proc doctorWithDocker(Path bin, String body) throws IOException {
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = env();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("CONTAINER_ENGINE", null);
        List<String> cmd = List.of(Repo.ROOT.resolve("jbang").toString(), "doctor@.", "--for", "docker", "--timeout", "2", "--json");
        return Proc.run(Repo.ROOT, env, cmd, 120);
    }

    @Test
    void fixInstallsZigAndCargoZigbuildWithPipIntoAVenvAndChecksAgain() throws IOException {
        thenDelete(venv("doctor-venv"), this::fixInstallsInto);
    }

    interface InFolder {
        void run(Path dir) throws IOException;
    }

    /** Runs test in dir, then removes dir whatever the outcome. */
    private static void thenDelete(Path dir, InFolder test) throws IOException {
        try {
            test.run(dir);
        } finally {
            Install.deleteTree(dir);
        }
    }

    private void fixInstallsInto(Path venv) throws IOException {
        Map<String, String> env = env();
        env.put("PATH", venv.resolve("bin") + ":" + rustOnlyBin("venv-rust") + ":/usr/bin:/bin");

        Proc before = doctor(env, "--json");
        Map<String, JsonObject> r = rows(before);
        assertEquals(1, before.exit, before.toString());
        // --fix would otherwise run `rustup target add` on this machine's toolchain: only zig and cargo-zigbuild may be missing.
        for (JsonObject row : r.values()) {
            if (row.getBoolean("required", false) && !row.getString("name", "").matches("zig|cargo-zigbuild")) {
                assertEquals("ok", row.getString("status", ""), "precondition: " + row);
            }
        }
        assertEquals("python3 -m pip install ziglang==0.15.2", fix(r, "zig"));
        assertEquals("python3 -m pip install cargo-zigbuild", fix(r, "cargo-zigbuild"));
        assertTrue(r.get("zig").getBoolean("auto_fix", false) && r.get("cargo-zigbuild").getBoolean("auto_fix", false), before.out);

        Proc p = doctor(env, "--fix");
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("doctor: running: python3 -m pip install ziglang==0.15.2\n"), p.err);
        assertTrue(p.err.contains("doctor: running: python3 -m pip install cargo-zigbuild\n"), p.err);
        assertTrue(p.err.contains("doctor: checking again"), p.err);
        List<String> out = p.out.strip().lines().toList();
        assertEquals(2, out.stream().filter(l -> l.startsWith("CHECK ")).count(), "the table before and after:\n" + p.out);
        assertTrue(out.stream().anyMatch(l -> l.matches("zig\\s+ok\\s+0\\.15\\.2\\s+yes\\s+python3 -m ziglang .*")), p.out);
        assertEquals("Ready for the zig build (build-lambda): every required check passes.", out.get(out.size() - 1));
        assertTrue(Files.isExecutable(venv.resolve("bin/cargo-zigbuild")), "installed into the venv");
    }

    @Test
    void zig016WorksWithCargoZigbuild024AsMeasuredAndAnUnmeasuredZigWarns() throws IOException {
        Path venv = venv("doctor-zig16");
        try {
            Proc pip = Proc.run(Repo.ROOT, null, List.of(venv.resolve("bin/python3").toString(), "-m", "pip", "install", "-q",
                    "ziglang==0.16.0", "cargo-zigbuild==0.24.0"), 600);
            assertEquals(0, pip.exit, pip.toString());
            Map<String, String> env = env();
            env.put("PATH", venv.resolve("bin") + ":" + rustOnlyBin("zig16-rust") + ":/usr/bin:/bin");
            Proc p = doctor(env, "--json");
            Map<String, JsonObject> r = rows(p);
            assertEquals(0, p.exit, p.toString());
            // bench/zig-versions.sh built C dependencies with zig 0.16.0 and cargo-zigbuild 0.24.0: `zig ar` worked.
            assertRow(r, "zig", "ok", "required");
            assertEquals("0.16.0", version(r, "zig"));
            assertEquals("0.24.0", version(r, "cargo-zigbuild"));
            assertTrue(detail(r, "zig").contains("measured to work with cargo-zigbuild 0.24.0"), p.out);
            // A zig no measurement covers warns (it does not block), naming the measured ones and the pin.
            assertEquals(null, ZigChecks.unmeasured("0.17.1"));
            String w = ZigChecks.unmeasured("0.14.1");
            assertTrue(w.contains("0.15, 0.16, 0.17") && w.contains("bench/zig-versions.sh") && w.contains("ziglang==0.15.2"), w);
            assertTrue(ZigChecks.unmeasured("0.18.0") != null);
        } finally {
            Install.deleteTree(venv);
        }
    }

    @Test
    void anUnknownBuildIsAOneLineUsageError() {
        Proc p = doctor(env(), "--for", "banana");
        assertEquals(2, p.exit, p.toString());
        assertEquals("", p.out.strip());
        List<String> err = p.err.strip().lines().toList();
        assertEquals("doctor: unknown --for 'banana' (use zig, docker, native or smart)", err.get(0));
        assertTrue(err.size() == 1 || (err.size() == 2 && err.get(1).equals("Try 'doctor --help' for usage.")), p.err);
    }

    @Test
    void theExistingBuildRowRunsVerifyElfAndNeverBlocks() throws IOException {
        Path ws = Repo.scratch("doctor-built");
        Fixtures.writeCrate(ws, "built", "fn main() {}\n");
        Path lambda = ws.resolve("target/lambda");
        Path good = bootstrap(lambda, "good"), bad = bootstrap(lambda, "bad"), noexec = bootstrap(lambda, "noexec");
        Files.writeString(ws.resolve("hello.c"), "int main(void) { return 0; }\n");
        Proc cc = Proc.run(ws, "aarch64-linux-gnu-gcc", "-static", "-s", "-O2", "-o", good.toString(), "hello.c");
        assertEquals(0, cc.exit, cc.toString());
        Files.copy(Path.of("/bin/ls"), bad);
        Files.copy(good, noexec);
        Files.setPosixFilePermissions(noexec, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = env();
        env.put("CARGO_TARGET_DIR", null);

        Proc p = doctor(env, "--json", "--manifest-path", ws.resolve("Cargo.toml").toString());
        Map<String, JsonObject> r = rows(p);
        assertEquals(0, p.exit, "a failing bootstrap is reported, not a missing prerequisite: " + p);
        assertRow(r, "bootstrap", "fail", "optional");
        assertEquals("3 bootstraps", version(r, "bootstrap"));
        String d = detail(r, "bootstrap");
        assertTrue(d.startsWith("2 of 3 fail verify-elf in "), d);
        assertTrue(d.contains("bad: x86-64, expected aarch64"), d);
        assertTrue(d.contains("noexec: not executable"), d);
        assertFalse(d.contains("good:"), d);
        assertTrue(fix(r, "bootstrap").contains("jbang build-lambda@."), p.out);

        Files.delete(bad);
        Files.delete(noexec);
        Proc again = doctor(env, "--json", "--manifest-path", ws.resolve("Cargo.toml").toString());
        Map<String, JsonObject> r2 = rows(again);
        assertRow(r2, "bootstrap", "ok", "optional");
        assertEquals("1 bootstrap", version(r2, "bootstrap"));
    }

    @Test
    void outsideAnyWorkspaceAMissingStdNamesRustupTargetAdd() throws IOException {
        // Outside the project: its rustup override and .cargo/config.toml must not apply.
        thenDelete(Files.createTempDirectory("doctor-outside-"), this::missingStdOutside);
    }

    private void missingStdOutside(Path dir) throws IOException {
        Map<String, String> env = env();
        env.put("RUSTUP_TOOLCHAIN", "stable");
        Proc sysroot = Proc.run(dir, env, List.of("rustc", "--print", "sysroot"));
        assertEquals(0, sysroot.exit, "no rustup stable toolchain: " + sysroot);
        // A target whose std setup.sh never installs.
        String triple = "x86_64-unknown-linux-gnux32";
        assertFalse(Files.isDirectory(Path.of(sysroot.out.strip(), "lib/rustlib", triple)), "stable has " + triple + "'s std: nothing would be missing");

        Proc p = Proc.run(dir, env, List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("doctor.java").toString(),
                "--target", triple, "--json"));
        Map<String, JsonObject> r = rows(p);
        assertEquals(1, p.exit, p.toString());
        assertRow(r, "std", "missing", "required");
        assertEquals("rustup target add " + triple, fix(r, "std"));
        assertTrue(r.get("std").getBoolean("auto_fix", false), p.out);
        assertTrue(detail(r, "std").contains("build it from source"), "names the offline route: " + p.out);
        assertRow(r, "bootstrap", "missing", "optional");
        assertTrue(detail(r, "bootstrap").startsWith("no Cargo.toml in " + dir.toRealPath()), p.out);
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("NO_COLOR", "1");
        return env;
    }

    private static Proc doctor(Map<String, String> env, String... args) {
        return Proc.jbang(env, prepend("doctor@.", args));
    }

    private static String[] prepend(String first, String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    /** cargo, rustc and rustup (rustup's proxies) and nothing else from ~/.cargo/bin. */
    private static Path rustOnlyBin(String name) throws IOException {
        Path bin = Repo.scratch(name);
        // cargo-auditable too: setup.sh installs it beside cargo, and without it the SBOM row warns.
        for (String tool : List.of("cargo", "rustc", "rustup", "cargo-auditable")) {
            Path real = Path.of(System.getProperty("user.home"), ".cargo/bin", tool);
            if (Files.exists(real)) Files.createSymbolicLink(bin.resolve(tool), real);
        }
        return bin;
    }

    /** A fresh Python venv (pip reaches PyPI here), made by the python3 on the test's PATH. */
    private static Path venv(String name) {
        Path venv = Repo.scratch(name).resolve("venv");
        Proc made = Proc.run(Repo.ROOT, null, List.of("python3", "-m", "venv", venv.toString()), 300);
        assertEquals(0, made.exit, made.toString());
        return venv;
    }

    private static boolean podmanAnswers() {
        return Proc.run(Repo.ROOT, "/bin/sh", "-c", "podman info >/dev/null 2>&1").exit == 0;
    }

    private static Path bootstrap(Path lambda, String function) throws IOException {
        Path dir = lambda.resolve(function);
        Files.createDirectories(dir);
        return dir.resolve("bootstrap");
    }

    /** The --json output by row name; stdout must be only that array. */
    private static Map<String, JsonObject> rows(Proc p) {
        String json = p.out.strip();
        assertTrue(json.startsWith("[") && json.endsWith("]"), "stdout must be only the JSON array:\n" + p);
        Map<String, JsonObject> m = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonValue v : com.eclipsesource.json.Json.parse(json).asArray()) {
            JsonObject o = v.asObject();
            for (String key : List.of("name", "status", "version", "required", "need", "fix", "detail")) {
                assertNotNull(o.get(key), key + " missing in " + o);
            }
            m.put(o.getString("name", "?"), o);
            names.add(o.getString("name", "?"));
        }
        assertEquals(List.of("java", "jbang", "rustc", "cargo", "std", "zig", "cargo-zigbuild", "linker", "docker", "docker-engine",
                "podman", "image", "qemu", "bootstrap", "sccache", "cargo-auditable"), names, "rows in their fixed order");
        return m;
    }

    private static void assertRow(Map<String, JsonObject> r, String name, String status, String need) {
        JsonObject o = r.get(name);
        assertEquals(status, o.getString("status", ""), name + ": " + o);
        assertEquals(need, o.getString("need", ""), name + ": " + o);
        assertEquals(need.equals("required"), o.getBoolean("required", false), name + ": " + o);
        if (!status.equals("ok") && need.equals("required")) assertFalse(o.get("fix").isNull(), "a missing row names its fix: " + o);
    }

    private static String version(Map<String, JsonObject> r, String name) {
        JsonValue v = r.get(name).get("version");
        return v.isNull() ? "" : v.asString();
    }

    private static String fix(Map<String, JsonObject> r, String name) {
        JsonValue v = r.get(name).get("fix");
        return v.isNull() ? "" : v.asString();
    }

    private static String detail(Map<String, JsonObject> r, String name) {
        JsonValue v = r.get(name).get("detail");
        return v.isNull() ? "" : v.asString();
    }
}
