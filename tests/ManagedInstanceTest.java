import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * --concurrency N: a function as on Lambda Managed Instances, for real: lambda_runtime's run_concurrent
 * (tests/fixtures/managed/concurrent-fn) under qemu, one process serving N invocations at once.
 */
class ManagedInstanceTest {
    private static final Pattern HANDLING = Pattern.compile("(?m)^handling ([0-9a-f-]{36})$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static CompletableFuture<HttpResponse<String>> invoke(GatewayServer g, String function, String event) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(g.url + "/2015-03-31/functions/" + function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fourInvocationsAreInFlightAtOnceInOneProcessEachAnswerMatchedToItsRequest() throws Exception {
        String lambda = ManagedFixtures.lambda().toString();
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda, "--concurrency", "4", "--timeout", "120"))) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int n = 0; n < 4; n++) calls.add(invoke(g, "concurrent-fn", "{\"n\":" + n + ",\"sleep_ms\":2000}"));
            Set<String> ids = new HashSet<>(), pids = new HashSet<>();
            for (int n = 0; n < 4; n++) {
                HttpResponse<String> r = calls.get(n).get();
                assertEquals(200, r.statusCode(), r.body());
                JsonObject o = Json.parse(r.body()).asObject();
                assertEquals(n, o.getInt("n", -1), "each answer goes to the caller of its own request: " + r.body());
                ids.add(o.getString("requestId", ""));
                pids.add(Long.toString(o.getLong("pid", -1)));
                assertEquals("4", o.getString("maxConcurrency", ""), r.body());
                assertEquals("lambda-managed-instances", o.getString("initializationType", ""), r.body());
                // the deadline the runtime read is epoch milliseconds (after 2020), from the real --timeout
                assertTrue(o.getLong("deadlineMs", 0) > 1_577_836_800_000L, r.body());
                assertTrue(o.getString("traceId", "").startsWith("Root=1-"), r.body());
            }
            assertEquals(4, ids.size(), "four request ids: " + ids);
            assertEquals(1, pids.size(), "one process served them all: " + pids);
            String log = g.log();
            // The order of events: all four /next answers reached their handlers before the first response came back.
            int firstReport = log.indexOf("REPORT RequestId: ");
            assertTrue(firstReport > 0, log);
            Matcher m = HANDLING.matcher(log.substring(0, firstReport));
            Set<String> before = new HashSet<>();
            while (m.find()) before.add(m.group(1));
            assertEquals(ids, before, "every invocation was handed out before any response:\n" + log);
            for (String id : ids) assertTrue(log.contains("REPORT RequestId: " + id + "\t"), "a REPORT for " + id + ":\n" + log);

            // A fifth invoke while four are in flight is refused as Lambda Managed Instances refuse it: 429, not queued.
            calls.clear();
            for (int n = 0; n < 4; n++) calls.add(invoke(g, "concurrent-fn", "{\"n\":" + (10 + n) + ",\"sleep_ms\":8000}"));
            for (int i = 0; i < 3000 && g.count("handling ") < 8; i++) Thread.sleep(100);
            assertEquals(8, g.count("handling "), g.log());
            HttpResponse<String> fifth = invoke(g, "concurrent-fn", "{\"n\":99}").get();
            assertEquals(429, fifth.statusCode(), fifth.body());
            assertEquals("TooManyRequestsException", fifth.headers().firstValue("X-Amzn-ErrorType").orElse(""), fifth.headers().toString());
            assertEquals("ConcurrentInvocationLimitExceeded", Json.parse(fifth.body()).asObject().getString("Reason", ""), fifth.body());
            for (var c : calls) assertEquals(200, c.get().statusCode(), "the four in flight still answer");
            assertEquals(0, g.count("\"n\":99") + g.count("n: 99"), "the refused event never reached the function");
        }
    }

    @Test
    void anInvocationPastItsTimeoutIsReportedAndNotStopped() throws Exception {
        String lambda = ManagedFixtures.lambda().toString();
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda, "--concurrency", "2", "--timeout", "6"))) {
            HttpResponse<String> quick = invoke(g, "concurrent-fn", "{\"n\":0}").get();
            assertEquals(200, quick.statusCode(), quick.body());
            long pid = Json.parse(quick.body()).asObject().getLong("pid", -1);
            HttpResponse<String> slow = invoke(g, "concurrent-fn", "{\"n\":1,\"sleep_ms\":15000}").get();
            assertEquals(200, slow.statusCode(), slow.body());
            assertEquals("Unhandled", slow.headers().firstValue("X-Amz-Function-Error").orElse(""), slow.headers().toString());
            assertEquals("Sandbox.Timedout", Json.parse(slow.body()).asObject().getString("errorType", ""), slow.body());
            Matcher started = HANDLING.matcher(g.log());
            assertTrue(started.find() && started.find(), g.log());
            String id = started.group(1);
            assertTrue(g.log().contains("runs on in the process"), g.log());
            assertFalse(g.log().contains("done " + id), "the timeout came before the function finished:\n" + g.log());
            // not stopped: the same process finishes it later, and answers the next invoke
            g.waitFor(Pattern.compile("(?m)^done " + id + "$"), "the timed-out invocation finishing");
            HttpResponse<String> next = invoke(g, "concurrent-fn", "{\"n\":2}").get();
            assertEquals(200, next.statusCode(), next.body());
            assertEquals(pid, Json.parse(next.body()).asObject().getLong("pid", -2), "the same process, not a new one: " + next.body());
        }
    }

    @Test
    void theCliRunsTheFunctionAsAManagedInstanceOnlyWhenAsked() {
        String lambda = ManagedFixtures.lambda().toString();
        Proc managed = InvokeFixtures.invoke("concurrent-fn", "--lambda-dir", lambda, "--concurrency", "3");
        assertEquals(0, managed.exit, managed.toString());
        JsonObject o = Json.parse(managed.out).asObject();
        assertEquals("3", o.getString("maxConcurrency", ""), managed.out);
        assertEquals("lambda-managed-instances", o.getString("initializationType", ""), managed.out);
        Proc onDemand = InvokeFixtures.invoke("concurrent-fn", "--lambda-dir", lambda);
        assertEquals(0, onDemand.exit, onDemand.toString());
        JsonObject d = Json.parse(onDemand.out).asObject();
        assertTrue(d.get("maxConcurrency").isNull(), "on-demand stays the default: " + onDemand.out);
        assertEquals("on-demand", d.getString("initializationType", ""), onDemand.out);
    }
}

@Tag("fast")
class ManagedInstanceOptionsTest {
    @Test
    void aConcurrencyBelowOneIsAUsageError() {
        var err = new java.io.StringWriter();
        var cl = Cli.commandLine(new InvokeLambda());
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute("some-fn", "--concurrency", "0", "--lambda-dir", ".");
        assertEquals(ExitCode.USAGE.code, code, err.toString());
        assertTrue(err.toString().contains("--concurrency is at least 1"), err.toString());
    }
}
