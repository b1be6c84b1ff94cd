import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What lambda_runtime 1.5 makes of the Runtime API's headers, for real under qemu: tests/fixtures/real-runtime's
 * headers-rt answers with its Context (deadline, ARN, trace id, client context) and the environment it runs with.
 */
class RuntimeContextTest {
    @Test
    void eachInvocationGetsAnEpochDeadlineARealisticArnItsOwnTraceIdAndTheCallersClientContext() throws Exception {
        var lambda = InvokeFixtures.realRuntime();
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda.toString(), "--timeout", "20"))) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(g.url + "/2015-03-31/functions/headers-rt/invocations");
            String context = Base64.getEncoder().encodeToString("{\"custom\":{\"k\":\"v\"}}".getBytes());
            long before = System.currentTimeMillis();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).header("X-Amz-Client-Context", context)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            long after = System.currentTimeMillis();
            assertEquals(200, first.statusCode(), first.body());
            JsonObject a = Json.parse(first.body()).asObject();
            long deadline = a.get("deadline").asLong();
            assertTrue(deadline >= before + 20_000 && deadline <= after + 20_000, "epoch ms, --timeout from the invoke: " + deadline);
            assertEquals("arn:aws:lambda:us-east-1:123456789012:function:headers-rt", a.getString("arn", ""));
            String trace = a.getString("traceId", "");
            assertTrue(trace.matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"), trace);
            assertEquals(trace, a.getString("traceEnv", ""), "lambda_runtime sets _X_AMZN_TRACE_ID from Lambda-Runtime-Trace-Id");
            assertEquals("v", a.get("clientCustom").asObject().getString("k", ""), a.toString());
            assertEquals("on-demand", a.getString("initType", ""));

            HttpResponse<String> second = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject b = Json.parse(second.body()).asObject();
            assertNotEquals(trace, b.getString("traceId", ""), "a trace id per invocation");
            assertNotEquals(a.getString("requestId", ""), b.getString("requestId", ""));
            assertTrue(b.get("clientCustom").isNull(), "no client context given: none sent: " + b);

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri).header("X-Amz-Client-Context", "not base64!")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("InvalidRequestContentException", Json.parse(bad.body()).asObject().getString("errorType", ""), bad.body());
        }
    }
}
