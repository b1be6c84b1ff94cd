import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The Extensions and Telemetry APIs as a real HTTP client and subscriber see them (no cargo, no qemu). */
@Tag("fast")
class ExtensionsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errorType(HttpResponse<String> r) {
        return Json.parse(r.body()).asObject().getString("errorType", "");
    }

    @Test
    void registrationEventsAndTelemetryAnswerAsLambdasDo() throws Exception {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer subscriber = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        subscriber.createContext("/", x -> {
            received.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        subscriber.start();
        try (RuntimeApi api = new RuntimeApi()) {
            Extensions ext = new Extensions(api, "fn", List.of(), log);
            String base = "http://" + api.address();
            String register = base + ExtensionsApi.PREFIX + "register";

            assertEquals("Extension.MissingHeader", errorType(call("POST", register, "{\"events\":[\"INVOKE\"]}")));
            HttpResponse<String> shutdown = call("POST", register, "{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}", "Lambda-Extension-Name", "in-proc");
            assertEquals(403, shutdown.statusCode(), shutdown.body());
            assertEquals("Extension.InvalidEventType", errorType(shutdown), "an internal extension gets no SHUTDOWN: " + shutdown.body());

            HttpResponse<String> ok = call("POST", register, "{\"events\":[\"INVOKE\"]}", "Lambda-Extension-Name", "in-proc",
                    "Lambda-Extension-Accept-Feature", "accountId");
            assertEquals(200, ok.statusCode(), ok.body());
            String id = ok.headers().firstValue("Lambda-Extension-Identifier").orElseThrow();
            JsonObject info = Json.parse(ok.body()).asObject();
            assertEquals("fn", info.getString("functionName", ""));
            assertEquals("$LATEST", info.getString("functionVersion", ""));
            assertEquals(ExtensionsApi.ACCOUNT, info.getString("accountId", ""));
            assertEquals("Extension.AlreadyRegistered", errorType(call("POST", register, "{\"events\":[]}", "Lambda-Extension-Name", "in-proc")));

            HttpResponse<String> unknown = call("GET", base + ExtensionsApi.PREFIX + "event/next", null, "Lambda-Extension-Identifier",
                    "4c1b0bd7-0000-0000-0000-000000000000");
            assertEquals(403, unknown.statusCode());
            assertEquals("Extension.UnknownExtensionIdentifier", errorType(unknown));

            String telemetry = base + TelemetryApi.PATH;
            String dest = "http://sandbox.localdomain:" + subscriber.getAddress().getPort();
            HttpResponse<String> tooSmall = call("PUT", telemetry, "{\"schemaVersion\":\"2022-07-01\",\"types\":[\"function\"],"
                    + "\"buffering\":{\"maxItems\":5},\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"" + dest + "\"}}", "Lambda-Extension-Identifier", id);
            assertEquals(400, tooSmall.statusCode(), tooSmall.body());
            assertEquals("ValidationError", errorType(tooSmall));
            HttpResponse<String> sub = call("PUT", telemetry, "{\"schemaVersion\":\"2022-07-01\",\"types\":[\"platform\",\"function\"],"
                    + "\"buffering\":{\"maxItems\":1000,\"maxBytes\":262144,\"timeoutMs\":25},\"destination\":{\"protocol\":\"HTTP\",\"URI\":\"" + dest + "\"}}",
                    "Lambda-Extension-Identifier", id);
            assertEquals(200, sub.statusCode(), sub.body());

            // the extension waits for its next event; the invocation's INVOKE is what it gets
            CompletableFuture<HttpResponse<String>> next = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + ExtensionsApi.PREFIX + "event/next"))
                    .header("Lambda-Extension-Identifier", id).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(ext.api.awaitInit(System.nanoTime() + 20_000_000_000L), "init ends when the extension waits in event/next");
            RuntimeApi.Event e = RuntimeApi.Event.of("{}".getBytes(), "fn", 3000);
            ext.invoke(e);
            HttpResponse<String> invoke = next.get(20, TimeUnit.SECONDS);
            JsonObject ev = Json.parse(invoke.body()).asObject();
            assertEquals("INVOKE", ev.getString("eventType", ""));
            assertEquals(e.requestId(), ev.getString("requestId", ""));
            assertEquals(e.deadlineMs(), ev.getLong("deadlineMs", 0));
            assertEquals("X-Amzn-Trace-Id", ev.get("tracing").asObject().getString("type", ""));
            assertTrue(invoke.headers().firstValue("Lambda-Extension-Event-Identifier").isPresent());
            assertEquals("Extension.RegistrationClosed", errorType(call("POST", register, "{\"events\":[\"INVOKE\"]}", "Lambda-Extension-Name", "late")));

            ext.sink("function").println("hello from the function");
            boolean sawLine = false, sawStart = false;
            for (int i = 0; i < 20 && !(sawLine && sawStart); i++) {
                String batch = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(batch, "a batch within timeoutMs");
                for (var v : Json.parse(batch).asArray()) {
                    JsonObject o = v.asObject();
                    assertNotNull(o.getString("time", null), o.toString());
                    if (o.getString("type", "").equals("function")) {
                        assertEquals("hello from the function", o.getString("record", ""));
                        sawLine = true;
                    }
                    if (o.getString("type", "").equals("platform.start")) {
                        assertEquals(e.requestId(), o.get("record").asObject().getString("requestId", ""));
                        sawStart = true;
                    }
                }
            }
            assertTrue(sawLine && sawStart, "the subscriber got the function's line and platform.start");
            ext.close();
        } finally {
            subscriber.stop(0);
        }
    }

    /**
     * An extension that asks for its next event again the moment it has read one (two requests of it waiting at
     * once) gets each event once: the INVOKE to one request, the SHUTDOWN queued after it to the other.
     */
    @Test
    void twoWaitingRequestsOfOneExtensionGetEachEventOnce() throws Exception {
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (RuntimeApi api = new RuntimeApi()) {
            ExtensionsApi ext = new ExtensionsApi(api, "fn", java.util.Set.of("probe"), log);
            String base = "http://" + api.address() + ExtensionsApi.PREFIX;
            HttpResponse<String> ok = call("POST", base + "register", "{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}", "Lambda-Extension-Name", "probe");
            assertEquals(200, ok.statusCode(), ok.body());
            String id = ok.headers().firstValue("Lambda-Extension-Identifier").orElseThrow();
            HttpRequest next = HttpRequest.newBuilder(URI.create(base + "event/next")).header("Lambda-Extension-Identifier", id).build();
            List<CompletableFuture<HttpResponse<String>>> polls = List.of(HTTP.sendAsync(next, HttpResponse.BodyHandlers.ofString()),
                    HTTP.sendAsync(next, HttpResponse.BodyHandlers.ofString()));
            for (int i = 0; i < 300 && ext.waitingRequests(id) < 2; i++) Thread.sleep(100);
            assertEquals(2, ext.waitingRequests(id), "both requests wait");

            RuntimeApi.Event e = RuntimeApi.Event.of("{}".getBytes(StandardCharsets.UTF_8), "fn", "us-east-1", 30_000, null);
            ext.invoke(e);
            CompletableFuture.anyOf(polls.get(0), polls.get(1)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 300 && ext.waitingRequests(id) > 1; i++) Thread.sleep(100);
            assertEquals(1, ext.waitingRequests(id), "one request took the INVOKE, the other still waits");
            ext.shutdown("spindown", System.currentTimeMillis() + 2000);
            List<String> types = new java.util.ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> p : polls) {
                HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                types.add(Json.parse(r.body()).asObject().getString("eventType", "?"));
            }
            java.util.Collections.sort(types);
            assertEquals(List.of("INVOKE", "SHUTDOWN"), types, "each event once");
        }
    }

    @Test
    void anExtensionPathThatIsNoExecutableIsAUsageError() {
        Cli.UserError e = assertThrows(Cli.UserError.class, () -> Extensions.check(List.of(java.nio.file.Path.of("no/such/extension"))));
        assertEquals(ExitCode.USAGE.code, e.exitCode);
        assertTrue(e.getMessage().contains("--extension no/such/extension is not an executable file"), e.getMessage());
    }
}
