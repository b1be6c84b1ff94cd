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
    record Settings(int memoryMb, String cpu, long timeoutMillis, Map<String, String> extraEnv) {}

    sealed interface Outcome permits Ready, Answered, Failed, InitFailed, Crashed, TimedOut {}

    /** Init succeeded (smoke without an event). */
    record Ready() implements Outcome {}

    record Answered(byte[] body) implements Outcome {}

    /** The function reported an error (or Lambda refused its answer: too large). */
    record Failed(String type, byte[] body) implements Outcome {}

    /** The runtime reported an init error through init/error. */
    record InitFailed(String type, byte[] body) implements Outcome {}

    /** The process ended by itself. phase: "init" or "invoke". */
    record Crashed(String phase, String how, List<String> lastLines) implements Outcome {}

    record TimedOut(String phase, double seconds) implements Outcome {}

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

    /** event null: init only (the smoke check without an event). logs: where the function's output goes. */
    static Run run(String name, Path bootstrap, byte[] event, Settings s, PrintStream logs) {
        FunctionProcess.Launch launch = FunctionProcess.Launch.of(bootstrap, s.cpu(), System.getenv());
        try (RuntimeApi api = new RuntimeApi()) {
            Map<String, String> env = FunctionProcess.lambdaEnv(name, bootstrap.getParent(), api.address(), s.memoryMb(), s.extraEnv());
            long start = System.nanoTime();
            try (FunctionProcess p = FunctionProcess.start(bootstrap, launch, env, logs)) {
                CompletableFuture<Process> exited = p.process().onExit();
                Object first = await(CompletableFuture.anyOf(api.ready(), api.initError(), exited), s.timeoutMillis());
                double initMs = api.ready().isDone() ? (api.ready().join() - start) / 1e6 : -1;
                if (first == null) return new Run(new TimedOut("init", s.timeoutMillis() / 1000.0), null, -1, -1, p.maxMemoryMb(), launch.how());
                if (first instanceof RuntimeApi.InitError e) return new Run(new InitFailed(e.type(), e.body()), null, -1, -1, p.maxMemoryMb(), launch.how());
                if (first instanceof Process) {
                    String unknownCpu = p.lastLines().stream().filter(l -> l.contains("unable to find CPU model")).findFirst().orElse(null);
                    if (unknownCpu != null) {
                        throw new Cli.UserError(ExitCode.USAGE, "qemu knows no CPU model '" + s.cpu() + "' (" + unknownCpu.trim()
                                + "); `" + launch.prefix().get(0) + " -cpu help` lists the models, e.g. neoverse-n1 or max");
                    }
                    return new Run(new Crashed("init", p.howItEnded(), p.lastLines()), null, -1, -1, p.maxMemoryMb(), launch.how());
                }
                if (event == null) return new Run(new Ready(), null, initMs, -1, p.maxMemoryMb(), launch.how());

                RuntimeApi.Event e = RuntimeApi.Event.of(event, name, s.timeoutMillis());
                long sent = System.nanoTime();
                CompletableFuture<RuntimeApi.Result> answer = api.submit(e);
                Object second = await(CompletableFuture.anyOf(answer, exited), s.timeoutMillis());
                double ms = (System.nanoTime() - sent) / 1e6;
                if (second == null) return new Run(new TimedOut("invoke", s.timeoutMillis() / 1000.0), e.requestId(), initMs, ms, p.maxMemoryMb(), launch.how());
                if (second instanceof RuntimeApi.Answer a) return new Run(new Answered(a.body()), e.requestId(), initMs, ms, p.maxMemoryMb(), launch.how());
                if (second instanceof RuntimeApi.FunctionError f) return new Run(new Failed(f.type(), f.body()), e.requestId(), initMs, ms, p.maxMemoryMb(), launch.how());
                return new Run(new Crashed("invoke", p.howItEnded(), p.lastLines()), e.requestId(), initMs, ms, p.maxMemoryMb(), launch.how());
            }
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot start the Runtime API on 127.0.0.1: " + e.getMessage());
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
        Outcome o = r.outcome();
        if (o instanceof Failed f) return name + ": the function returned an error: " + f.type();
        if (o instanceof InitFailed f) return name + ": init failed: the runtime reported " + f.type() + " (Runtime.InitError)";
        if (o instanceof Crashed c) {
            List<String> said = c.lastLines().stream().filter(l -> !l.isBlank() && !l.startsWith("note: run with `RUST_BACKTRACE")).toList();
            String tail = said.isEmpty() ? "it printed nothing" : "its last output: " + String.join(" | ", said.subList(Math.max(0, said.size() - 2), said.size()));
            return name + ": Runtime.ExitError during " + c.phase() + ": Runtime exited with error: " + c.how() + " (" + tail + ")";
        }
        if (o instanceof TimedOut t) {
            return name + ": Task timed out after " + String.format(Locale.ROOT, "%.2f", t.seconds()) + " seconds"
                    + (t.phase().equals("init") ? " (during init: it never asked the Runtime API for an event)" : "")
                    + "; the process was stopped";
        }
        return name + ": ok";
    }
}
