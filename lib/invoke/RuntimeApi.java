import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API, version 2018-06-01, for one function process: GET invocation/next blocks until
 * an event is submitted, POST invocation/{id}/response and /error complete it, POST init/error reports a
 * failed init. It listens on 127.0.0.1 and a free port. The JDK's own HTTP server: four routes and
 * a blocking long poll need nothing more, and the scripts stay free of another dependency.
 */
final class RuntimeApi implements AutoCloseable {
    /** Lambda's limit for a synchronous response: 6 MB and 100 bytes (6,291,556), as Lambda and its emulator count. */
    static final int MAX_RESPONSE = 6 * 1024 * 1024 + 100;
    static final String PREFIX = "/2018-06-01/runtime/";

    /** One invocation as the runtime receives it. clientContext and cognitoIdentity: null when not given. */
    record Event(String requestId, byte[] body, long deadlineMs, String functionArn, String traceId,
                 String clientContext, String cognitoIdentity) {
        /** The account of a function's ARN here: moto's default account, the one the local AWS's ARNs use too. */
        static final String ACCOUNT = "123456789012";

        static Event of(byte[] body, String functionName, long timeoutMillis) {
            return of(body, functionName, "us-east-1", timeoutMillis, null);
        }

        /** A new request id and X-Ray trace id; the deadline in epoch milliseconds, timeoutMillis from now. */
        static Event of(byte[] body, String functionName, String region, long timeoutMillis, String clientContext) {
            String id = UUID.randomUUID().toString();
            String hex = UUID.randomUUID().toString().replace("-", "");
            String trace = "Root=1-" + String.format("%08x", System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24)
                    + ";Parent=" + hex.substring(16, 32) + ";Sampled=0";
            return new Event(id, body, System.currentTimeMillis() + timeoutMillis,
                    "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + functionName, trace, clientContext, null);
        }
    }

    /** What the runtime said of an invocation, or of its init. */
    sealed interface Result permits Answer, FunctionError, InitError, Streamed {}

    /** The function's response body, byte for byte. */
    record Answer(byte[] body) implements Result {}

    /** An error the function reported for an invocation (or the response Lambda refused: too large). */
    record FunctionError(String type, byte[] body) implements Result {}

    /** A response the runtime streams (Response-Mode: streaming): its pieces arrive through the ResponseStream. */
    record Streamed(ResponseStream stream) implements Result {}

    /** An error the runtime reported during init. */
    record InitError(String type, byte[] body) implements Result {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> open = new ConcurrentHashMap<>();
    private final java.util.Set<String> answered = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final CompletableFuture<InitError> initError = new CompletableFuture<>();

    RuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** Another API on this address: Lambda serves the Extensions and Telemetry APIs beside the Runtime API. */
    void mount(String prefix, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(prefix, handler);
    }

    /** host:port, for AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Completes (with System.nanoTime()) when the runtime first asks for an event: init is over. */
    CompletableFuture<Long> ready() {
        return ready;
    }

    CompletableFuture<InitError> initError() {
        return initError;
    }

    /** Hands an event to the runtime's next GET invocation/next; completes with its response or error. */
    CompletableFuture<Result> submit(Event e) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        open.put(e.requestId(), f);
        pending.add(e);
        return f;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath().substring(PREFIX.length());
            String method = x.getRequestMethod();
            if (path.equals("invocation/next") && method.equals("GET")) {
                next(x);
            } else if (path.equals("init/error") && method.equals("POST")) {
                Body body = readBody(x.getRequestBody(), MAX_RESPONSE);
                if (ready.isDone()) {
                    send(x, 403, error("InvalidStateTransition", "State transition from Ready to InitError failed for runtime. "
                            + "Error: State transition is not allowed"));
                    return;
                }
                initError.complete(new InitError(errorType(x, body.bytes()), body.bytes() == null ? new byte[0] : body.bytes()));
                send(x, 202, "{\"status\":\"OK\"}");
            } else if (path.startsWith("invocation/") && method.equals("POST")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                complete(x, id, path.endsWith("/error"));
            } else {
                send(x, 404, error("NotFound", "no route " + method + " " + x.getRequestURI().getPath()));
            }
        }
    }

    /** How many times the runtime has asked for an event (GET invocation/next), and a monitor for those who wait on it. */
    private int nextCalls;

