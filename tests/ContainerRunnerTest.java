import org.junit.jupiter.api.parallel.ResourceLock;
import com.eclipsesource.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `invoke-lambda --runner container` with real podman (the way on macOS, tested here on Linux with qemu bound in):
 * the same rules as the sandbox (read-only /var/task, no host files, a sized /tmp), each failure with its rule named,
 * and no container left behind: after each run, and after the CLI itself is stopped mid-invocation.
 */
@ResourceLock("misbehaving-functions") // these classes look for processes of the same functions by name
class ContainerRunnerTest {
    static Map<String, String> env() {
        Map<String, String> e = new java.util.HashMap<>(ContainerImage.env());
        e.put("CONTAINER_ENGINE", "podman");
        return e;
    }

    static Proc sandboxFn(String event, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of("--runner", "container"));
        a.addAll(List.of(args));
        return SandboxTest.sandboxFn(env(), event, a.toArray(String[]::new));
    }

    /** The containers the runner made (named invoke-lambda-...), running or not. */
    static List<String> containers() {
        Proc ps = Proc.run(Repo.ROOT, env(), List.of("podman", "ps", "-a", "--format", "{{.Names}}", "--filter", "name=" + ContainerRunner.NAME_PREFIX));
        assertEquals(0, ps.exit, ps.toString());
        return ps.out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void theSandboxsRulesHoldInAContainerAndNoContainerIsLeft() {
        Proc ro = sandboxFn(SandboxTest.write("/var/task/written"));
        assertEquals(1, ro.exit, ro.toString());
        assertTrue(ro.out.contains("cannot write /var/task/written: Read-only file system (os error 30)"), ro.out);
        assertTrue(ro.err.contains("sandbox-fn ran under qemu-aarch64-static -cpu neoverse-n1 in a container (podman: read-only /var/task, 512 MB /tmp)"), ro.err);
        assertTrue(Asserts.lastLine(ro.err).startsWith("invoke-lambda: /var/task/written is read-only: on Lambda, as here, only /tmp is writable"), ro.err);
        assertFalse(Files.exists(InvokeFixtures.LAMBDA.resolve("sandbox-fn/written")));

        String readme = Repo.ROOT.resolve("README.md").toString();
        Proc host = sandboxFn(SandboxTest.read(readme));
        assertEquals(1, host.exit, host.toString());
        assertTrue(host.out.contains("cannot read " + readme + ": No such file or directory (os error 2)"), host.out);
        assertTrue(Asserts.lastLine(host.err).startsWith("invoke-lambda: " + readme + " exists on this host but not in the function's sandbox"), host.err);

        Proc tmp = sandboxFn(SandboxTest.write("/tmp/scratch"));
        assertEquals(0, tmp.exit, tmp.toString());
        assertEquals("{\"wrote\":\"/tmp/scratch\",\"read\":\"written by sandbox-fn\"}", tmp.out);

        Proc mounts = sandboxFn(SandboxTest.read("/proc/self/mounts"), "--ephemeral-storage", "1024");
        assertEquals(0, mounts.exit, mounts.toString());
        String m = Json.parse(mounts.out).asObject().getString("content", "");
        assertTrue(m.lines().anyMatch(l -> l.contains(" /tmp tmpfs rw,") && l.contains("size=1048576k")), m);
        assertTrue(m.lines().anyMatch(l -> l.contains(" / overlay ro,")), "the root is read-only: " + m);
        assertEquals(List.of(), containers(), "every container was removed after its run");
    }

    @Test
    void stoppingTheCliMidInvocationRemovesItsContainer() throws Exception {
        Path lambda = InvokeFixtures.misbehaving();
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("jbang").toString(), "invoke-lambda@.", "hang-fn", "--lambda-dir", lambda.toString(),
                "--runner", "container", "--timeout", "300").directory(Repo.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env());
        Process cli = pb.start();
        try {
            // Wait (an order, not a duration) until the engine runs the function's container.
            List<String> running = List.of();
            for (int i = 0; i < 600 && running.isEmpty() && cli.isAlive(); i++) {
                Thread.sleep(200);
                running = containers().stream().filter(n -> n.startsWith(ContainerRunner.NAME_PREFIX + "hang-fn-")).toList();
            }
            assertEquals(1, running.size(), "the container ran: " + running);
            // SIGTERM to the JVM (the jbang wrapper execs java, or java is its child), as Ctrl-C or a kill would.
            List<ProcessHandle> javas = java.util.stream.Stream.concat(java.util.stream.Stream.of(cli.toHandle()), cli.descendants())
                    .filter(h -> h.info().command().orElse("").endsWith("/java")).toList();
            assertFalse(javas.isEmpty(), "the CLI's JVM was found");
            javas.forEach(ProcessHandle::destroy);
            assertTrue(cli.waitFor(120, TimeUnit.SECONDS), "the CLI ended");
            assertEquals(List.of(), containers(), "the shutdown hook removed the container");
        } finally {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("invoke-lambda-env")).toList(), "no env file left");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
