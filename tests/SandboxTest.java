import org.junit.jupiter.api.parallel.ResourceLock;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * invoke-lambda's default runner, Lambda's sandbox through bubblewrap, with a real bootstrap under qemu (the misbehaving
 * fixture's sandbox-fn touches the path its event names): /var/task is read-only, a host file is not there, /tmp is
 * writable and sized by --ephemeral-storage; each failure ends with the line naming the rule. --runner process, the
 * opt-out, sees this host as before.
 */
@ResourceLock("misbehaving-functions") // these classes look for processes of the same functions by name
class SandboxTest {
    static final Path EVENTS = Repo.ROOT.resolve("target/test-work/sandbox-events");

    /** `invoke-lambda sandbox-fn --event FILE ARGS`, the event written to a file first. */
    static Proc sandboxFn(Map<String, String> env, String event, String... args) {
        Path lambda = InvokeFixtures.misbehaving();
        Path file;
        try {
            Files.createDirectories(EVENTS);
            file = Files.createTempFile(EVENTS, "event", ".json");
            Files.writeString(file, event);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> a = new java.util.ArrayList<>(List.of("invoke-lambda@.", "sandbox-fn", "--lambda-dir", lambda.toString(), "--event", file.toString()));
        a.addAll(List.of(args));
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("NO_COLOR", "1");
        return Proc.jbang(e, a.toArray(String[]::new));
    }

    static String write(String path) {
        return new JsonObject().add("write", path).toString();
    }

    static String read(String path) {
        return new JsonObject().add("read", path).toString();
    }

    @Test
    void aWriteToTheTaskRootFailsAsOnLambdaWithTheRuleNamed() {
        Proc p = sandboxFn(Map.of(), write("/var/task/written"));
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.out.contains("cannot write /var/task/written: Read-only file system (os error 30)"), p.out);
        assertTrue(p.err.contains("sandbox-fn ran under qemu-aarch64-static -cpu neoverse-n1 in the sandbox (bwrap: read-only /var/task, 512 MB /tmp)"), p.err);
        assertEquals("invoke-lambda: /var/task/written is read-only: on Lambda, as here, only /tmp is writable (/var/task, the function's code, "
                + "and the rest are read-only); write to /tmp (its size: --ephemeral-storage)", Asserts.lastLine(p.err));
        assertFalse(Files.exists(InvokeFixtures.LAMBDA.resolve("sandbox-fn/written")), "nothing was written next to the bootstrap");
        InvokeLambdaTest.assertNothingLeft("sandbox-fn");
    }

    @Test
    void aFileOfThisHostIsNotThereWithTheRuleNamed() {
        String readme = Repo.ROOT.resolve("README.md").toString();
        Proc p = sandboxFn(Map.of(), read(readme));
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.out.contains("cannot read " + readme + ": No such file or directory (os error 2)"), p.out);
        assertEquals("invoke-lambda: " + readme + " exists on this host but not in the function's sandbox: on Lambda a function sees only "
                + "/var/task (its zip, with --include's files), /opt (layers), /tmp and the OS, never the machine it was built on "
                + "(no home, no ~/.aws, no repository)", Asserts.lastLine(p.err));
        // Elsewhere than the repository too: the home folder (where ~/.aws lives) is not there either.
        Proc home = sandboxFn(Map.of(), read(System.getProperty("user.home")));
        assertEquals(1, home.exit, home.toString());
        assertTrue(home.out.contains("No such file or directory"), home.out);
    }

    @Test
    void tmpIsWritableSizedByEphemeralStorageAndTheCodeIsAtVarTask() {
        Proc tmp = sandboxFn(Map.of(), write("/tmp/scratch"));
        assertEquals(0, tmp.exit, tmp.toString());
        assertEquals("{\"wrote\":\"/tmp/scratch\",\"read\":\"written by sandbox-fn\"}", tmp.out);
        assertFalse(Files.exists(Path.of("/tmp/scratch")), "the sandbox's /tmp is its own, not this host's");

        Proc mounts = sandboxFn(Map.of(), read("/proc/self/mounts"), "--ephemeral-storage", "1024");
        assertEquals(0, mounts.exit, mounts.toString());
        String m = Json.parse(mounts.out).asObject().getString("content", "");
        assertTrue(m.lines().anyMatch(l -> l.startsWith("tmpfs /tmp tmpfs rw,") && l.contains("size=1048576k")), m);
        assertTrue(m.lines().anyMatch(l -> l.startsWith("tmpfs / tmpfs ro,")), "the root is read-only: " + m);
        assertTrue(m.lines().anyMatch(l -> l.contains(" /var/task ") && l.contains(" ro,")), m);

        Proc env = sandboxFn(Map.of(), read("/proc/self/environ"));
        String e = Json.parse(env.out).asObject().getString("content", "");
        assertTrue(e.lines().toList().contains("LAMBDA_TASK_ROOT=/var/task"), e);
        assertTrue(e.lines().toList().contains("LAMBDA_RUNTIME_DIR=/var/runtime"), e);
        assertFalse(e.contains("HOME="), "no home: " + e);
    }

    @Test
    void theProcessRunnerOptsOutAndSeesThisHostAsBefore() throws IOException {
        Files.createDirectories(EVENTS);
        Path outside = Files.createTempDirectory(EVENTS, "host").resolve("written");
        Proc sandboxed = sandboxFn(Map.of(), write(outside.toString()));
        assertEquals(1, sandboxed.exit, sandboxed.toString());
        assertFalse(Files.exists(outside), "the sandbox did not write to this host");
        Proc plain = sandboxFn(Map.of(), write(outside.toString()), "--runner", "process");
        assertEquals(0, plain.exit, plain.toString());
        assertEquals("written by sandbox-fn", Files.readString(outside));
        assertTrue(plain.err.contains("sandbox-fn ran under qemu-aarch64-static -cpu neoverse-n1\n"), plain.err);
    }

    @Test
    @Tag("fast")
    void runnerOptionsOutsideTheirRangeAreUsageErrorsOfOneLine() {
        CommandLine cl = new CommandLine(new InvokeLambda());
        assertEquals("--ephemeral-storage is from 512 to 10240 MB, as on Lambda", usage(cl, o -> o.ephemeralStorage = 100, false));
        assertEquals("--ephemeral-storage is from 512 to 10240 MB, as on Lambda", usage(cl, o -> o.ephemeralStorage = 10241, false));
        assertEquals("--runner is sandbox, container or process, not 'vm'", usage(cl, o -> o.runner = "vm", false));
        assertEquals("--engine goes with --runner container", usage(cl, o -> o.engine = "podman", false));
        assertEquals("--ephemeral-storage sizes the sandbox's /tmp: a plain process (--runner process) uses this host's",
                usage(cl, o -> { o.runner = "process"; o.ephemeralStorage = 1024; }, false));
        assertEquals("--host runs this host's binaries, which a container cannot: use --runner sandbox or process",
                usage(cl, o -> o.runner = "container", true));
        RunnerOptions ok = new RunnerOptions();
        ok.ephemeralStorage = 10240;
        Runner r = ok.runner(cl, false);
        assertEquals(Runner.Kind.SANDBOX, r.kind(), "the sandbox is the default on Linux");
        assertEquals(10240, r.ephemeralMb());
    }

    private static String usage(CommandLine cl, java.util.function.Consumer<RunnerOptions> set, boolean host) {
        RunnerOptions o = new RunnerOptions();
        set.accept(o);
        return assertThrows(CommandLine.ParameterException.class, () -> o.runner(cl, host)).getMessage();
    }

    @Test
    @Tag("fast")
    void theHintNamesARuleOnlyWhenTheOutputShowsIt() {
        Runner sandbox = Runner.sandbox(512);
        Invoker.Run erofs = run(new Invoker.Failed("std::io::Error", "{\"errorMessage\":\"Read-only file system (os error 30)\"}".getBytes()));
        assertEquals("the function wrote to a read-only file system: on Lambda, as here, only /tmp is writable (/var/task, the function's code, "
                + "and the rest are read-only); write to /tmp (its size: --ephemeral-storage)", SandboxHint.of(erofs, sandbox).orElseThrow());
        assertTrue(SandboxHint.of(erofs, Runner.process()).isEmpty(), "no sandbox, no sandbox rule");
        String readme = Repo.ROOT.resolve("README.md").toString();
        Invoker.Run host = run(new Invoker.Crashed(Invoker.Phase.INIT, "exit status 1", List.of("open " + readme + ": No such file or directory (os error 2)")));
        assertTrue(SandboxHint.of(host, sandbox).orElseThrow().startsWith(readme + " exists on this host but not in the function's sandbox"));
        // A path missing here too is the function's own mistake, not the sandbox's: no hint.
        Invoker.Run missing = run(new Invoker.Failed("E", "{\"errorMessage\":\"/no/such/thing: No such file or directory (os error 2)\"}".getBytes()));
        assertTrue(SandboxHint.of(missing, sandbox).isEmpty());
        Invoker.Run ok = run(new Invoker.Answered("{}".getBytes()));
        assertTrue(SandboxHint.of(ok, sandbox).isEmpty());
    }

    private static Invoker.Run run(Invoker.Outcome o) {
        return new Invoker.Run(o, "id", 1, 1, 1, "natively");
    }

    @Test
    @Tag("fast")
    void theSandboxBindsTheCodeReadOnlyAndNothingOfTheHome() {
        Path task = InvokeFixtures.LAMBDA.resolve("sandbox-fn");
        Runner.Plan plan = Runner.sandbox(2048).plan(task.resolve("bootstrap"), List.of("/usr/bin/qemu-aarch64-static", "-cpu", "neoverse-n1"),
                FunctionProcess.lambdaEnv("sandbox-fn", task, "127.0.0.1:1", 128, Map.of()));
        String cmd = String.join(" ", plan.command());
        assertTrue(cmd.contains("--ro-bind " + task + " /var/task"), cmd);
        assertTrue(cmd.contains("--size " + 2048L * 1024 * 1024 + " --tmpfs /tmp"), cmd);
        assertTrue(cmd.indexOf("--remount-ro /") > cmd.indexOf("--tmpfs /tmp"), "the root goes read-only after the mounts: " + cmd);
        assertTrue(cmd.endsWith("-- /usr/bin/qemu-aarch64-static -cpu neoverse-n1 /var/task/bootstrap"), cmd);
        assertFalse(cmd.contains(System.getProperty("user.home") + " ") || cmd.contains(Repo.ROOT + " "), cmd);
        assertFalse(cmd.contains("--unshare-net"), "the Runtime API on 127.0.0.1 stays reachable: " + cmd);
        assertEquals("/var/task", plan.env().get("LAMBDA_TASK_ROOT"));
        assertFalse(plan.command().stream().anyMatch(a -> a.contains("AWS_LAMBDA_RUNTIME_API")), "variables never go on the command line");
    }

    @Test
    @Tag("fast")
    void onlyAwsShowsAHostFolderItsAwsFolderReadOnly() throws IOException {
        Files.createDirectories(EVENTS);
        Path home = Files.createTempDirectory(EVENTS, "home");
        Files.createDirectories(home.resolve(".aws"));
        assertEquals(List.of(), Runner.awsFiles(Map.of()), "without --aws no HOME is passed, nothing is shown");
        assertEquals(List.of(home.resolve(".aws")), Runner.awsFiles(Map.of("HOME", home.toString())));
        Path task = InvokeFixtures.LAMBDA.resolve("sandbox-fn");
        Map<String, String> env = new java.util.HashMap<>(FunctionProcess.lambdaEnv("sandbox-fn", task, "127.0.0.1:1", 128, Map.of()));
        env.put("HOME", home.toString());
        String cmd = String.join(" ", Runner.sandbox(512).plan(task.resolve("bootstrap"), List.of(), env).command());
        assertTrue(cmd.contains("--ro-bind " + home.resolve(".aws") + " " + home.resolve(".aws")), cmd);
        assertFalse(cmd.contains("--ro-bind " + home + " "), "the rest of the home stays out: " + cmd);
    }
}
