import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * build-lambda starts last time's cargo call before it reads its options (EarlyCargo), for real: a second identical
 * build adopts it, a build whose plan changed stops it and runs its own, and a build that fails before cargo leaves
 * no early cargo running.
 */
class EarlyCargoTest {
    private static final String ADOPTED = "cargo was started before the options were read (last time's call, and this build's)";
    private static final String CHECKED_BESIDE = "the prerequisites were checked beside it";
    private static final String STOPPED = "was last time's, not this build's: stopped it";

    /** Two std-only functions; PATH begins with bin (empty unless a test puts something there). */
    private record Setup(Path ws, Path bin, Path cache, Map<String, String> env) {}

    private static Setup setup(String name) throws IOException {
        Path dir = Repo.scratch(name), ws = dir.resolve("ws"), bin = dir.resolve("bin"), cache = dir.resolve("cache");
        Files.createDirectories(bin);
        Fixtures.twoStdFunctions(ws);
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", cache.toString());
        env.put("CARGO_TARGET_DIR", dir.resolve("target").toString());
        env.put("NO_COLOR", "1");
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("BUILD_LAMBDA_NO_EARLY_CARGO", null);
        return new Setup(ws, bin, cache, env);
    }

    private static Proc build(Setup s, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("build-lambda@.", "--manifest-path", s.ws().resolve("Cargo.toml").toString(), "--verbose",
                "--no-tune"));
        args.addAll(List.of(more));
        return Proc.jbang(s.env(), args.toArray(String[]::new));
    }

    private static List<Path> records(Setup s) throws IOException {
        Path dir = s.cache().resolve("build-lambda/early-cargo");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> l = Files.list(dir)) {
            return l.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void theSameBuildAgainAdoptsTheEarlyCargoAndAChangedPlanStopsIt() throws IOException {
        Setup s = setup("early-cargo");
        Proc first = build(s);
        assertEquals(0, first.exit, first.toString());
        assertFalse(first.err.contains(ADOPTED), "nothing recorded yet, nothing started early: " + first.err);
        assertEquals(1, records(s).size(), "the planned call is recorded: " + records(s));

        Proc second = build(s);
        assertEquals(0, second.exit, second.toString());
        assertTrue(second.err.contains(ADOPTED), second.err);
        assertTrue(second.err.contains("Finished `release` profile"), "cargo's own output, held back and then shown: " + second.err);
        for (String f : List.of("alpha", "beta")) assertTrue(second.out.contains("lambda/" + f + "/bootstrap"), second.out);

        // The workspace now has rustflags of its own, which the build's --config merges: last time's call (started early:
        // same words, same environment) is not this build's.
        Files.createDirectories(s.ws().resolve(".cargo"));
        Files.writeString(s.ws().resolve(".cargo/config.toml"), "[target.aarch64-unknown-linux-musl]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]\n");
        Proc changed = build(s);
        assertEquals(0, changed.exit, changed.toString());
        assertTrue(changed.err.contains(STOPPED), changed.err);
        assertTrue(changed.err.contains("--config target.'aarch64-unknown-linux-musl'.rustflags"),
                "the new plan ran (the remaps go where the workspace's own rustflags are), not the old: " + changed.err);

        Proc again = build(s);
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.err.contains(ADOPTED), "the changed plan was recorded and is adopted next time: " + again.err);

        Map<String, String> off = new HashMap<>(s.env());
        off.put("BUILD_LAMBDA_NO_EARLY_CARGO", "1");
        List<String> args = List.of("build-lambda@.", "--manifest-path", s.ws().resolve("Cargo.toml").toString(), "--verbose", "--no-tune");
        Proc without = Proc.jbang(off, args.toArray(String[]::new));
        assertEquals(0, without.exit, without.toString());
        assertFalse(without.err.contains(ADOPTED) || without.err.contains(STOPPED), without.err);
    }

    @Test
    void theZigTheProbeFoundIsHandedToCargoZigbuildAndAnotherZigRunsTheEarlyCallAgain() throws IOException {
        Setup s = setup("early-cargo-zig");
        // python3 on PATH is the real interpreter with a PYTHONPATH read from a file: a folder whose ziglang is a link
        // to the installed package. The environment stays the same (the early call's record is found); the zig that
        // `python3 -m ziglang` runs changes when the file does.
        String python = Proc.run(Repo.ROOT, "python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))").out.strip();
        Path pkg = Path.of(Proc.run(Repo.ROOT, "python3", "-c", "import os, ziglang; print(os.path.dirname(os.path.realpath(ziglang.__file__)))").out.strip());
        Path dir = s.bin().getParent(), a = dir.resolve("zig-a"), b = dir.resolve("zig-b"), which = dir.resolve("zig-dir");
        for (Path d : List.of(a, b)) {
            Files.createDirectories(d);
            Files.createSymbolicLink(d.resolve("ziglang"), pkg);
        }
        Files.writeString(which, a.toString());
        Path py = s.bin().resolve("python3");
        Path calls = dir.resolve("python-calls");
        Files.writeString(py, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nPYTHONPATH=\"$(cat '" + which + "')\" exec '" + python + "' \"$@\"\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
        // alpha's build script sleeps when its trigger changes: a build that runs well past the moment a quick no-op ends.
        Path alpha = s.ws().resolve("alpha");
        Files.writeString(alpha.resolve("trigger"), "1");
        Files.writeString(alpha.resolve("build.rs"), "fn main() { println!(\"cargo:rerun-if-changed=trigger\"); "
                + "if std::fs::read_to_string(\"trigger\").unwrap().trim() != \"1\" { std::thread::sleep(std::time::Duration::from_secs(3)); } }\n");

        String zigA = "CARGO_ZIGBUILD_ZIG_COMMAND=" + a.resolve("ziglang/zig"), zigB = "CARGO_ZIGBUILD_ZIG_COMMAND=" + b.resolve("ziglang/zig");
        Proc first = build(s);
        assertEquals(0, first.exit, first.toString());
        assertTrue(first.err.contains(zigA) && first.err.contains("CARGO_ZIGBUILD_ZIG_VERSION="), "the probe's zig, handed over: " + first.err);

        Proc second = build(s);
        assertEquals(0, second.exit, second.toString());
        assertTrue(second.err.contains(ADOPTED) && second.err.contains(zigA), "a no-op adopts last time's call with its zig: " + second.err);
        // The pinned cargo-zigbuild took the zig it was handed: it never ran `python3 -m ziglang` (the probe's one python ran once).
        List<String> ran = Files.readAllLines(calls);
        assertTrue(ran.stream().noneMatch(l -> l.contains("-m ziglang")), "cargo-zigbuild looked for zig itself: " + ran);
        // The no-op skips the probe when its cargo ends within CargoBuild.SOON_MS; on a loaded machine it may not, and
        // then it says so and probes beside it: never a probe that was not needed, never one it does not say.
        int probes = second.err.contains(CHECKED_BESIDE) ? 2 : 1;
        assertTrue(ran.stream().allMatch(l -> l.startsWith("-c import os, ziglang")), "only the probe ran python: " + ran);
        assertEquals(probes, ran.size(), "the probe ran for the first build" + (probes == 2 ? " and beside the slow no-op: " : " only: ") + ran);

        // Another zig now, and a build that runs long enough for the probe: the early call (zig a) is stopped and run with zig b.
        Files.writeString(which, b.toString());
        Files.writeString(alpha.resolve("trigger"), "2");
        Proc switched = build(s);
        assertEquals(0, switched.exit, switched.toString());
        assertTrue(switched.err.contains("had another handoff") && switched.err.contains(zigB), switched.err);
        for (String f : List.of("alpha", "beta")) assertTrue(switched.out.contains("lambda/" + f + "/bootstrap"), switched.out);

        Proc after = build(s);
        assertEquals(0, after.exit, after.toString());
        assertTrue(after.err.contains(ADOPTED) && after.err.contains(zigB) && !after.err.contains(zigA), "zig b is what is recorded now: " + after.err);
    }

    @Test
    void aBuildThatFailsBeforeItsCargoCallStopsTheEarlyOne() throws IOException {
        Setup s = setup("early-cargo-fail");
        Proc first = build(s, "-p", "beta");
        assertEquals(0, first.exit, first.toString());

        // Next time the build call hangs (a stand-in cargo-auditable first on PATH, the same PATH as before: the
        // recorded call starts early), and beta is gone from the workspace, so the build fails on -p beta.
        Path pidFile = s.bin().resolve("early.pid");
        Path standIn = s.bin().resolve("cargo-auditable");
        Files.writeString(standIn, "#!/bin/sh\necho $$ > '" + pidFile + "'\nexec sleep 600\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path toml = s.ws().resolve("Cargo.toml");
        Files.writeString(toml, Files.readString(toml).replace(", \"beta\"", ""));
        Proc failed = build(s, "-p", "beta");
        assertNotEquals(0, failed.exit, failed.toString());
        assertTrue(failed.err.contains("beta"), "says what is wrong: " + failed.err);
        assertTrue(Files.exists(pidFile), "the recorded call was started early: " + failed);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the early cargo was stopped: pid " + pid);
    }
}
