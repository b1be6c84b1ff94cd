import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's HTTP fronts through curl, in front of a real lambda_http function (tests/fixtures/gateway gw-http)
 * that says which front called it (lambda_http's RequestContext: ApiGatewayV2, ApiGatewayV1, Alb).
 */
class GatewayHttpTest {
    static GatewayServer gw;

    /** A curl answer: status, headers (lower-cased names, one line each), body. */
    record Answer(int status, List<String> headers, String body) {
        static Answer of(Proc p) {
            assertEquals(0, p.exit, p.toString());
            String s = p.out;
            while (s.startsWith("HTTP/1.1 100")) s = s.substring(s.indexOf("\r\n\r\n") + 4);
            int end = s.indexOf("\r\n\r\n");
            String head = s.substring(0, end);
            List<String> lines = Arrays.asList(head.split("\r\n"));
            int status = Integer.parseInt(lines.get(0).split(" ")[1]);
            return new Answer(status, lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(':')).toLowerCase() + l.substring(l.indexOf(':'))).toList(),
                    s.substring(end + 4));
        }

        String header(String name) {
            return headers.stream().filter(h -> h.startsWith(name + ":")).map(h -> h.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }

        JsonObject json() {
            return Json.parse(body).asObject();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayServer.fixtureGateway();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
    }

    @Test
    void aFunctionUrlAsCargoLambdaServesItGetsThePayload2EventAndItsAnswerBack() {
        Answer a = Answer.of(GatewayServer.curl(gw.url + "/lambda-url/gw-http/some/path?q=1&q=2", "-H", "Cookie: c1=v1; c2=v2"));
        assertEquals(200, a.status(), a.toString());
        assertEquals("application/json", a.header("content-type"), a.toString());
        assertEquals("http-api-v2", a.header("x-front"), a.toString());
        assertTrue(a.headers().contains("set-cookie: a=1; Path=/") && a.headers().contains("set-cookie: b=2"), "cookies -> Set-Cookie: " + a);
        JsonObject seen = a.json();
        assertEquals("http-api-v2", seen.getString("front", ""));
        assertEquals("/some/path", seen.getString("path", ""), "rawPath is below /lambda-url/NAME");
        assertEquals("[\"1\",\"2\"]", seen.get("query").asObject().get("q").toString());
        assertEquals("c1=v1; c2=v2", seen.get("headers").asObject().getString("cookie", ""), "cookies reach lambda_http: " + seen);
    }

    @Test
    void anHttpApiRouteMatchesPathParametersAGreedyProxyAndAPerRoutePayloadVersion() {
        Answer item = Answer.of(GatewayServer.curl(gw.url + "/items/42?b=x%20y"));
        assertEquals(200, item.status(), item.toString());
        assertEquals("{\"id\":\"42\"}", item.json().get("pathParameters").toString());
        assertEquals("[\"x y\"]", item.json().get("query").asObject().get("b").toString());
        assertTrue(item.header("apigw-requestid") != null, "HTTP API's request id header: " + item);
        Answer files = Answer.of(GatewayServer.curl("-X", "PUT", gw.url + "/files/a/b/c"));
        assertEquals("{\"proxy\":\"a/b/c\"}", files.json().get("pathParameters").toString(), files.toString());
        assertEquals("PUT", files.json().getString("method", ""));
        Answer v1 = Answer.of(GatewayServer.curl("-X", "POST", gw.url + "/v1/thing", "-d", "hello"));
        assertEquals("rest-api-v1", v1.json().getString("front", ""), "payloadFormatVersion 1.0: " + v1);
        assertEquals("hello", v1.json().getString("body", ""));
        Answer created = Answer.of(GatewayServer.curl(gw.url + "/anything/created"));
        assertEquals(201, created.status(), "$default, and the function's own status: " + created);
    }

    @Test
    void aRestApiRouteAndAnAlbRouteReachTheFunctionThatTellsTheFrontsApart() {
        Answer rest = Answer.of(GatewayServer.curl(gw.url + "/prod/rest/7?x=1&x=2"));
        assertEquals(200, rest.status(), rest.toString());
        assertEquals("rest-api-v1", rest.json().getString("front", ""));
        assertEquals("prod", rest.json().getString("stage", ""));
        assertEquals("{\"id\":\"7\"}", rest.json().get("pathParameters").toString());
        assertEquals("[\"1\",\"2\"]", rest.json().get("query").asObject().get("x").toString(), "multiValueQueryStringParameters: " + rest);
        assertTrue(rest.header("x-amzn-requestid") != null, rest.toString());
        Answer unknown = Answer.of(GatewayServer.curl(gw.url + "/prod/nothing"));
        assertEquals(403, unknown.status(), "an unknown REST resource: " + unknown);
        assertEquals("{\"message\":\"Missing Authentication Token\"}", unknown.body());
        Answer alb = Answer.of(GatewayServer.curl(gw.url + "/alb/x/y"));
        assertEquals(200, alb.status(), alb.toString());
        assertEquals("alb", alb.json().getString("front", ""));
        assertEquals("alb", alb.header("x-front"));
    }

    @Test
    void aBinaryBodyRoundTripsAsBase64() throws Exception {
        Path dir = Repo.scratch("binary");
        byte[] bytes = new byte[100_000];
        new Random(7).nextBytes(bytes);
        Files.write(dir.resolve("in.bin"), bytes);
        Proc p = Proc.run(dir, null, List.of("curl", "-sS", "--max-time", "120", "--data-binary", "@in.bin", "-H", "Content-Type: application/octet-stream",
                "-o", "out.bin", "-w", "%{http_code} %{content_type}", gw.url + "/files/up/binary"));
        assertEquals("200 application/octet-stream", p.out, p.toString());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("out.bin")), "the bytes came back as they went");
    }

    @Test
    void errorsAreTheServicesAndTheGatewayKeepsServing() throws Exception {
        Answer broken = Answer.of(GatewayServer.curl(gw.url + "/broken"));
        assertEquals(502, broken.status(), "a function error: " + broken);
        assertEquals("{\"message\":\"Internal Server Error\"}", broken.body());
        Answer noFunction = Answer.of(GatewayServer.curl(gw.url + "/lambda-url/nope/"));
        assertEquals(404, noFunction.status(), noFunction.toString());
        assertEquals("{\"message\":\"Not Found\"}", noFunction.body());
        Path big = Repo.scratch("big").resolve("big.bin");
        Files.write(big, new byte[11 * 1024 * 1024]);
        Answer tooBig = Answer.of(GatewayServer.curl("--data-binary", "@" + big, gw.url + "/items/1"));
        assertEquals(413, tooBig.status(), "a body over HTTP API's 10 MB: " + tooBig.status());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", tooBig.body());
        Files.write(big, new byte[7 * 1024 * 1024]);
        Answer overEvent = Answer.of(GatewayServer.curl("--data-binary", "@" + big, "-H", "Content-Type: application/octet-stream", gw.url + "/items/1"));
        assertEquals(413, overEvent.status(), "an event over Lambda's 6 MB: " + overEvent.status());

        URI u = URI.create(gw.url);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400", answer, "malformed HTTP is answered 400");
        }
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write("POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhalf".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the client vanishes mid-request
        }
        Answer after = Answer.of(GatewayServer.curl(gw.url + "/items/9"));
        assertEquals(200, after.status(), "still serving: " + after);
        assertEquals("{\"id\":\"9\"}", after.json().get("pathParameters").toString());
        Answer invoke = Answer.of(GatewayServer.curl("-X", "POST", "-d", "{}", gw.url + "/2015-03-31/functions/gw-ws/invocations"));
        assertEquals("Unhandled", invoke.header("x-amz-function-error"), "the Invoke API on the same port: " + invoke);
    }

    @Test
    void aRouteTableWithoutDefaultAnswersAnUnknownRoute404() throws Exception {
        Path app = Repo.scratch("app").resolve("app.json");
        Files.writeString(app, "{\"httpApi\":{\"routes\":[{\"route\":\"GET /only\",\"function\":\"gw-http\"}]}}");
        try (GatewayServer only = new GatewayServer(List.of("--lambda-dir", GatewayServer.fixture().toString(), "--app", app.toString()))) {
            Answer none = Answer.of(GatewayServer.curl(only.url + "/elsewhere"));
            assertEquals(404, none.status(), none.toString());
            assertEquals("{\"message\":\"Not Found\"}", none.body());
            assertEquals(200, Answer.of(GatewayServer.curl(only.url + "/only")).status());
            String warning = only.log().lines().filter(l -> l.contains("routes nothing to")).findFirst().orElse("");
            assertTrue(warning.contains("gw-ws") && !warning.contains("gw-http"), "an unrouted function is reported: " + only.log());
        }
        Files.writeString(app, "{\"httpApi\":{\"routes\":[{\"route\":\"GET /x\",\"function\":\"missing-fn\"}]}}");
        Proc bad = InvokeFixtures.invoke("--serve", "--port", "0", "--lambda-dir", GatewayServer.fixture().toString(), "--app", app.toString());
        assertEquals(2, bad.exit, bad.toString());
        assertTrue(bad.err.contains("routes to 'missing-fn', which is not a function here"), bad.err);
    }
}
