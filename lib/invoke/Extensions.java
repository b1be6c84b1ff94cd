import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What runs beside one function process as on Lambda: the external extensions (started with it under the same
 * runner, each told the function's environment), the Extensions API they and any internal extension register with,
 * and the Telemetry API that hands the function's log lines and Lambda's platform.* events to its subscribers.
 * Lambda's lifecycle: external extensions start and register before the runtime; init ends when the runtime and
 * every extension ask for their next event; INVOKE goes to the extensions with each event, and the invocation ends
 * (its REPORT Duration) when the runtime answered and every extension asked for its next event again; at shutdown
 * the external extensions registered for it get SHUTDOWN with a deadline 2,000 ms away, then are stopped.
 */
final class Extensions implements AutoCloseable {
    /** Lambda's Shutdown phase with external extensions: 2,000 ms. */
    static final long SHUTDOWN_MS = 2000;

    final ExtensionsApi api;
    final TelemetryApi telemetry;
    private final List<Path> externals;
    private final List<FunctionProcess> processes = new ArrayList<>();
    private final PrintStream logs;
    private boolean shutDown;

    /** The external extensions of a bootstrap: <lambda dir>/extensions/* (as build-lambda --extension lays them out), then given. */
    static List<Path> find(Path bootstrap, List<Path> given) {
        Set<Path> all = new LinkedHashSet<>();
        Path folder = bootstrap.toAbsolutePath().getParent();
        Path dir = folder == null || folder.getParent() == null ? null : folder.getParent().resolve("extensions");
        if (dir != null && bootstrap.getFileName().toString().equals("bootstrap") && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).sorted().forEach(all::add);
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage());
            }
        }
        all.addAll(check(given));
        return List.copyOf(all);
    }

    /** --extension's paths, each an executable file. */
    static List<Path> check(List<Path> given) {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new Cli.UserError(ExitCode.USAGE, "--extension " + p + " is not an executable file (build one with build-lambda --extension)");
            }
            out.add(p.toAbsolutePath());
        }
        return out;
    }

    Extensions(RuntimeApi runtime, String function, List<Path> externals, PrintStream logs) {
        this.externals = externals;
        this.logs = logs;
        Set<String> names = new LinkedHashSet<>();
        for (Path p : externals) names.add(p.getFileName().toString());
        this.api = new ExtensionsApi(runtime, function, names, logs);
        this.telemetry = new TelemetryApi(runtime, api, logs);
    }

    boolean any() {
        return !externals.isEmpty() || !api.registered().isEmpty();
    }

    /** Where a process's lines go: the log, and the Telemetry API as records of type (function or extension). */
    PrintStream sink(String type) {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                logs.println(line);
                telemetry.emit(type, Json.value(line));
            }
        };
    }

    /** Starts the external extensions and waits (until the deadline, System.nanoTime()) for each to register. */
    void start(String cpu, Map<String, String> env, long deadlineNanos) {
        for (Path p : externals) {
            FunctionProcess f = FunctionProcess.start(p, FunctionProcess.Launch.of(p, cpu, System.getenv()), env, sink("extension"));
            processes.add(f);
            String name = p.getFileName().toString();
            f.process().onExit().thenRun(() -> api.ended(name));
        }
        try {
            api.awaitRegistered(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static JsonObject tracing(RuntimeApi.Event e) {
        return new JsonObject().add("spanId", e.traceId().replaceAll(".*Parent=([0-9a-f]+).*", "$1")).add("type", "X-Amzn-Trace-Id")
                .add("value", e.traceId());
    }

    void initStart(String initType) {
        telemetry.emit("platform.initStart", new JsonObject().add("initializationType", initType).add("phase", "init"));
    }

    /** status: success, error or failure; initMs: the whole init, extensions' included. */
    void initDone(String initType, String status, String errorType, double initMs) {
        JsonObject done = new JsonObject().add("initializationType", initType).add("phase", "init").add("status", status);
        if (errorType != null) done.add("errorType", errorType);
        telemetry.emit("platform.initRuntimeDone", done.add("spans", new JsonArray()));
        telemetry.emit("platform.initReport", new JsonObject().add("initializationType", initType).add("phase", "init")
                .add("status", status).add("metrics", new JsonObject().add("durationMs", round(initMs))).add("spans", new JsonArray()));
    }

    /** An invocation starts: INVOKE to the extensions registered for it, platform.start to the subscribers. */
    void invoke(RuntimeApi.Event e) {
        api.invoke(e);
        telemetry.emit("platform.start", new JsonObject().add("requestId", e.requestId()).add("version", "$LATEST").add("tracing", tracing(e)));
    }

    /** The runtime answered (status success, error, timeout or failure): platform.runtimeDone. */
    void runtimeDone(RuntimeApi.Event e, String status, String errorType, double runtimeMs, long producedBytes) {
        JsonObject o = new JsonObject().add("requestId", e.requestId()).add("status", status);
        if (errorType != null) o.add("errorType", errorType);
        JsonObject metrics = new JsonObject().add("durationMs", round(runtimeMs));
        if (producedBytes >= 0) metrics.add("producedBytes", producedBytes);
        telemetry.emit("platform.runtimeDone", o.add("metrics", metrics).add("spans", new JsonArray()).add("tracing", tracing(e)));
    }

    /** Waits for every extension to ask for its next event (the invocation's end on Lambda), at most until the deadline. */
    void awaitIdle(long deadlineNanos) {
        try {
            api.awaitIdle(deadlineNanos, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** platform.report: the REPORT line's figures. */
    void report(RuntimeApi.Event e, String status, String errorType, double durationMs, int memoryMb, long maxMemoryMb, double initMs) {
        JsonObject metrics = new JsonObject().add("durationMs", round(durationMs)).add("billedDurationMs", (long) Math.ceil(durationMs))
                .add("memorySizeMB", memoryMb).add("maxMemoryUsedMB", maxMemoryMb);
        if (initMs >= 0) metrics.add("initDurationMs", round(initMs));
        JsonObject o = new JsonObject().add("requestId", e.requestId()).add("status", status);
        if (errorType != null) o.add("errorType", errorType);
        telemetry.emit("platform.report", o.add("metrics", metrics).add("spans", new JsonArray()).add("tracing", tracing(e)));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    /** SHUTDOWN (reason spindown, timeout or failure) to the external extensions, up to 2,000 ms for them; then all stop. */
    void shutdown(String reason) {
        if (shutDown) return;
        shutDown = true;
        if (!processes.isEmpty()) {
            long deadline = System.currentTimeMillis() + SHUTDOWN_MS;
            api.shutdown(reason, deadline);
            try {
                api.awaitIdle(System.nanoTime() + SHUTDOWN_MS * 1_000_000L, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        telemetry.close();
        processes.forEach(FunctionProcess::close);
    }

    @Override
    public void close() {
        shutdown("spindown");
    }
}
