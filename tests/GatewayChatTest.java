import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The example's chat for real: `invoke-lambda --serve --local-aws` over the shared ExampleBuild (lambda_runtime,
 * lambda_http, the AWS SDK, under qemu), moto's server holding the Connections table, two real WebSocket clients.
 * $connect stores each id (backend counts them through the HTTP API route), sendmessage reaches both through
 * ws-broadcast's PostToConnection on the gateway's @connections API, $disconnect removes a closed one, a nameless
 * connect is refused with ws-connect's status; afterwards no gateway, moto or function process is left.
 */
class GatewayChatTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The gateway over the example with the local AWS; the caller closes it. */
    static GatewayServer chatGateway() throws Exception {
        assertEquals(0, ExampleBuild.get().exit, ExampleBuild.get().toString());
        return new GatewayServer(List.of("--local-aws", "--app", "examples/app.json", "--lambda-dir", ExampleBuild.LAMBDA.toString()));
    }

    /** The pid of the gateway's moto server (from the port it logged). */
    static long motoPid(GatewayServer gw) throws Exception {
        String port = gw.waitFor(Pattern.compile("local AWS \\(moto\\) on http://127\\.0\\.0\\.1:(\\d+)"), "the local AWS").group(1);
        return gw.process.descendants().filter(h -> h.info().commandLine().orElse("").contains("moto.server -H 127.0.0.1 -p " + port))
                .map(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no moto server among the gateway's processes"));
    }

    static String count(GatewayServer gw) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gw.url + "/connections/count")).timeout(java.time.Duration.ofSeconds(300)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** A's messages until both the broadcast and ws-broadcast's own answer (sent/gone) came, in whatever order. */
    static JsonObject[] messageAndAnswer(WsClient c) throws Exception {
        JsonObject message = null, answer = null;
        while (message == null || answer == null) {
            JsonObject m = Json.parse(c.next()).asObject();
            if ("message".equals(m.getString("type", ""))) message = m;
            else if (m.get("sent") != null) answer = m;
            else fail("unexpected message " + m);
        }
        return new JsonObject[] {message, answer};
    }

    @Test
    void twoClientsChatThroughTheFunctionsAndTheLocalAwsAndAClosedOneIsSkipped() throws Exception {
        GatewayServer gw = chatGateway();
        long moto;
        List<ProcessHandle> started = new ArrayList<>();
        try {
            moto = motoPid(gw);
            String ws = gw.url.replace("http:", "ws:") + "/dev";
            WsClient a = WsClient.connect(ws + "?name=A");
            WsClient b = WsClient.connect(ws + "?name=B");
            assertEquals("{\"connections\":2}", count(gw), "both ids stored by ws-connect");

            a.send("{\"action\":\"sendmessage\",\"data\":\"hi\"}");
            JsonObject[] first = messageAndAnswer(a);
            assertEquals("hi", first[0].getString("data", ""), first[0].toString());
            assertEquals("A", first[0].getString("from", ""), first[0].toString());
            assertEquals(2, first[1].getInt("sent", -1), "ws-broadcast's answer to the sender: " + first[1]);
            JsonObject atB = Json.parse(b.next()).asObject();
            assertEquals("message", atB.getString("type", ""), atB.toString());
            assertEquals("hi", atB.getString("data", ""), atB.toString());
            assertEquals("A", atB.getString("from", ""), atB.toString());

            b.socket.sendClose(1000, "bye").join();
            assertEquals(1000, b.closed.get(120, TimeUnit.SECONDS));
            String after = count(gw);
            for (int i = 0; i < 600 && !after.equals("{\"connections\":1}"); i++) {
                Thread.sleep(500);
                after = count(gw);
            }
            assertEquals("{\"connections\":1}", after, "ws-disconnect removed B");

            a.send("{\"action\":\"sendmessage\",\"data\":\"second\"}");
            JsonObject[] second = messageAndAnswer(a);
            assertEquals("second", second[0].getString("data", ""));
            assertEquals(1, second[1].getInt("sent", -1), "the broadcast after B left reaches A only: " + second[1]);
            assertEquals(0, second[1].getInt("gone", -1), "B's id was removed, not met as gone: " + second[1]);
            assertTrue(b.messages.isEmpty(), "B got something after it closed: " + b.messages);

            CompletionException e = assertThrows(CompletionException.class, () -> WsClient.connect(ws));
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause(), e.toString());
            assertEquals(400, h.getResponse().statusCode(), "ws-connect's 400 refuses the handshake");
            assertEquals("{\"connections\":1}", count(gw), "a refused connect stores nothing");
            a.socket.sendClose(1000, "done").join();
            a.closed.get(120, TimeUnit.SECONDS);
            started.addAll(gw.process.descendants().toList());
        } finally {
            gw.close();
        }
        assertFalse(gw.process.isAlive(), "the gateway is still running");
        assertFalse(ProcessHandle.of(moto).map(ProcessHandle::isAlive).orElse(false), "moto's server " + moto + " is still running");
        assertTrue(started.stream().anyMatch(p -> p.pid() == moto), "moto was among the gateway's processes");
        assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(),
                "processes left after the gateway stopped");
    }
}
