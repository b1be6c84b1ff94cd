import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One running bootstrap, started as Lambda starts it: the environment Lambda gives (and only that, plus
 * the caller's extra variables), under qemu-user when its ELF machine is not the host's, by its Runner: in
 * the sandbox or a container (its folder read-only at /var/task = LAMBDA_TASK_ROOT), or as a plain process. Its output goes to a sink line by line (the function's log) and its last lines are kept
 * to explain a crash. close() stops it and everything it started.
 */
final class FunctionProcess implements AutoCloseable {
    /** How to start a bootstrap here: directly or under qemu-user (with a CPU model), and by which runner. */
    record Launch(List<String> prefix, String how, Runner runner) {
        Launch(List<String> prefix, String how) {
            this(prefix, how, Runner.process());
        }

        static Launch of(Path bootstrap, String cpu, Map<String, String> env) {
            return of(bootstrap, cpu, Runner.process(), env);
        }

        static Launch of(Path bootstrap, String cpu, Runner runner, Map<String, String> env) {
            ElfInfo info;
            try {
                info = ElfReader.read(bootstrap);
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + bootstrap + ": " + e.getMessage());
            }
            if (runner.kind() == Runner.Kind.SANDBOX) Sandbox.bwrap();
            if (runner.kind() == Runner.Kind.CONTAINER) ContainerRunner.engine(runner);
            String where = runner.isolated() ? " " + runner.describe() : "";
            Integer hostMachine = ElfPolicy.machineOf(System.getProperty("os.arch"));
            String host = ElfReader.archName(hostMachine == null ? -1 : hostMachine);
            String arch = ElfReader.archName(info.machine);
            if (arch.equals(host)) return new Launch(List.of(), "natively" + where, runner);
            for (String name : List.of("qemu-" + arch + "-static", "qemu-" + arch)) {
                var qemu = Exec.which(name, env);
                if (qemu.isPresent()) {
                    return new Launch(List.of(qemu.get().toString(), "-cpu", cpu), "under " + name + " -cpu " + cpu + where, runner);
                }
            }
            // No qemu-user on this host (macOS): the container engine's VM runs the foreign architecture itself.
            if (runner.kind() == Runner.Kind.CONTAINER) return new Launch(List.of(), "as linux/" + arch + where, runner);
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "the bootstrap is " + arch + " and this host is " + host
                    + ": running it needs qemu-user (qemu-" + arch + "-static): apt-get install qemu-user-static (`jbang doctor@.` checks it)"
                    + "; on macOS use --runner container (podman machine or Docker Desktop)");
        }
    }

    private static final int KEPT_LINES = 20;

    private final Process process;
    private final Runner.Plan plan;
    private final Deque<String> last = new ArrayDeque<>();
    private final Thread pump;
    private volatile long peakKb;
    private final Thread sampler;

    private FunctionProcess(Process process, Runner.Plan plan, PrintStream sink) {
        this.process = process;
        this.plan = plan;
        this.pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.println(line);
                    synchronized (last) {
                        last.addLast(line);
                        if (last.size() > KEPT_LINES) last.removeFirst();
                    }
                }
            } catch (IOException ended) {
                // the process is gone; its last lines are kept
            }
        }, "function-output");
        pump.setDaemon(true);
        pump.start();
        // Peak resident memory, as Lambda's "Max Memory Used": /proc's VmHWM of the function's process and what
        // runs under it (the largest: the sandbox's bwrap processes are small beside qemu), read until the process ends.
        this.sampler = new Thread(() -> {
            ProcessHandle root = plan.memoryRoot().apply(process.toHandle()).orElse(null);
            while (root != null && process.isAlive()) {
                try {
                    for (ProcessHandle h : (Iterable<ProcessHandle>) java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())::iterator) {
                        peakKb = Math.max(peakKb, vmHwmKb(h.pid()));
                    }
                    Thread.sleep(20);
                } catch (RuntimeException gone) {
                    return;
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }, "function-memory");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException gone) {
            // ended between the listing and the read
        }
        return 0;
    }

    /** The environment Lambda gives a provided.al2023 function, and the caller's --env on top. */
    static Map<String, String> lambdaEnv(String function, Path taskRoot, String runtimeApi, int memoryMb, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST");
        env.put("_HANDLER", "bootstrap");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.putAll(extra);
        return env;
    }

    static FunctionProcess start(Path bootstrap, Launch launch, Map<String, String> env, PrintStream sink) {
        Runner.Plan plan = launch.runner().plan(bootstrap, launch.prefix(), env);
        ProcessBuilder pb = new ProcessBuilder(plan.command()).directory(plan.directory().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(plan.env());
        try {
            return new FunctionProcess(pb.start(), plan, sink);
        } catch (IOException e) {
            plan.cleanup().run();
            throw new Cli.UserError(ExitCode.FUNCTION_CRASHED, "cannot start " + bootstrap + ": " + e.getMessage()
                    + (Files.isExecutable(bootstrap) ? "" : " (it is not executable: Lambda would fail with Runtime.InvalidEntrypoint)"));
        }
    }

    Process process() {
        return process;
    }

    long maxMemoryMb() {
        return (peakKb + 1023) / 1024;
    }

    /** How the process ended, in Lambda's words: "exit status 1", "signal: illegal instruction (SIGILL)". */
    String howItEnded() {
        int code = process.exitValue();
        if (code > 128 && code < 160) return "signal: " + signalName(code - 128);
        return "exit status " + code;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 4 -> "illegal instruction (SIGILL)";
            case 6 -> "aborted (SIGABRT)";
            case 7 -> "bus error (SIGBUS)";
            case 8 -> "floating point exception (SIGFPE)";
            case 9 -> "killed (SIGKILL)";
            case 11 -> "segmentation fault (SIGSEGV)";
            case 15 -> "terminated (SIGTERM)";
            default -> "signal " + signal;
        };
    }

    /** The last lines it printed (waits briefly for the output of a process that has ended). */
    List<String> lastLines() {
        if (!process.isAlive()) {
            try {
                pump.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (last) {
            return List.copyOf(last);
        }
    }

    /**
     * Kills the process and what it started, then shows what it printed before: the pump reads the pipe to its end.
     * The kill goes through ProcessHandle, not Process.destroyForcibly(), which also closes the process's output
     * stream: the lines still in the pipe (an extension's SHUTDOWN line, a function's last log line) were lost.
     */
    @Override
    public void close() {
        plan.cleanup().run();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pump.isAlive()) {
            // something outside this process tree still holds the pipe open: stop reading it
            try {
                process.getInputStream().close();
            } catch (IOException ignored) {
                // closed already
            }
        }
        sampler.interrupt();
    }
}
