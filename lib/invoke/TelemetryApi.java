import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lambda's Telemetry API, version 2022-07-01, on the Runtime API's address: an extension subscribes (PUT
 * /2022-07-01/telemetry with Lambda-Extension-Identifier: types platform, function, extension; buffering maxItems,
 * maxBytes, timeoutMs; destination {protocol HTTP, URI}) and gets the events as JSON arrays POSTed to its URI, each
 * {"time", "type", "record"}: the function's log lines (type function, the line as record), the extensions' (type
 * extension), and Lambda's platform.* events. A batch is sent when it holds maxItems events or maxBytes bytes, or
 * timeoutMs after its first event; at shutdown whatever is buffered is sent. Events from before the subscription
 * (init's) are delivered too, as Lambda buffers them. sandbox.localdomain, the host Lambda's subscribers listen
 * on, is 127.0.0.1 here.
 */
final class TelemetryApi {
    static final String PATH = "/2022-07-01/telemetry";
    private static final int HISTORY = 10_000;

    private final ExtensionsApi extensions;
    private final java.io.PrintStream log;
    private final List<String[]> history = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean closed;

    TelemetryApi(RuntimeApi api, ExtensionsApi extensions, java.io.PrintStream log) {
        this.extensions = extensions;
        this.log = log;
        api.mount(PATH, this::handle);
    }

    /** One subscription: its buffer, sent by its own thread. */
    private final class Subscriber {
        final String name;
        final URI uri;
        final Set<String> types;
        final int maxItems, maxBytes, timeoutMs;
        final List<String> buffer = new ArrayList<>();
        long bytes;
        long firstNanos;
        final Thread sender;

        Subscriber(String name, URI uri, Set<String> types, int maxItems, int maxBytes, int timeoutMs) {
            this.name = name;
            this.uri = uri;
            this.types = types;
            this.maxItems = maxItems;
            this.maxBytes = maxBytes;
            this.timeoutMs = timeoutMs;
            this.sender = new Thread(this::loop, "telemetry-" + name);
            sender.setDaemon(true);
        }

        private void loop() {
            while (true) {
                List<String> batch;
                synchronized (TelemetryApi.this) {
                    try {
                        while (!closed && (buffer.isEmpty() || !full() && System.nanoTime() - firstNanos < timeoutMs * 1_000_000L)) {
                            long wait = buffer.isEmpty() ? 0 : Math.max(1, timeoutMs - (System.nanoTime() - firstNanos) / 1_000_000);
                            TelemetryApi.this.wait(wait);
                        }
                    } catch (InterruptedException stop) {
                        return;
                    }
                    if (closed && buffer.isEmpty()) return;
                    batch = take();
                }
                post(batch);
            }
        }

        private boolean full() {
            return buffer.size() >= maxItems || bytes >= maxBytes;
        }

        /** Up to maxItems events, and no more than maxBytes (at least one). */
        private List<String> take() {
            List<String> batch = new ArrayList<>();
            long size = 0;
            while (!buffer.isEmpty() && batch.size() < maxItems && (batch.isEmpty() || size + buffer.get(0).length() <= maxBytes)) {
                String e = buffer.remove(0);
                size += e.length();
                batch.add(e);
            }
            bytes -= size;
            firstNanos = System.nanoTime();
            return batch;
        }

        /** POSTs one batch; a subscriber not listening yet (its listener starts as it subscribes) is tried again, 5 times. */
        void post(List<String> batch) {
            byte[] body = ("[" + String.join(",", batch) + "]").getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; ; attempt++) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() / 100 != 2) {
                        log.println("invoke-lambda: telemetry subscriber " + name + " answered " + r.statusCode() + " to a batch of " + batch.size());
                        log.flush();
                    }
                    return;
                } catch (IOException e) {
                    if (attempt == 5) {
                        log.println("invoke-lambda: telemetry subscriber " + name + " at " + uri + " is not reachable: " + e + "; "
                                + batch.size() + " events dropped");
                        log.flush();
                        return;
                    }
                    try {
                        Thread.sleep(100L << attempt);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** An event as Lambda sends it: {"time", "type", "record"}; category: platform, function or extension. */
    void emit(String type, JsonValue record) {
        String json = new JsonObject().add("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()).add("type", type)
                .add("record", record).toString();
        String category = type.startsWith("platform.") ? "platform" : type;
        synchronized (this) {
            if (closed) return;
            history.add(new String[] {category, json});
            if (history.size() > HISTORY) history.remove(0);
            for (Subscriber s : subscribers) add(s, category, json);
            notifyAll();
        }
    }

    private void add(Subscriber s, String category, String json) {
        if (!s.types.contains(category)) return;
        if (s.buffer.isEmpty()) s.firstNanos = System.nanoTime();
        s.buffer.add(json);
        s.bytes += json.length();
    }

    /** Sends what is buffered and stops the senders (shutdown). */
    void close() {
        List<Subscriber> all;
        synchronized (this) {
            closed = true;
            notifyAll();
            all = new ArrayList<>(subscribers);
        }
        for (Subscriber s : all) {
            try {
                s.sender.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("PUT") || !x.getRequestURI().getPath().equals(PATH)) {
                send(x, 404, RuntimeApi.error("NotFound", "no route " + x.getRequestMethod() + " " + x.getRequestURI().getPath()));
                return;
            }
            String id = x.getRequestHeaders().getFirst("Lambda-Extension-Identifier");
            String name = extensions.nameOf(id);
            if (name == null) {
                send(x, 403, RuntimeApi.error("Extension.UnknownExtensionIdentifier", "Unknown extension " + id));
                return;
            }
            Subscriber s;
            try {
                s = parse(name, Json.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).asObject());
            } catch (IllegalArgumentException | UnsupportedOperationException | NullPointerException | com.eclipsesource.json.ParseException bad) {
                send(x, 400, RuntimeApi.error("ValidationError", bad.getMessage() == null ? "invalid subscription" : bad.getMessage()));
                return;
            }
            synchronized (this) {
                subscribers.removeIf(o -> o.name.equals(name));
                subscribers.add(s);
                for (String[] e : history) add(s, e[0], e[1]);
            }
            s.sender.start();
            log.println("invoke-lambda: extension " + name + " subscribed to telemetry " + s.types + " at " + s.uri);
            log.flush();
            emit("platform.telemetrySubscription", new JsonObject().add("name", name).add("state", "Subscribed")
                    .add("types", Json.array(s.types.toArray(new String[0]))));
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, ok.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(ok);
            }
        }
    }

    private Subscriber parse(String name, JsonObject o) {
        String version = o.getString("schemaVersion", "");
        if (!List.of("2022-07-01", "2022-12-13", "2025-01-29").contains(version)) {
            throw new IllegalArgumentException("schemaVersion " + version + " is not one of 2022-07-01, 2022-12-13");
        }
        Set<String> types = new LinkedHashSet<>();
        for (JsonValue t : o.get("types").asArray()) {
            if (!List.of("platform", "function", "extension").contains(t.asString())) throw new IllegalArgumentException("unknown type " + t);
            types.add(t.asString());
        }
        JsonObject b = o.get("buffering") == null ? new JsonObject() : o.get("buffering").asObject();
        int items = range(b, "maxItems", 1000, 1000, 10_000), bytes = range(b, "maxBytes", 262_144, 262_144, 1_048_576),
                timeout = range(b, "timeoutMs", 1000, 25, 30_000);
        JsonObject d = o.get("destination").asObject();
        if (!d.getString("protocol", "").equals("HTTP")) throw new IllegalArgumentException("destination.protocol must be HTTP");
        URI uri = URI.create(d.getString("URI", ""));
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) throw new IllegalArgumentException("destination.URI must be http://HOST:PORT/...");
        if (uri.getHost().equals("sandbox.localdomain")) {
            uri = URI.create("http://127.0.0.1:" + (uri.getPort() < 0 ? 80 : uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        }
        return new Subscriber(name, uri, types, items, bytes, timeout);
    }

    private static int range(JsonObject b, String key, int dflt, int min, int max) {
        int v = b.getInt(key, dflt);
        if (v < min || v > max) throw new IllegalArgumentException("buffering." + key + " is from " + min + " to " + max + ", not " + v);
        return v;
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        RuntimeApi.send(x, status, json);
    }
}
