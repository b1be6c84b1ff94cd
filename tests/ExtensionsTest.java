import com.eclipsesource.json.Json;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Extensions and telemetry for real: tests/fixtures/managed/probe-ext, an external extension on the crates.io
 * lambda-extension crate built with build-lambda --extension into <lambda dir>/extensions/, started by invoke-lambda
 * beside the function under qemu; it prints each event and each telemetry record it receives.
 */
class ExtensionsTest {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theExtensionRegistersGetsInvokeThenShutdownAndItsTelemetrySubscriberGetsTheFunctionsLogLine() throws Exception {
        String lambda = ManagedFixtures.withExtension().toString();
        Proc p = InvokeFixtures.invoke("concurrent-fn", "--lambda-dir", lambda, "--env", "TELEMETRY_PORT=" + freePort());
        assertEquals(0, p.exit, p.toString());
        String id = Json.parse(p.out).asObject().getString("requestId", "?");
        String log = p.err;
        assertTrue(log.contains("invoke-lambda: extension probe-ext registered (external, events INVOKE, SHUTDOWN)"), log);
        int invoke = log.indexOf("probe-ext: INVOKE " + id + " deadline ");
        int shutdown = log.indexOf("probe-ext: SHUTDOWN spindown deadline ");
        assertTrue(invoke >= 0, "INVOKE for the request:\n" + log);
        assertTrue(shutdown > invoke, "SHUTDOWN after the invocation:\n" + log);
        long deadline = Long.parseLong(log.substring(shutdown).replaceAll("(?s)^probe-ext: SHUTDOWN spindown deadline (\\d+).*", "$1"));
        assertTrue(deadline > 1_577_836_800_000L, "the shutdown deadline is epoch milliseconds: " + deadline);
        // the subscriber (the crate's telemetry processor) parsed each batch and got the function's own line
        assertTrue(log.contains("probe-ext: telemetry function handling " + id), log);
        assertTrue(log.contains("probe-ext: telemetry platform.start " + id), log);
        assertTrue(log.contains("probe-ext: telemetry platform.report " + id), log);
        assertTrue(log.contains("probe-ext: telemetry platform.initStart"), log);
        assertFalse(log.contains("telemetry subscriber probe-ext answered"), "the crate refused a batch:\n" + log);
    }

    @Test
    void anInternalExtensionRegistersFromTheFunctionsProcessAndGetsInvoke() {
        String lambda = ManagedFixtures.internal().toString();
        Proc p = InvokeFixtures.invoke("internal-ext-fn", "--lambda-dir", lambda);
        assertEquals(0, p.exit, p.toString());
        String id = Json.parse(p.out).asObject().getString("requestId", "?");
        assertTrue(p.err.contains("invoke-lambda: extension internal-probe registered (internal, events INVOKE)"), p.err);
        assertTrue(p.err.contains("internal-probe: INVOKE " + id), p.err);
    }

    @Test
    void everyInvocationThroughTheGatewayGetsItsInvokeAndTheStopItsShutdown() throws Exception {
        String lambda = ManagedFixtures.withExtension().toString();
        HttpClient http = HttpClient.newHttpClient();
        List<String> ids = new ArrayList<>();
        GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda, "--env", "TELEMETRY_PORT=" + freePort(), "--timeout", "120"));
        try (g) {
            for (int n = 0; n < 2; n++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.url + "/2015-03-31/functions/concurrent-fn/invocations"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                ids.add(Json.parse(r.body()).asObject().getString("requestId", "?"));
            }
            for (String id : ids) g.waitFor(java.util.regex.Pattern.compile("probe-ext: INVOKE " + id), "INVOKE for " + id);
            assertEquals(0, g.count("probe-ext: SHUTDOWN"), "no SHUTDOWN while the function is warm:\n" + g.log());
        }
        String log = g.log();
        assertEquals(1, g.count("probe-ext: SHUTDOWN spindown"), "SHUTDOWN once, when the gateway stopped:\n" + log);
        assertTrue(log.indexOf("probe-ext: SHUTDOWN") > log.indexOf("probe-ext: INVOKE " + ids.get(1)), log);
        assertEquals(1, g.count("extension probe-ext registered"), "one extension process for the warm instance:\n" + log);
    }
}
