import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A no-op build repeats its recorded report (Replay) only while nothing it depends on changed, for real: the third
 * identical build prints the second's bytes and writes nothing, and each change below runs the whole build, whose
 * report shows the change. Which path ran is read from the outcome file ("replayed": true), never from stderr.
 */
class ReplayTest {
    /** Two std-only functions, a cache folder and a target folder of their own; PATH begins with bin. */
    private record Setup(Path ws, Path bin, Path target, Path outcome, Map<String, String> env) {
        Path lambda() {
            return target.resolve("lambda");
        }
    }

    private static Setup setup(String name) throws IOException {
        Path dir = Repo.scratch(name), ws = dir.resolve("ws"), bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Fixtures.twoStdFunctions(ws);
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("CARGO_TARGET_DIR", dir.resolve("target").toString());
        env.put("BUILD_LAMBDA_OUTCOME", dir.resolve("outcome.json").toString());
        env.put("NO_COLOR", "1");
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("BUILD_LAMBDA_NO_EARLY_CARGO", null);
        env.put("BUILD_LAMBDA_NO_REPLAY", null);
        return new Setup(ws, bin, dir.resolve("target"), dir.resolve("outcome.json"), env);
    }

    /** A workspace built once and recorded: its next build repeats. */
    private static Setup recorded(String name) throws IOException {
        Setup s = setup(name);
        Proc first = build(s);
        assertEquals(0, first.exit, first.toString());
        recordAgain(s, first);
        return s;
    }

    private static Proc build(Setup s, String... more) {
        List<String> args = new ArrayList<>(List.of("build-lambda@.", "--manifest-path", s.ws().resolve("Cargo.toml").toString()));
        args.addAll(List.of(more));
        return Proc.jbang(s.env(), args.toArray(String[]::new));
    }

    private static boolean replayed(Setup s) throws IOException {
        String outcome = Files.readString(s.outcome());
        assertTrue(outcome.contains("\"exit\":0") || outcome.contains("\"exit\": 0"), outcome);
        return outcome.contains("\"replayed\"");
    }

    /**
     * Back to a recorded state after the whole build `full`: the next build repeats it if `full` itself changed
     * nothing in the lambda folder (it recorded), else it runs whole and records, and the one after repeats that.
     * Either way the repeat prints what the whole build before it printed.
     */
    private static Proc recordAgain(Setup s, Proc full) throws IOException {
        Proc next = build(s);
        assertEquals(0, next.exit, next.toString());
        if (!replayed(s)) {
            full = next;
            next = build(s);
            assertEquals(0, next.exit, next.toString());
            assertTrue(replayed(s), "nothing changed since the recording build: " + next);
        }
        assertEquals(full.out, next.out);
        assertEquals(withoutTiming(full.err), withoutTiming(next.err));
        return next;
    }

