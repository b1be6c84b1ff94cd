import com.eclipsesource.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The streamed response's protocol without a function: the Runtime API's headers for one invocation and its
 * streaming POST (a real HTTP client posting chunks), the event stream frames checked by the AWS SDK's own decoder,
 * and the HTTP integration's prelude. The same paths run with the crates.io runtime in StreamingTest.
 */
@Tag("fast")
class StreamingProtocolTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void nextCarriesAnEpochDeadlineFromTheTimeoutARealisticArnATraceIdAndTheClientContext() throws Exception {
        try (RuntimeApi api = new RuntimeApi()) {
            long before = System.currentTimeMillis();
            RuntimeApi.Event e = RuntimeApi.Event.of("{}".getBytes(), "fn", "eu-west-1", 30_000, "{\"custom\":{\"k\":\"v\"}}");
            api.submit(e);
            HttpResponse<String> next = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api.address() + RuntimeApi.PREFIX + "invocation/next")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long after = System.currentTimeMillis();
            long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
            assertTrue(deadline >= before + 30_000 && deadline <= after + 30_000, "epoch ms, the timeout from now: " + deadline);
            assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:fn", next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElseThrow());
            assertTrue(next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow().matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"),
                    next.headers().toString());
            assertEquals("{\"custom\":{\"k\":\"v\"}}", next.headers().firstValue("Lambda-Runtime-Client-Context").orElseThrow());
            assertTrue(next.headers().firstValue("Lambda-Runtime-Cognito-Identity").isEmpty(), "none given: none sent");
            RuntimeApi.Event other = RuntimeApi.Event.of("{}".getBytes(), "fn", "eu-west-1", 30_000, null);
            assertNotEquals(e.traceId(), other.traceId(), "a trace id per invocation");
            assertEquals("on-demand", FunctionProcess.lambdaEnv("fn", java.nio.file.Path.of("/tmp"), "x", 128, java.util.Map.of())
                    .get("AWS_LAMBDA_INITIALIZATION_TYPE"));
        }
    }

    /** A streaming POST from a real HTTP client: each piece reaches the listener before the next one is written. */
    @Test
    void eachPieceOfAStreamedResponseIsHandedOnBeforeTheNextIsSent() throws Exception {
        try (RuntimeApi api = new RuntimeApi()) {
            Streamed s = post(api);
            s.chunk("{\"statusCode\":200}\0\0\0\0\0\0\0\0one");
            assertEquals("{\"statusCode\":200}\0\0\0\0\0\0\0\0one", s.until("one"), "the first piece, before the second was written");
            s.chunk("two");
            assertEquals("two", s.until("two"));
            assertEquals("HTTP/1.1 202 Accepted", s.finish());
            ResponseStream.End end = s.end.get(30, TimeUnit.SECONDS);
            assertNull(end.errorType(), end.toString());
            assertEquals(8 + 18 + 6, end.bytes());
        }
    }

    @Test
    void lambdaRuntimesInBodyErrorEndsTheStreamWithItsTypeAndMessage() throws Exception {
        try (RuntimeApi api = new RuntimeApi()) {
            Streamed s = oneSent(api);
            // lambda_runtime 1.5's ToStreamErrorTrailer, written into the body as a chunk of its own
            s.chunk("Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body: "
                    + Base64.getEncoder().encodeToString("it broke".getBytes()) + "\r\n");
            assertEquals("HTTP/1.1 202 Accepted", s.finish());
            ResponseStream.End end = s.end.get(30, TimeUnit.SECONDS);
            assertEquals("Runtime.StreamError", end.errorType());
            assertEquals("it broke", end.errorMessage());
            assertEquals(3, end.bytes(), "the error lines are not forwarded as body");
            assertTrue(s.pieces.isEmpty(), "nothing after the error: " + s.pieces);
        }
    }

    /** Real chunked trailers, as the Runtime API documents them (no crates.io runtime sends them; a hand-written client does). */
    @Test
    void realTrailersEndTheStreamAsARuntimeStreamErrorAndTheApiKeepsServingStandIn() throws Exception {
        try (RuntimeApi api = new RuntimeApi()) {
            Streamed s = oneSent(api);
            var out = s.socket().getOutputStream();
            out.write(("0\r\nLambda-Runtime-Function-Error-Type: Custom.Broke\r\nLambda-Runtime-Function-Error-Body: "
                    + Base64.getEncoder().encodeToString("it broke".getBytes()) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ResponseStream.End end = s.end.get(30, TimeUnit.SECONDS);
            assertEquals("Runtime.StreamError", end.errorType(), "the JDK server cannot read trailers: the stream is reported broken");
            assertEquals(3, end.bytes());
            s.socket().close();
            RuntimeApi.Event next = RuntimeApi.Event.of("{\"n\":2}".getBytes(), "fn", 30_000);
            api.submit(next);
            HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api.address() + RuntimeApi.PREFIX + "invocation/next")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(next.requestId(), again.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElse(""), "the next invocation is served");
        }
    }

    @Test
    void aStreamOverLambdasLimitEndsWithResponseSizeTooLargeAfterWhatFitted() throws Exception {
        assertEquals(209_715_200L, ResponseStream.MAX_BYTES, "Lambda's 200 MB for a streamed response");
        // the same path with a 1 MB limit: 3 MB offered in 64 KB reads
        ResponseStream s = new ResponseStream("application/octet-stream", 1024 * 1024);
        CompletableFuture<ResponseStream.End> read = CompletableFuture.supplyAsync(() -> s.readFrom(new java.io.ByteArrayInputStream(new byte[3 * 1024 * 1024])));
        long[] got = {0};
        ResponseStream.End end = s.pump(new ResponseStream.Listener() {
            public void start(String contentType) {}

            public void chunk(byte[] bytes) {
                got[0] += bytes.length;
            }
        }, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        assertEquals("Function.ResponseSizeTooLarge", end.errorType(), end.toString());
        assertEquals(1024 * 1024, got[0], "everything up to the limit was forwarded, nothing beyond");
        assertEquals(end, read.get(30, TimeUnit.SECONDS));
    }

    @Test
    void eventStreamFramesDecodeWithTheAwsSdkDecoderAndTheirCrcsAreChecked() {
        byte[] chunk = EventStream.payloadChunk("chunk 1\n".getBytes());
        byte[] done = EventStream.invokeComplete(null, null);
        byte[] failed = EventStream.invokeComplete("Runtime.StreamError", "it broke");
        MessageDecoder d = new MessageDecoder();
        d.feed(chunk);
        d.feed(done);
        d.feed(failed);
        List<Message> m = d.getDecodedMessages();
        assertEquals(3, m.size());
        assertEquals("PayloadChunk", m.get(0).getHeaders().get(":event-type").getString());
        assertEquals("event", m.get(0).getHeaders().get(":message-type").getString());
        assertEquals("application/octet-stream", m.get(0).getHeaders().get(":content-type").getString());
        assertEquals("chunk 1\n", new String(m.get(0).getPayload()));
        assertEquals("InvokeComplete", m.get(1).getHeaders().get(":event-type").getString());
        assertEquals("{}", new String(m.get(1).getPayload()));
        var error = Json.parse(new String(m.get(2).getPayload())).asObject();
        assertEquals("Runtime.StreamError", error.getString("ErrorCode", ""));
        assertEquals("it broke", error.getString("ErrorDetails", ""));
        byte[] bad = chunk.clone();
        bad[bad.length - 6] ^= 1;
        assertThrows(RuntimeException.class, () -> new MessageDecoder().feed(bad), "a payload that does not match its CRC");
    }

    @Test
    void theHttpPreludeGivesStatusHeadersAndCookiesAndTheRestIsTheBody() {
        byte[] whole = "{\"statusCode\":201,\"headers\":{\"content-type\":\"text/plain\"},\"cookies\":[\"a=1\",\"b=2\"]}\0\0\0\0\0\0\0\0hello\0x"
                .getBytes(StandardCharsets.UTF_8);
        GatewayRequest.Reply r = HttpPrelude.reply(whole);
        assertNotNull(r);
        assertEquals(201, r.status());
        assertEquals(List.of(java.util.Map.entry("content-type", "text/plain"), java.util.Map.entry("Set-Cookie", "a=1"),
                java.util.Map.entry("Set-Cookie", "b=2")), r.headers());
        assertEquals("hello\0x", new String(r.body(), StandardCharsets.UTF_8));
        assertNull(HttpPrelude.reply("{\"statusCode\":200,\"body\":\"x\"}".getBytes()), "a buffered answer has no prelude");
    }

    /** A streaming POST in flight: what the client writes (chunk by chunk), what the listener got (pieces), how it ended. */
    record Streamed(java.net.Socket socket, BlockingQueue<String> pieces, CompletableFuture<ResponseStream.End> end) {
        /** Writes one HTTP/1.1 chunk and flushes it. */
        void chunk(String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            var out = socket.getOutputStream();
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The last chunk; then the Runtime API's status line. */
        String finish() throws IOException {
            socket.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            socket.close();
            return status;
        }

        /** The pieces received until one ends with text (fails after 30 s). */
        String until(String text) throws InterruptedException {
            StringBuilder sb = new StringBuilder();
            while (!sb.toString().endsWith(text)) {
                String p = pieces.poll(30, TimeUnit.SECONDS);
                assertNotNull(p, "no piece ending with " + text + " came; so far: " + sb);
                sb.append(p);
            }
            return sb.toString();
        }
    }

    /** Starts a streaming POST as lambda_runtime sends it (chunked, the streaming mode header, the Trailer names). */
    /** A stream whose first piece, "one", has reached the listener. */
    private static Streamed oneSent(RuntimeApi api) throws Exception {
        Streamed s = post(api);
        s.chunk("one");
        s.until("one");
        return s;
    }

    private static Streamed post(RuntimeApi api) throws Exception {
        RuntimeApi.Event e = RuntimeApi.Event.of("{}".getBytes(), "fn", 30_000);
        CompletableFuture<RuntimeApi.Result> result = api.submit(e);
        HTTP.send(HttpRequest.newBuilder(URI.create("http://" + api.address() + RuntimeApi.PREFIX + "invocation/next")).build(),
                HttpResponse.BodyHandlers.discarding());
        String[] hp = api.address().split(":");
        java.net.Socket socket = new java.net.Socket(hp[0], Integer.parseInt(hp[1]));
        socket.getOutputStream().write(("POST " + RuntimeApi.PREFIX + "invocation/" + e.requestId() + "/response HTTP/1.1\r\n"
                + "Host: " + api.address() + "\r\nTransfer-Encoding: chunked\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n"
                + "Trailer: Lambda-Runtime-Function-Error-Type\r\nTrailer: Lambda-Runtime-Function-Error-Body\r\n"
                + "Content-Type: " + ResponseStream.HTTP_INTEGRATION + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        RuntimeApi.Result r = result.get(30, TimeUnit.SECONDS);
        assertInstanceOf(RuntimeApi.Streamed.class, r);
        ResponseStream stream = ((RuntimeApi.Streamed) r).stream();
        assertEquals(ResponseStream.HTTP_INTEGRATION, stream.contentType());
        BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
        java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor();
        CompletableFuture<ResponseStream.End> end = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.pump(new ResponseStream.Listener() {
                    public void start(String contentType) {}

                    public void chunk(byte[] bytes) {
                        pieces.add(new String(bytes, StandardCharsets.UTF_8));
                    }
                }, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        }, own);
        own.shutdown();
        return new Streamed(socket, pieces, end);
    }
}
