import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * `invoke-lambda --serve`: Lambda's Invoke API on 127.0.0.1, as the Runtime Interface Emulator serves it
 * (POST /2015-03-31/functions/NAME/invocations, body = event, response = the function's answer, a function
 * error flagged by X-Amz-Function-Error). Each function's process starts on its first invoke and stays warm,
 * one invocation at a time: concurrent invokes of one function queue, as on one Lambda instance. A process
 * that died or timed out is started anew on the next invoke. With a watcher, a rebuilt function's warm
 * process is stopped so that the next invoke starts the new build. Ctrl-C stops every process.
 */
final class InvokeServer {
    private static final String PREFIX = "/2015-03-31/functions/";

    private InvokeServer() {}

    /** The functions served: their names and executables (the lambda folder's bootstraps, or host builds). */
    interface Source {
        List<String> names();

        Path executable(String name);

        String describe();

        static Source lambdaDir(Path dir) {
            return new Source() {
                public List<String> names() {
                    return Functions.names(dir);
                }

                public Path executable(String name) {
                    return dir.resolve(name).resolve("bootstrap");
                }

                public String describe() {
                    return Functions.list(dir);
                }
            };
        }
    }

    /** A warm function: its started instance, or none yet. */
    private static final class Warm {
        final String name;
        final Path bootstrap;
        Invoker.Instance instance;

        Warm(String name, Path bootstrap) {
            this.name = name;
            this.bootstrap = bootstrap;
        }

        synchronized void stop() {
            if (instance != null) instance.close();
            instance = null;
        }
    }

    static int serve(Source source, int port, Invoker.Settings s, PrintWriter err, Workspace watch,
                     java.util.function.Predicate<Set<String>> rebuild) throws IOException {
        Map<String, Warm> warm = new ConcurrentHashMap<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.USAGE, "cannot listen on 127.0.0.1:" + port + ": " + e.getMessage() + " (another --port?)");
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(PREFIX, x -> {
            try (x) {
                handle(x, source, warm, s, err);
            }
        });
        Watcher watcher = watch == null ? null : new Watcher(watch.packageDirs, changed -> {
            err.println("invoke-lambda: changed: " + String.join(", ", changed) + "; rebuilding");
            err.flush();
            if (!rebuild.test(changed)) {
                err.println("invoke-lambda: the rebuild failed (above); still serving the previous build");
                err.flush();
                return;
            }
            // A library package's change reaches every function; a function package's only its own.
            boolean lib = changed.stream().anyMatch(p -> watch.functions.stream().noneMatch(f -> f.pkg().equals(p)));
            for (Workspace.Function f : watch.functions) {
                Warm w = warm.get(f.name());
                if (w != null && (lib || changed.contains(f.pkg()))) {
                    w.stop();
                    err.println("invoke-lambda: " + f.name() + " rebuilt: its next invoke starts the new build");
                }
            }
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (watcher != null) watcher.close();
            server.stop(0);
            warm.values().forEach(Warm::stop);
        }));
        server.start();
        err.println("invoke-lambda: serving " + source.describe() + " on http://127.0.0.1:" + server.getAddress().getPort()
                + PREFIX + "NAME/invocations" + (watcher != null ? ", rebuilding on changes to " + String.join(", ", watch.packages) : "")
                + " (Ctrl-C stops)");
        err.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.INTERRUPTED.code;
    }

    private static void handle(HttpExchange x, Source source, Map<String, Warm> warm, Invoker.Settings s, PrintWriter err) throws IOException {
        String path = x.getRequestURI().getPath();
        String rest = path.substring(PREFIX.length());
        if (!x.getRequestMethod().equals("POST") || !rest.endsWith("/invocations")) {
            send(x, 404, null, RuntimeApi.error("ResourceNotFoundException", "no route " + x.getRequestMethod() + " " + path
                    + ": use POST " + PREFIX + "NAME/invocations"));
            return;
        }
        String name = rest.substring(0, rest.length() - "/invocations".length());
        if (!source.names().contains(name) || !java.nio.file.Files.isRegularFile(source.executable(name))) {
            send(x, 404, null, RuntimeApi.error("ResourceNotFoundException", "Function not found: " + name + " (" + source.describe() + ")"));
            return;
        }
        byte[] event = x.getRequestBody().readAllBytes();
        if (event.length == 0) event = "{}".getBytes(StandardCharsets.UTF_8);
        Warm w = warm.computeIfAbsent(name, n -> new Warm(n, source.executable(n)));
        synchronized (w) {
            invoke(x, w, event, s, err);
        }
    }

    /** One invocation on a warm process (started first if there is none); the caller holds w's lock. */
    private static void invoke(HttpExchange x, Warm w, byte[] event, Invoker.Settings s, PrintWriter err) throws IOException {
        boolean cold = w.instance == null || !w.instance.alive();
        if (cold) {
            w.stop();
            w.instance = Invoker.Instance.start(w.name, w.bootstrap, s, System.err);
            Invoker.Outcome init = w.instance.init();
            if (!(init instanceof Invoker.Ready)) {
                w.stop();
                sendError(x, null, init, s);
                return;
            }
        }
        Invoker.Run r = w.instance.invoke(event, cold);
        err.println(r.report(s.memoryMb()));
        err.flush();
        if (r.outcome() instanceof Invoker.Answered a) {
            send(x, 200, null, a.body());
        } else if (r.outcome() instanceof Invoker.Failed f) {
            send(x, 200, "Unhandled", f.body());
        } else {
            w.stop();
            sendError(x, r.requestId(), r.outcome(), s);
        }
    }

    /** A timeout, crash or init error as the Lambda service answers it: 200, X-Amz-Function-Error, Lambda's error object. */
    private static void sendError(HttpExchange x, String requestId, Invoker.Outcome o, Invoker.Settings s) throws IOException {
        String id = requestId == null ? "" : requestId + " ";
        String json = o instanceof Invoker.TimedOut t
                ? RuntimeApi.error("Sandbox.Timedout", id + "Task timed out after " + seconds(s) + " seconds" + (t.phase() == Invoker.Phase.INIT ? " (during init)" : ""))
                : o instanceof Invoker.InitFailed f ? RuntimeApi.error("Runtime.InitError", "init failed: " + f.type())
                : RuntimeApi.error("Runtime.ExitError", (requestId == null ? "" : "RequestId: " + requestId + " ") + "Error: Runtime exited with error: "
                        + ((Invoker.Crashed) o).how());
        send(x, 200, "Unhandled", json);
    }

    private static String seconds(Invoker.Settings s) {
        return String.format(Locale.ROOT, "%.2f", s.timeoutMillis() / 1000.0);
    }

    private static void send(HttpExchange x, int status, String functionError, String json) throws IOException {
        send(x, status, functionError, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String functionError, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (functionError != null) x.getResponseHeaders().set("X-Amz-Function-Error", functionError);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }
}