    /** Every file under the lambda folder with its size, mtime and inode. */
    private static Map<String, String> identities(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
                        + Files.readAttributes(p, "unix:ino").get("ino"));
            }
        }
        return m;
    }

    /** cargo's own timing line is the one part of a no-op's output that differs between runs. */
    private static String withoutTiming(String err) {
        return err.replaceAll("(Finished `release` profile \\[[^]]*\\] target\\(s\\) in )[0-9.]+m?s", "$1T");
    }

    @Test
    void theSameNoOpAgainPrintsTheSameBytesAndWritesNothing() throws IOException {
        Setup s = setup("replay-same");
        Proc first = build(s);
        assertEquals(0, first.exit, first.toString());
        assertFalse(replayed(s), first.toString());
        Proc second = build(s);
        assertEquals(0, second.exit, second.toString());
        assertFalse(replayed(s), "the first no-op runs whole, and records: " + second);
        Map<String, String> before = identities(s.lambda());

        Proc third = build(s);
        assertEquals(0, third.exit, third.toString());
        assertTrue(replayed(s), "the second no-op repeats the first: " + third);
        assertEquals(second.out, third.out, "the same report, byte for byte");
        assertEquals(withoutTiming(second.err), withoutTiming(third.err), "the same lines on stderr, cargo's among them as it printed them");
        assertTrue(third.err.contains("Finished `release` profile"), "cargo ran, and its output is shown: " + third.err);
        for (String f : List.of("alpha", "beta")) assertTrue(third.out.contains("lambda/" + f + "/bootstrap"), third.out);
        assertEquals(before, identities(s.lambda()), "a repeated no-op writes nothing in the lambda folder");

        // --json: a record of its own (other words), the same report on stdout.
        Proc json = build(s, "--json");
        assertEquals(0, json.exit, json.toString());
        Proc json2 = build(s, "--json");
        Proc json3 = build(s, "--json");
        assertEquals(0, json3.exit, json3.toString());
        assertTrue(replayed(s), json3.toString());
        assertEquals(json2.out, json3.out);
        assertTrue(json3.out.startsWith("{"), json3.out);

        // --verbose never repeats: what it shows is what runs.
        for (int i = 0; i < 3; i++) {
            Proc verbose = build(s, "--verbose");
            assertEquals(0, verbose.exit, verbose.toString());
            assertFalse(replayed(s), verbose.toString());
        }
        // Nor with the switch off.
        s.env().put("BUILD_LAMBDA_NO_REPLAY", "1");
        for (int i = 0; i < 3; i++) {
            Proc off = build(s);
            assertEquals(0, off.exit, off.toString());
            assertFalse(replayed(s), off.toString());
        }
    }

    @Test
    void eachChangeAReplayDependsOnRunsTheWholeBuild() throws IOException {
        Setup s = recorded("replay-changes");

        // A bootstrap removed from the lambda folder: put back.
        Path alpha = s.lambda().resolve("alpha/bootstrap");
        Files.delete(alpha);
        Proc restored = build(s);
        assertEquals(0, restored.exit, restored.toString());
        assertFalse(replayed(s), restored.toString());
        assertTrue(Files.isRegularFile(alpha), "the whole build installed it again");
        recordAgain(s, restored);

        // A new bin target, found by cargo's own rules (no manifest edited): built and installed.
        Path gamma = s.ws().resolve("beta/src/bin/gamma.rs");
        Files.createDirectories(gamma.getParent());
        Files.writeString(gamma, "fn main() { println!(\"gamma\"); }\n");
        Proc added = build(s);
        assertEquals(0, added.exit, added.toString());
        assertFalse(replayed(s), added.toString());
        assertTrue(added.out.contains("lambda/gamma/bootstrap"), added.out);
        recordAgain(s, added);

        // That target gone again: cargo rebuilds nothing (its binary stays in cargo's folder), only cargo metadata's
        // answer differs; the report no longer lists it.
        Files.delete(gamma);
        Proc removed = build(s);
        assertEquals(0, removed.exit, removed.toString());
        assertFalse(replayed(s), removed.toString());
        assertFalse(removed.out.contains("lambda/gamma/bootstrap"), removed.out);
        recordAgain(s, removed);

        // A cargo config file where there was none (the plan reads its rustflags).
        Files.createDirectories(s.ws().resolve(".cargo"));
        Files.writeString(s.ws().resolve(".cargo/config.toml"), "[term]\nquiet = false\n");
        Proc config = build(s);
        assertEquals(0, config.exit, config.toString());
        assertFalse(replayed(s), config.toString());
        recordAgain(s, config);

        // The root manifest's profile (the plan adds only what it leaves open): the settings line changes.
        Path root = s.ws().resolve("Cargo.toml");
        Files.writeString(root, Files.readString(root) + "\n[profile.release]\nlto = \"fat\"\n");
        Proc profile = build(s);
        assertEquals(0, profile.exit, profile.toString());
        assertFalse(replayed(s), profile.toString());
        assertFalse(profile.err.contains("lto=thin"), "the workspace's lto is kept, not the tuned one: " + profile.err);
        recordAgain(s, profile);
    }

    @Test
    void aCargoCallThatFailsIsReportedAsTheWholeBuildWouldReportIt() throws IOException {
        Setup s = recorded("replay-fail");
        // Next time the build call fails (a stand-in cargo-auditable first on PATH, the same PATH: the record applies).
        Path standIn = s.bin().resolve("cargo-auditable");
        Files.writeString(standIn, "#!/bin/sh\necho 'error: stand-in failure' >&2\nexit 101\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(s.outcome(), "");
        Proc failed = build(s);
        assertEquals(101, failed.exit, failed.toString());
        assertTrue(failed.err.contains("error: stand-in failure"), "cargo's own output: " + failed.err);
        assertTrue(failed.err.contains("the build step failed"), "the build's own line for it: " + failed.err);
        assertFalse(Files.readString(s.outcome()).contains("replayed"), Files.readString(s.outcome()));

        Files.delete(standIn);
        Proc after = build(s);
        assertEquals(0, after.exit, after.toString());
        assertFalse(replayed(s), "the failed build dropped the record: " + after);
    }
}
