import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * build-lambda-native for real. This x86_64 host has no native ARM64 linker, so the workspace names one in
 * its own .cargo/config.toml, as users of this script do: aarch64-unknown-linux-gnu, Debian's cross gcc,
 * crt-static, and Debian's prebuilt std for that target (Debian's cargo and rustc first on PATH).
 */
class NativeBuildTest {
    static Proc run(Map<String, String> env, Path ws, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of("build-lambda-native@.", "--manifest-path", ws.resolve("Cargo.toml").toString(),
                "--target", Fixtures.Native.TARGET));
        a.addAll(List.of(args));
        return Proc.jbang(env, a.toArray(new String[0]));
    }


    @Test
    void buildsWithTheLinkerTheWorkspacesCargoConfigNames() throws IOException {
        Path ws = Fixtures.Native.workspace("native-fn", "fn main() { println!(\"hi from native\"); }\n", true);
        Proc p = run(Fixtures.Native.env(), ws);
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("build-lambda-native: building 1 function for aarch64-unknown-linux-gnu (release) with cargo build"), p.err);
        assertTrue(p.out.lines().anyMatch(l -> l.matches("native-fn\\s+.*aarch64\\s+static\\s+yes\\s+.*lambda/native-fn/bootstrap")), p.out);
        Path b = ws.resolve("target/lambda/native-fn/bootstrap");
        String file = Proc.run(Repo.ROOT, "file", "-b", b.toString()).out;
        assertTrue(file.startsWith("ELF 64-bit LSB executable, ARM aarch64") && file.contains("statically linked") && file.contains(", stripped"), file);
        Proc q = Proc.run(Repo.ROOT, null, List.of("qemu-aarch64-static", b.toString()), 60);
        assertEquals("hi from native", q.out.trim(), q.toString());
    }

    @Test
    void smokeRunsTheNativeBuildsBootstrapAndCatchesOneThatIsNoLambdaFunction() throws IOException {
        // A plain program is a fine binary and no Lambda function: it exits instead of asking for an event.
        Path ws = Fixtures.Native.workspace("not-a-lambda", "fn main() { println!(\"hi from native\"); }\n", true);
        Proc p = run(Fixtures.Native.env(), ws, "--smoke");
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.err.contains("build-lambda-native: FAIL smoke not-a-lambda: Runtime.ExitError during init: Runtime exited with error: "
                + "exit status 0 (its last output: hi from native)"), p.err);
        assertTrue(Files.isExecutable(ws.resolve("target/lambda/not-a-lambda/bootstrap")), "installed all the same");
    }

    @Test
    void withoutALinkerForTheTargetItSaysHowToSetOneUp() throws IOException {
        Path ws = Fixtures.Native.workspace("unlinked-fn", "fn main() { println!(\"hi\"); }\n", false);
        Proc p = run(Fixtures.Native.env(), ws);
        assertEquals(3, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-native: cargo build could not link for aarch64-unknown-linux-gnu with this host's linker setup"), last);
        assertTrue(last.contains("[target.aarch64-unknown-linux-gnu] linker = \"...\"") && last.contains("jbang build-lambda@."), last);
    }

    @Test
    void aCompileErrorKeepsCargosExitCode() throws IOException {
        Path ws = Fixtures.Native.workspace("broken-native", "fn main() { let x: u32 = \"no\"; println!(\"{x}\"); }\n", true);
        Proc p = run(Fixtures.Native.env(), ws);
        assertEquals(101, p.exit, p.toString());
        assertTrue(p.err.contains("mismatched types"), p.err);
        assertTrue(Asserts.lastLine(p.err).startsWith("build-lambda-native: the build step failed (cargo build exited with 101)"), p.err);
    }

    @Test
    void noCargoOnPathIsAMissingPrerequisite() throws IOException {
        Path ws = Fixtures.Native.workspace("no-cargo", "fn main() {}\n", true);
        Map<String, String> env = Fixtures.Native.env();
        env.put("PATH", Fixtures.pathWithout("cargo", "rustc", "rustup").toString());
        assertTrue(Exec.which("cargo", env).isEmpty());
        Proc p = run(env, ws);
        // cargo metadata runs first and cannot start either: the missing prerequisite is what the user sees.
        assertEquals(3, p.exit, p.toString());
        assertTrue(p.err.contains("cargo not found on PATH: install Rust with rustup"), p.err);
        Asserts.assertNoTrace(p);
    }
}
