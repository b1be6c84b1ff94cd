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
    /** concurrency: 0 for Lambda's on-demand default, else N of a managed instance (ManagedInstance): one process, N at once. */
    /** extensions: --extension's external extensions, started with every function beside <lambda dir>/extensions/*. */
    /** runner: how the process starts (the sandbox, a container, or a plain process: the default of the short constructors). */
    record Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv, FunctionEnv functionEnv, int concurrency,
                    List<Path> extensions, Runner runner) {
        Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv) {
            this(memoryMb, cpu, timeoutMillis, extraEnv, null);
        }

        Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv, FunctionEnv functionEnv) {
            this(memoryMb, cpu, timeoutMillis, extraEnv, functionEnv, 0, List.of(), Runner.process());
        }

        /** The same settings with other variables (a gateway's @connections endpoint). */
        Settings withEnv(Map<String, String> env, FunctionEnv fe) {
            return new Settings(memoryMb, cpu, timeoutMillis, env, fe, concurrency, extensions, runner);
        }

        boolean managed() {
            return concurrency > 0;
        }

        Map<String, String> envFor(String function) {
            if (functionEnv == null) return extraEnv;
            Map<String, String> env = new java.util.LinkedHashMap<>(functionEnv.forFunction(function));
            env.putAll(extraEnv);
            return env;
        }
    }

    sealed interface Outcome permits Ready, Answered, Failed, InitFailed, Crashed, TimedOut, Throttled, Streamed {}

    /** Init succeeded (smoke without an event). */
    record Ready() implements Outcome {}

    record Answered(byte[] body) implements Outcome {}

    /** The function reported an error (or Lambda refused its answer: too large). */
    record Failed(String type, byte[] body) implements Outcome {}

    /**
     * A streamed response, forwarded piece by piece to the invoke's listener as it came; bytes: how many.
     * errorType null: it completed; else the stream failed midway (errorMessage: the runtime's own words).
     */
    record Streamed(String contentType, long bytes, String errorType, String errorMessage) implements Outcome {}

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

    /** stillRunning: a managed instance's invocation, which Lambda reports as timed out and does not stop. */
    record TimedOut(Phase phase, double seconds, boolean stillRunning) implements Outcome {}

    /** Refused, not sent: the managed instance already had its AWS_LAMBDA_MAX_CONCURRENCY invocations in flight. */
    record Throttled(int concurrency) implements Outcome {}

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
        private final Extensions extensions;
        private final String initType;
        /** Lambda's reason for the SHUTDOWN the extensions get when this instance stops. */
        private volatile String shutdownReason = "spindown";
        private final FunctionProcess process;
        private final long started = System.nanoTime();
        /** Set by init(): how long the cold start took, or negative. */
        private double initMs = -1;
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        /** The function's AWS_REGION: its ARN's region. */
        private final String region;

        private Instance(String name, Path bootstrap, Settings s, PrintStream logs) {
            this.name = name;
            this.settings = s;
            this.launch = FunctionProcess.Launch.of(bootstrap, s.cpu(), s.runner(), System.getenv());
            try {
                this.api = new RuntimeApi();
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot start the Runtime API on 127.0.0.1: " + e.getMessage());
            }
            Map<String, String> env = FunctionProcess.lambdaEnv(name, bootstrap.getParent(), api.address(), s.memoryMb(), ManagedInstance.env(s, s.envFor(name)));
            this.initType = env.getOrDefault("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            this.region = env.getOrDefault("AWS_REGION", "us-east-1");
            Extensions ext = null;
            try {
                ext = new Extensions(api, name, Extensions.find(bootstrap, s.extensions()), logs);
                ext.initStart(initType);
                // Lambda starts the external extensions first; the runtime once they registered
                ext.start(s.cpu(), env, started + s.timeoutMillis() * 1_000_000L);
                this.process = FunctionProcess.start(bootstrap, launch, env, ext.sink("function"));
            } catch (RuntimeException e) {
                if (ext != null) ext.close();
                api.close();
                throw e;
            }
            this.extensions = ext;
        }

        static Instance start(String name, Path bootstrap, Settings s, PrintStream logs) {
            return new Instance(name, bootstrap, s, logs);
        }

        /**
         * Whether the function's process still runs. The JDK marks a child ended only once its reaper thread has run,
         * which on a loaded machine can be after the process is gone: a warm instance killed between two invokes
         * would get the next event and fail it, where Lambda starts a new one. /proc, where there is one, says at once
         * (a zombie or a missing entry: ended).
         */
        boolean alive() {
            Process p = process.process();
            if (!p.isAlive()) return false;
            if (!PROC.isDirectory()) return true;
            try {
                String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                int end = stat.lastIndexOf(')');
                char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
                return state != 'Z' && state != 'X';
            } catch (IOException e) {
                return false;
            }
        }

        private static final java.io.File PROC = new java.io.File("/proc/self");

        /** Waits until the function asks for its first event: Ready, or how init failed. */
        Outcome init() {
            Object first = await(CompletableFuture.anyOf(api.ready(), api.initError(), process.process().onExit()), settings.timeoutMillis());
            if (first == null) return new TimedOut(Phase.INIT, settings.timeoutMillis() / 1000.0, false);
            if (first instanceof RuntimeApi.InitError e) return new InitFailed(e.type(), e.body());
            if (first instanceof Process) {
                String unknownCpu = process.lastLines().stream().filter(l -> l.contains("unable to find CPU model")).findFirst().orElse(null);
                if (unknownCpu != null) {
                    throw new Cli.UserError(ExitCode.USAGE, "qemu knows no CPU model '" + settings.cpu() + "' (" + unknownCpu.trim()
                            + "); `" + launch.prefix().get(0) + " -cpu help` lists the models, e.g. neoverse-n1 or max");
                }
                return new Crashed(Phase.INIT, process.howItEnded(), process.lastLines());
            }
            long deadline = started + settings.timeoutMillis() * 1_000_000L;
            try {
                if (!extensions.api.awaitInit(deadline)) {
                    String crashed = extensions.api.initError().getNow(null);
                    extensions.initDone(initType, "timeout", null, (System.nanoTime() - started) / 1e6);
                    return crashed != null ? new InitFailed(crashed, new byte[0]) : new TimedOut(Phase.INIT, settings.timeoutMillis() / 1000.0, false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted");
            }
            String extensionError = extensions.api.initError().getNow(null);
            if (extensionError == null && extensions.api.endedBeforeRegistering() > 0) extensionError = "Extension.Crash";
            if (extensionError != null) {
                extensions.initDone(initType, "error", extensionError, (System.nanoTime() - started) / 1e6);
                return new InitFailed(extensionError, new byte[0]);
            }
            initMs = (Math.max((Long) first, System.nanoTime()) - started) / 1e6;
            if (!extensions.any()) initMs = ((Long) first - started) / 1e6;
            extensions.initDone(initType, "success", null, initMs);
            return new Ready();
        }

        /** One event through a function that finished init; initMs: reported once, with the first invocation. */
        Run invoke(byte[] event, boolean reportInit) {
            return invoke(event, reportInit, null, null);
        }

        /**
         * The same with the caller's client context (Lambda-Runtime-Client-Context, null: none) and, for a response
         * the runtime streams, a listener that gets each piece as it arrives (the outcome is then Streamed). Without a
         * listener a streamed response is collected and answered whole, as a buffered Invoke answers it.
         */
        Run invoke(byte[] event, boolean reportInit, String clientContext, ResponseStream.Listener listener) {
            return answer(send(event, clientContext), reportInit, listener);
        }

        /** An event handed to the Runtime API, counted in flight until the runtime answers it (or the process ends). */
        record Sent(RuntimeApi.Event event, CompletableFuture<RuntimeApi.Result> result, long nanos) {}

        Sent send(byte[] event) {
            return send(event, null);
        }

        Sent send(byte[] event, String clientContext) {
            RuntimeApi.Event e = RuntimeApi.Event.of(event, name, region, settings.timeoutMillis(), clientContext);
            inFlight.incrementAndGet();
            extensions.invoke(e);
            CompletableFuture<RuntimeApi.Result> f = api.submit(e);
            f.whenComplete((r, x) -> inFlight.decrementAndGet());
            return new Sent(e, f, System.nanoTime());
        }

        /** Invocations handed to the runtime and not answered yet (a timed-out one of a managed instance included). */
        int inFlight() {
            return inFlight.get();
        }

        Run answer(Sent s, boolean reportInit) {
            return answer(s, reportInit, null);
        }

        Run answer(Sent s, boolean reportInit, ResponseStream.Listener listener) {
            long deadline = s.nanos() + settings.timeoutMillis() * 1_000_000L;
            Object r = Invoker.await(CompletableFuture.anyOf(s.result(), process.process().onExit()), settings.timeoutMillis());
            if (r instanceof RuntimeApi.Streamed st) r = stream(st.stream(), listener, deadline);
            double runtimeMs = (System.nanoTime() - s.nanos()) / 1e6;
            Outcome o = r == null ? new TimedOut(Phase.INVOKE, settings.timeoutMillis() / 1000.0, settings.managed() && alive())
                    : r instanceof Outcome done ? done
                    : r instanceof RuntimeApi.Answer a ? new Answered(a.body())
                    : r instanceof RuntimeApi.FunctionError f ? new Failed(f.type(), f.body())
                    : new Crashed(Phase.INVOKE, process.howItEnded(), process.lastLines());
            // A streamed answer is the runtime's answer too: a success, or an error it reported mid-stream.
            boolean answered = o instanceof Answered || o instanceof Failed || o instanceof Streamed;
            String status = o instanceof Answered ? "success" : o instanceof Failed ? "error"
                    : o instanceof Streamed st ? (st.errorType() == null ? "success" : "error") : o instanceof TimedOut ? "timeout" : "failure";
            String errorType = o instanceof Failed f ? f.type() : o instanceof Streamed st ? st.errorType() : o instanceof TimedOut ? "Sandbox.Timedout"
                    : o instanceof Crashed ? "Runtime.ExitError" : null;
            if (!answered && !settings.managed()) shutdownReason = o instanceof TimedOut ? "timeout" : "failure";
            long produced = o instanceof Answered a ? a.body().length : o instanceof Streamed st ? st.bytes() : -1;
            extensions.runtimeDone(s.event(), status, errorType, runtimeMs, produced);
            // the invocation ends when every extension asked for its next event: its time is in the REPORT's Duration
            if (answered) extensions.awaitIdle(s.nanos() + settings.timeoutMillis() * 1_000_000L);
            double ms = (System.nanoTime() - s.nanos()) / 1e6;
            if (!extensions.any()) ms = runtimeMs;
            double init = reportInit ? initMs : -1;
            extensions.report(s.event(), status, errorType, ms, settings.memoryMb(), process.maxMemoryMb(), init);
            return new Run(o, s.event().requestId(), init, ms, process.maxMemoryMb(), launch.how());
        }

        /** Forwards (or collects) a streamed response until it ends: an Outcome, or null when the deadline passed. */
        private Outcome stream(ResponseStream s, ResponseStream.Listener listener, long deadline) {
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
            ResponseStream.Listener to = listener != null ? listener : new ResponseStream.Listener() {
                public void start(String contentType) {}

                public void chunk(byte[] b) {
                    whole.writeBytes(b);
                }
            };
            ResponseStream.End end;
            try {
                end = s.pump(to, deadline);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted");
            }
            if (end == null) return null;
            if (listener != null) return new Streamed(s.contentType(), end.bytes(), end.errorType(), end.errorMessage());
            if (end.failed()) {
                return new Failed(end.errorType(), RuntimeApi.error(end.errorType(), end.errorMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return new Answered(whole.toByteArray());
        }

        /** A Run for an init that did not reach invocation/next (or, with Ready, for a smoke check without an event). */
        Run initRun(Outcome o) {
            return new Run(o, null, o instanceof Ready ? initMs : -1, -1, process.maxMemoryMb(), launch.how());
        }

        @Override
        public void close() {
            process.close();
            extensions.shutdown(shutdownReason);
            api.close();
        }
    }

    /** event null: init only (the smoke check without an event). logs: where the function's output goes. */
    static Run run(String name, Path bootstrap, byte[] event, Settings s, PrintStream logs) {
        return run(name, bootstrap, event, s, logs, null);
    }

    /** The same; a response the function streams goes to listener piece by piece (null: collected). */
    static Run run(String name, Path bootstrap, byte[] event, Settings s, PrintStream logs, ResponseStream.Listener listener) {
        try (Instance i = Instance.start(name, bootstrap, s, logs)) {
            Outcome init = i.init();
            if (!(init instanceof Ready) || event == null) return i.initRun(init);
            Run r = i.invoke(event, true, null, listener);
            // One event, then the process is stopped: once the runtime asked for its next event (the invocation's
            // end), so that what it logs after its answer is shown; at most SETTLE_MS after the answer.
            if (r.outcome() instanceof Answered || r.outcome() instanceof Failed || r.outcome() instanceof Streamed) {
                i.api.awaitNextCalls(2, SETTLE_MS, i::alive);
            }
            return r;
        }
    }

    /** How long a one-event run waits, after the answer, for the runtime to ask for its next event. */
    static final long SETTLE_MS = 2000;

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
        if (o instanceof Streamed s && s.errorType() != null) return "the response stream failed after " + s.bytes() + " bytes: " + s.errorType() + ": " + s.errorMessage();
        if (o instanceof InitFailed f) return "init failed: the runtime reported " + f.type() + " (Runtime.InitError)";
        if (o instanceof Crashed c) {
            List<String> said = c.lastLines().stream().filter(l -> !l.isBlank() && !l.startsWith("note: run with `RUST_BACKTRACE")).toList();
            String tail = said.isEmpty() ? "it printed nothing" : "its last output: " + String.join(" | ", said.subList(Math.max(0, said.size() - 2), said.size()));
            return "Runtime.ExitError during " + c.phase() + ": Runtime exited with error: " + c.how() + " (" + tail + ")";
        }
        if (o instanceof TimedOut t) {
            return "Task timed out after " + String.format(Locale.ROOT, "%.2f", t.seconds()) + " seconds"
                    + (t.phase() == Phase.INIT ? " (during init: it never asked the Runtime API for an event)" : "")
                    + (t.stillRunning() ? "; as on Lambda Managed Instances, the invocation was not stopped and runs on in the process"
                    : "; the process was stopped");
        }
        if (o instanceof Throttled t) {
            return "TooManyRequestsException: Rate Exceeded. (" + t.concurrency() + " invocations already in flight in the managed instance, "
                    + "its AWS_LAMBDA_MAX_CONCURRENCY; Lambda Managed Instances refuse more until one ends)";
        }
        return "ok";
    }
}
