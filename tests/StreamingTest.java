import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Streamed responses for real: tests/fixtures/real-runtime's stream-http (lambda_http's run_with_streaming_response,
 * three chunks 1.5 s apart, each logged just before it is sent) under qemu. Each test asserts an order of events: the
 * client holds chunk 1 while the function has not yet logged chunk 3.
 */
class StreamingTest {
    static final String CHUNK_3 = "stream-http: sending chunk 3";

    /** A payload 2.0 event for path (lambda_http reads rawPath). */
    static String event(String path) throws Exception {
        JsonObject e = Json.parse(Files.readString(Repo.ROOT.resolve("events/backend-http.json"))).asObject();
        e.set("rawPath", path);
        e.get("requestContext").asObject().get("http").asObject().set("path", path);
        return e.toString();
    }

    @Test
    void aFunctionUrlSendsEachChunkToTheClientAsTheFunctionSendsIt() throws Exception {
        Path lambda = InvokeFixtures.realRuntime();
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda.toString()))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(g.url + "/lambda-url/stream-http/")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(201, r.statusCode(), "the prelude's status");
            assertEquals("text/plain", r.headers().firstValue("content-type").orElse(""));
            assertEquals("yes", r.headers().firstValue("x-stream").orElse(""));
            assertEquals(List.of("flavour=streamed"), r.headers().allValues("set-cookie"), "the prelude's cookies");
            assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
            try (BufferedReader body = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                assertEquals("chunk 1", body.readLine());
                assertFalse(g.log().contains(CHUNK_3), "the client has chunk 1 before the function sent chunk 3:\n" + g.log());
                assertEquals("chunk 2", body.readLine());
                assertEquals("chunk 3", body.readLine());
                assertNull(body.readLine());
            }
            assertTrue(g.log().contains(CHUNK_3), g.log());

            // failing midway: chunk 1 arrives, then the response is cut off (curl: the transfer ends early)
            Proc curl = Proc.run(Repo.ROOT, null, List.of("curl", "-sS", "-N", "--max-time", "120", g.url + "/lambda-url/stream-http/fail"));
            assertEquals("chunk 1\n", curl.out, curl.toString());
            assertNotEquals(0, curl.exit, "the client sees the stream break: " + curl);
            g.waitFor(java.util.regex.Pattern.compile("stream-http: the response stream failed after \\d+ bytes: Runtime.StreamError: "
                    + "the stream broke after chunk 1"), "the failure logged");
        }
    }

    @Test
    void invokeWithResponseStreamSendsPayloadChunksAsTheyComeAndTheSdkDecoderReadsThem() throws Exception {
        Path lambda = InvokeFixtures.realRuntime();
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda.toString()))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(g.url + "/2021-11-15/functions/stream-http/response-streaming-invocations");
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(event("/"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals("application/vnd.amazon.eventstream", r.headers().firstValue("content-type").orElse(""));
            assertEquals("$LATEST", r.headers().firstValue("x-amz-executed-version").orElse(""));
            List<Message> messages = new ArrayList<>(), all = new ArrayList<>();
            MessageDecoder decoder = new MessageDecoder(messages::add);
            StringBuilder payload = new StringBuilder();
            boolean sawChunk1 = false;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    decoder.feed(buf, 0, n);
                    for (Message m : messages) {
                        all.add(m);
                        if (m.getHeaders().get(":event-type").getString().equals("PayloadChunk")) payload.append(new String(m.getPayload(), StandardCharsets.UTF_8));
                    }
                    messages.clear();
                    if (!sawChunk1 && payload.toString().contains("chunk 1\n")) {
                        sawChunk1 = true;
                        assertFalse(g.log().contains(CHUNK_3), "the SDK decoder has chunk 1 before the function sent chunk 3:\n" + g.log());
                    }
                }
            }
            assertTrue(sawChunk1, payload.toString());
            String p = payload.toString();
            int nul = p.indexOf("\0\0\0\0\0\0\0\0");
            assertTrue(nul > 0, "the HTTP integration's prelude and its 8 NULs reach the SDK caller, as the service passes them: " + p);
            JsonObject prelude = Json.parse(p.substring(0, nul)).asObject();
            assertEquals(201, prelude.getInt("statusCode", 0), p);
            assertEquals("chunk 1\nchunk 2\nchunk 3\n", p.substring(nul + 8));
            Message last = all.get(all.size() - 1);
            assertEquals("InvokeComplete", last.getHeaders().get(":event-type").getString());
            assertEquals("{}", new String(last.getPayload(), StandardCharsets.UTF_8), "a stream that completed: no ErrorCode");
            assertEquals("event", last.getHeaders().get(":message-type").getString());

            HttpResponse<byte[]> failed = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(event("/fail"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, failed.statusCode(), "the service answers 200 and reports the error in InvokeComplete");
            MessageDecoder d = new MessageDecoder();
            d.feed(failed.body());
            List<Message> fm = d.getDecodedMessages();
            Message end = fm.get(fm.size() - 1);
            assertEquals("InvokeComplete", end.getHeaders().get(":event-type").getString());
            JsonObject error = Json.parse(new String(end.getPayload(), StandardCharsets.UTF_8)).asObject();
            assertEquals("Runtime.StreamError", error.getString("ErrorCode", ""), error.toString());
            assertEquals("the stream broke after chunk 1", error.getString("ErrorDetails", ""), error.toString());
            StringBuilder sent = new StringBuilder();
            for (Message m : fm.subList(0, fm.size() - 1)) sent.append(new String(m.getPayload(), StandardCharsets.UTF_8));
            assertTrue(sent.toString().endsWith("chunk 1\n"), "chunk 1 and nothing after it: " + sent);

            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(g.url + "/2021-11-15/functions/nope/response-streaming-invocations"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode(), "refused before any stream, as Invoke refuses it");
            assertEquals("ResourceNotFoundException", Json.parse(unknown.body()).asObject().getString("errorType", ""), unknown.body());
        }
    }

    /** API Gateway's HTTP APIs do not stream: the route's answer comes whole, after the function sent its last chunk. */
    @Test
    void anHttpApiRouteAnswersTheCollectedStreamOnceItEndsAsTheServiceDoes() throws Exception {
        Path lambda = InvokeFixtures.realRuntime();
        Path app = Repo.scratch("streaming-app").resolve("app.json");
        Files.writeString(app, "{\"httpApi\":{\"routes\":[{\"route\":\"GET /stream\",\"function\":\"stream-http\"}]}}");
        try (GatewayServer g = new GatewayServer(List.of("--lambda-dir", lambda.toString(), "--app", app.toString()))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.url + "/stream")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(g.log().contains(CHUNK_3), "nothing reached the client before the last chunk was sent");
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("chunk 1\nchunk 2\nchunk 3\n", r.body());
            assertEquals(List.of("flavour=streamed"), r.headers().allValues("set-cookie"));
            assertEquals(String.valueOf(r.body().length()), r.headers().firstValue("content-length").orElse(""), "a buffered answer");
            assertTrue(r.headers().firstValue("apigw-requestid").isPresent(), r.headers().toString());
        }
    }

    @Test
    void theCliPrintsEachChunkAsItComes() throws Exception {
        Path lambda = InvokeFixtures.realRuntime();
        Path dir = Repo.scratch("streaming-cli");
        Path ev = dir.resolve("event.json"), err = dir.resolve("stderr.log");
        Files.writeString(ev, event("/"));
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("jbang").toString(), "invoke-lambda@.", "stream-http", "--lambda-dir", lambda.toString(),
                "--event", ev.toString()).directory(Repo.ROOT.toFile()).redirectError(err.toFile());
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        try (InputStream out = p.getInputStream()) {
            StringBuilder got = new StringBuilder();
            boolean checked = false;
            for (int c; (c = out.read()) >= 0; ) {
                got.append((char) c);
                if (!checked && got.toString().endsWith("chunk 1\n")) {
                    checked = true;
                    assertFalse(Files.readString(err).contains(CHUNK_3), "stdout has chunk 1 before the function sent chunk 3:\n" + Files.readString(err));
                }
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(err));
            assertTrue(checked, got.toString());
            assertTrue(got.toString().endsWith("\0\0\0\0\0\0\0\0chunk 1\nchunk 2\nchunk 3\n"), "byte for byte, its prelude first: " + got);
            assertTrue(Files.readString(err).contains(CHUNK_3));
            assertTrue(InvokeLambdaTest.REPORT.matcher(Files.readString(err)).find(), Files.readString(err));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        Files.writeString(ev, event("/fail"));
        Proc failed = InvokeFixtures.invoke("stream-http", "--lambda-dir", lambda.toString(), "--event", ev.toString());
        assertEquals(1, failed.exit, failed.toString());
        assertTrue(failed.out.endsWith("\0\0\0\0\0\0\0\0chunk 1\n"), "what was streamed, and not the error lines: " + failed.out);
        assertTrue(failed.err.contains("invoke-lambda: stream-http: the response stream failed after " + failed.out.getBytes(StandardCharsets.UTF_8).length
                + " bytes: Runtime.StreamError: the stream broke after chunk 1"), failed.err);
    }
}