    /**
     * Waits until the runtime has asked for n events in all, the process ended (alive false) or millis passed; true
     * when it asked. An invocation ends, for Lambda, when the runtime asks for its next event: what it logs after its
     * answer (a 413 it was told, say) is still the invocation's.
     */
    boolean awaitNextCalls(int n, long millis, java.util.function.BooleanSupplier alive) {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (this) {
            while (nextCalls < n) {
                long left = (end - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || !alive.getAsBoolean()) return false;
                try {
                    wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void next(HttpExchange x) throws IOException {
        synchronized (this) {
            nextCalls++;
            notifyAll();
        }
        ready.complete(System.nanoTime());
        Event e;
        try {
            e = pending.take();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return;
        }
        var h = x.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", e.requestId());
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(e.deadlineMs()));
        h.set("Lambda-Runtime-Invoked-Function-Arn", e.functionArn());
        h.set("Lambda-Runtime-Trace-Id", e.traceId());
        if (e.clientContext() != null) h.set("Lambda-Runtime-Client-Context", e.clientContext());
        if (e.cognitoIdentity() != null) h.set("Lambda-Runtime-Cognito-Identity", e.cognitoIdentity());
        x.sendResponseHeaders(200, e.body().length == 0 ? -1 : e.body().length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(e.body());
        }
    }

    private void complete(HttpExchange x, String id, boolean isError) throws IOException {
        if (answered.contains(id)) {
            send(x, 403, error("InvalidStateTransition", "State transition from RuntimeResponseSentState to "
                    + (isError ? "InvocationErrorResponse" : "InvocationResponse") + " failed for runtime. Error: State transition is not allowed"));
            return;
        }
        CompletableFuture<Result> f = open.remove(id);
        if (f == null) {
            send(x, 400, error("InvalidRequestID", "Invalid request ID"));
            return;
        }
        answered.add(id);
        if (!isError && "streaming".equalsIgnoreCase(x.getRequestHeaders().getFirst("Lambda-Runtime-Function-Response-Mode"))) {
            ResponseStream s = new ResponseStream(x.getRequestHeaders().getFirst("Content-Type"));
            f.complete(new Streamed(s));
            s.readFrom(x.getRequestBody());
            send(x, 202, "{\"status\":\"OK\"}");
            return;
        }
        Body body = readBody(x.getRequestBody(), MAX_RESPONSE);
        if (body.bytes() == null) {
            send(x, 413, error("RequestEntityTooLarge", "Exceeded maximum allowed payload size (" + MAX_RESPONSE + " bytes)."));
            f.complete(new FunctionError("Function.ResponseSizeTooLarge", error("Function.ResponseSizeTooLarge", "Response payload size ("
                    + body.size() + " bytes) exceeded maximum allowed payload size (" + MAX_RESPONSE + " bytes).").getBytes(StandardCharsets.UTF_8)));
        } else if (isError) {
            f.complete(new FunctionError(errorType(x, body.bytes()), body.bytes()));
            send(x, 202, "{\"status\":\"OK\"}");
        } else {
            f.complete(new Answer(body.bytes()));
            send(x, 202, "{\"status\":\"OK\"}");
        }
    }

    /** The function's own error type: its header, else the body's errorType, else Lambda's default. */
    private static String errorType(HttpExchange x, byte[] body) {
        String h = x.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        if (h != null && !h.isBlank()) return h;
        if (body != null) {
            try {
                var v = com.eclipsesource.json.Json.parse(new String(body, StandardCharsets.UTF_8));
                if (v.isObject() && v.asObject().get("errorType") != null && v.asObject().get("errorType").isString()) {
                    return v.asObject().getString("errorType", "Unhandled");
                }
            } catch (RuntimeException notJson) {
                // the body is the function's; its type stays unknown
            }
        }
        return "Unhandled";
    }

    /** A request body: its bytes, or null when it is longer than the limit; size counts them all. */
    private record Body(byte[] bytes, long size) {}

    private static Body readBody(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) return new Body(null, b.length + in.transferTo(OutputStream.nullOutputStream()));
        return new Body(b, b.length);
    }

    static String error(String type, String message) {
        return new JsonWriter.Obj().put("errorMessage", message).put("errorType", type).toString();
    }

    static void send(HttpExchange x, int status, String json) throws IOException {
        send(x, status, json, null);
    }

    /** A JSON answer, as the Runtime, Extensions and Telemetry APIs give theirs; headers may be null. */
    static void send(HttpExchange x, int status, String json, java.util.Map<String, String> headers) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        if (headers != null) headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
