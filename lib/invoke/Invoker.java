import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cold start of a bootstrap against its own Runtime API: start it, wait until it asks for an event
 * (init), hand it one, wait for its answer; whatever happens, the process is stopped before this returns.
 * The same path serves `invoke-lambda NAME` and the builds' --smoke.
 */
final class Invoker {
    private Invoker() {}

    /** memoryMb: AWS_LAMBDA_FUNCTION_MEMORY_SIZE; timeout bounds init and the invocation, each. */
    /** functionEnv (may be null): each function's own variables (FunctionEnv), under extraEnv (--env), which wins. */
    /** runner: how the process starts (the sandbox, a container, or a plain process: the default of these constructors). */
    record Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv, FunctionEnv functionEnv, Runner runner) {
        Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv) {
            this(memoryMb, cpu, timeoutMillis, extraEnv, null);
        }

        Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv, FunctionEnv functionEnv) {
            this(memoryMb, cpu, timeoutMillis, extraEnv, functionEnv, Runner.process());
        }

        Map<String, String> envFor(String function) {
            if (functionEnv == null) return extraEnv;
            Map<String, String> env = new java.util.LinkedHashMap<>(functionEnv.forFunction(function));
            env.putAll(extraEnv);
            return env;
        }
    }

    sealed interface Outcome permits Ready, Answered, Failed, InitFailed, Crashed, TimedOut {}

    /** Init succeeded (smoke without an event). */
    record Ready() implements Outcome {}

    record Answered(byte[] body) implements Outcome {}

    /** The function reported an error (or Lambda refused its answer: too large). */
    record Failed(String type, byte[] body) implements Outcome {}

    /** The runtime reported an init error through init/error. */
    record InitFailed(String type, byte[] body) implements Outcome {}

    /** Where in Lambda's lifecycle an outcome happened; printed as Lambda's docs name it (init, invoke). */
    enum Phase {
        INIT, INVOKE;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The process ended by itself. */
    record Crashed(Phase phase, String how, List<String> lastLines) implements Outcome {}

    record TimedOut(Phase phase, double seconds) implements Outcome {}

    /** requestId null when no event was sent; initMs and durationMs negative when the phase did not finish. */
    record Run(Outcome outcome, String requestId, double initMs, double durationMs, long maxMemoryMb, String how) {
        /** Lambda's REPORT line. */
        String report(int memoryMb) {
            StringBuilder sb = new StringBuilder("REPORT RequestId: " + (requestId == null ? "-" : requestId));
            if (durationMs >= 0) {
                sb.append(String.format(Locale.ROOT, "\tDuration: %.2f ms\tBilled Duration: %d ms", durationMs, (long) Math.ceil(durationMs)));
            }
            sb.append("\tMemory Size: ").append(memoryMb).append(" MB\tMax Memory Used: ").append(maxMemoryMb).append(" MB");
            if (initMs >= 0) sb.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", initMs));
            return sb.toString();
        }
    }

    /**
     * One started function: its Runtime API and its process. init() waits for the cold start, invoke() hands it
     * one event; the CLI uses one instance once, --serve keeps one warm per function. close() stops both.
     */
    static final class Instance implements AutoCloseable {
        final String name;
        final Settings settings;
        final FunctionProcess.Launch launch;
        private final RuntimeApi api;
        private final FunctionProcess process;
        private final long started = System.nanoTime();
        /** Set by init(): how long the cold start took, or negative. */
        private double initMs = -1;

        private Instance(String name, Path bootstrap, Settings s, PrintStream logs) {
            this.name = name;
            this.settings = s;
            this.launch = FunctionProcess.Launch.of(bootstrap, s.cpu(), s.runner(), System.getenv());
            try {
                this.api = new RuntimeApi();
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot start the Runtime API on 127.0.0.1: " + e.getMessage());
            }
            Map<String, String> env = FunctionProcess.lambdaEnv(name, bootstrap.getParent(), api.address(), s.memoryMb(), s.envFor(name));
            try {
                this.process = FunctionProcess.start(bootstrap, launch, env, logs);
            } catch (RuntimeException e) {
                api.close();
                throw e;
            }
        }

        static Instance start(String name, Path bootstrap, Settings s, PrintStream logs) {
            return new Instance(name, bootstrap, s, logs);
        }

        boolean alive() {
            return process.process().isAlive();
        }

        /** Waits until the function asks for its first event: Ready, or how init failed. */
        Outcome init() {
            Object first = await(CompletableFuture.anyOf(api.ready(), api.initError(), process.process().onExit()), settings.timeoutMillis());
            if (first == null) return new TimedOut(Phase.INIT, settings.timeoutMillis() / 1000.0);
            if (first instanceof RuntimeApi.InitError e) return new InitFailed(e.type(), e.body());
            if (first instanceof Process) {
                String unknownCpu = process.lastLines().stream().filter(l -> l.contains("unable to find CPU model")).findFirst().orElse(null);
                if (unknownCpu != null) {
                    throw new Cli.UserError(ExitCode.USAGE, "qemu knows no CPU model '" + settings.cpu() + "' (" + unknownCpu.trim()
                            + "); `" + launch.prefix().get(0) + " -cpu help` lists the models, e.g. neoverse-n1 or max");
                }
                return new Crashed(Phase.INIT, process.howItEnded(), process.lastLines());
            }
            initMs = ((Long) first - started) / 1e6;
            return new Ready();
        }

        /** One event through a function that finished init; initMs: reported once, with the first invocation. */
        Run invoke(byte[] event, boolean reportInit) {
            RuntimeApi.Event e = RuntimeApi.Event.of(event, name, settings.timeoutMillis());
            long sent = System.nanoTime();
            Object r = await(CompletableFuture.anyOf(api.submit(e), process.process().onExit()), settings.timeoutMillis());
            double ms = (System.nanoTime() - sent) / 1e6;
            Outcome o = r == null ? new TimedOut(Phase.INVOKE, settings.timeoutMillis() / 1000.0)
                    : r instanceof RuntimeApi.Answer a ? new Answered(a.body())
                    : r instanceof RuntimeApi.FunctionError f ? new Failed(f.type(), f.body())
                    : new Crashed(Phase.INVOKE, process.howItEnded(), process.lastLines());
            return new Run(o, e.requestId(), reportInit ? initMs : -1, ms, process.maxMemoryMb(), launch.how());
        }

        /** A Run for an init that did not reach invocation/next (or, with Ready, for a smoke check without an event). */
        Run initRun(Outcome o) {
            return new Run(o, null, o instanceof Ready ? initMs : -1, -1, process.maxMemoryMb(), launch.how());
        }

        @Override
        public void close() {
            process.close();
            api.close();
        }
    }

    /** event null: init only (the smoke check without an event). logs: where the function's output goes. */
    static Run run(String name, Path bootstrap, byte[] event, Settings s, PrintStream logs) {
        try (Instance i = Instance.start(name, bootstrap, s, logs)) {
            Outcome init = i.init();
            if (!(init instanceof Ready) || event == null) return i.initRun(init);
            return i.invoke(event, true);
        }
    }

    /** The first of the futures' values, or null when none completed in time. */
    static Object await(CompletableFuture<Object> any, long timeoutMillis) {
        try {
            return any.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One line for an outcome that is not an answer, as Lambda words it where it has words. */
    static String describe(String name, Run r) {
        return name + ": " + what(r);
    }

    /** The outcome in words, as describe says it after the function's name. */
    static String what(Run r) {
        Outcome o = r.outcome();
        if (o instanceof Failed f) return "the function returned an error: " + f.type();
        if (o instanceof InitFailed f) return "init failed: the runtime reported " + f.type() + " (Runtime.InitError)";
        if (o instanceof Crashed c) {
            List<String> said = c.lastLines().stream().filter(l -> !l.isBlank() && !l.startsWith("note: run with `RUST_BACKTRACE")).toList();
            String tail = said.isEmpty() ? "it printed nothing" : "its last output: " + String.join(" | ", said.subList(Math.max(0, said.size() - 2), said.size()));
            return "Runtime.ExitError during " + c.phase() + ": Runtime exited with error: " + c.how() + " (" + tail + ")";
        }
        if (o instanceof TimedOut t) {
            return "Task timed out after " + String.format(Locale.ROOT, "%.2f", t.seconds()) + " seconds"
                    + (t.phase() == Phase.INIT ? " (during init: it never asked the Runtime API for an event)" : "")
                    + "; the process was stopped";
        }
        return "ok";
    }
}
