import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
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
class GatewayHttpTest extends FixtureGatewayTests {

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
        assertEquals(500, broken.status(), "a function error on an HTTP API route: 500, as the service answers it: " + broken);
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
        Path overAlb = Repo.scratch("big-alb").resolve("alb.bin");
        Files.write(overAlb, new byte[1024 * 1024 + 1]);
        Answer albTooBig = Answer.of(GatewayServer.curl("--data-binary", "@" + overAlb, gw.url + "/alb/x/y"));
        assertEquals(413, albTooBig.status(), "a body over ALB's 1 MB for a Lambda target: " + albTooBig.status());
        assertTrue(albTooBig.body().contains("413 Request Entity Too Large"), albTooBig.body());

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

/**
 * The gateway's event builders against aws_lambda_events' own fixtures (tests/fixtures/gateway/events, from the crate
 * 1.2.1): the same request built by HttpApiEvent, RestApiEvent and AlbEvent has the fixture's keys, recursively, and
 * its deterministic values. Keys the gateway leaves out on purpose are asserted absent, one by one.
 */
class GatewayEventFixtureTest {
    static JsonObject fixture(String name) throws Exception {
        return Json.parse(Files.readString(Path.of("tests/fixtures/gateway/events", name))).asObject();
    }

    /** Every key path of a JSON object: "requestContext.http.method", ... (array elements are not descended). */
    static java.util.SortedSet<String> keys(JsonObject o, String prefix) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (JsonObject.Member m : o) {
            out.add(prefix + m.getName());
            if (m.getValue().isObject()) out.addAll(keys(m.getValue().asObject(), prefix + m.getName() + "."));
        }
        return out;
    }

    static java.util.SortedSet<String> minus(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.SortedSet<String> d = new java.util.TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    static java.util.Set<String> under(java.util.Set<String> all, String... prefixes) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String k : all) for (String p : prefixes) if (k.equals(p) || k.startsWith(p + ".")) out.add(k);
        return out;
    }

    static GatewayRequest request(String method, String path, String query, List<java.util.Map.Entry<String, String>> headers, String body) {
        // As Gateway.read makes one: the client's headers and then the ones the service adds (X-Amzn-Trace-Id, X-Forwarded-*).
        return new GatewayRequest(method, path, query, GatewayRequest.withForwarding(headers, "1.2.3.4", 443, 1587481701067L),
                body.getBytes(StandardCharsets.UTF_8), "1.2.3.4", "HTTP/1.1", 1587481701067L);
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void httpApiPayload2MatchesTheCratesFixture() throws Exception {
        JsonObject f = fixture("example-apigw-v2-request-no-authorizer.json");
        List<java.util.Map.Entry<String, String>> headers = List.of(java.util.Map.entry("Accept", "*/*"), java.util.Map.entry("Content-Length", "0"),
                java.util.Map.entry("Host", "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com"), java.util.Map.entry("User-Agent", "curl/7.58.0"));
        JsonObject e = HttpApiEvent.event(request("GET", "/", "", headers, ""), "$default", "/", java.util.Map.of(), "$default", "LV7fzho-PHcEJPw=", false);
        // Absent on purpose: no client certificate (mTLS) locally; x-amzn-trace-id/x-forwarded-* are headers, compared below.
        assertEquals(minus(keys(f, ""), under(keys(f, ""), "requestContext.authentication")), keys(e, ""), "payload 2.0 keys");
        for (String k : List.of("version", "routeKey", "rawPath", "rawQueryString")) assertEquals(f.get(k), e.get(k), k);
        assertEquals(f.get("isBase64Encoded"), e.get("isBase64Encoded"));
        JsonObject fh = f.get("requestContext").asObject().get("http").asObject(), eh = e.get("requestContext").asObject().get("http").asObject();
        for (String k : List.of("method", "path", "protocol", "sourceIp", "userAgent")) assertEquals(fh.get(k), eh.get(k), "requestContext.http." + k);
        for (String k : List.of("routeKey", "stage", "time", "timeEpoch", "domainName", "domainPrefix", "requestId"))
            assertEquals(f.get("requestContext").asObject().get(k), e.get("requestContext").asObject().get(k), "requestContext." + k);
        for (String k : List.of("accept", "content-length", "host", "user-agent")) assertEquals(f.get("headers").asObject().get(k), e.get("headers").asObject().get(k), k);
        assertEquals(f.get("headers").asObject().get("x-forwarded-for"), e.get("headers").asObject().get("x-forwarded-for"), "the client's address");
        assertTrue(e.get("headers").asObject().getString("x-amzn-trace-id", "").matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}"), e.toString());
        // The service's port and scheme are 443/https; the gateway's are its own port and http.
        assertEquals("http", e.get("headers").asObject().getString("x-forwarded-proto", ""));
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void payload2JoinsRepeatedHeadersAndQueryValuesAndListsCookies() throws Exception {
        JsonObject f = fixture("example-apigw-v2-request-multi-value-parameters.json");
        List<java.util.Map.Entry<String, String>> headers = List.of(java.util.Map.entry("Header2", "value1"), java.util.Map.entry("Header2", "value2"),
                java.util.Map.entry("Cookie", "cookie1; cookie2"));
        JsonObject e = HttpApiEvent.event(request("GET", "/my/path", "Parameter1=value1&Parameter1=value2", headers, ""), "$default", "/my/path",
                java.util.Map.of("proxy", "hello/world"), "$default", "id", false);
        assertEquals(f.get("rawQueryString"), e.get("rawQueryString"));
        assertEquals(f.get("cookies"), e.get("cookies"), "each Cookie pair an element, and no cookie header");
        assertEquals(f.get("queryStringParameters"), e.get("queryStringParameters"), "repeated query values comma-joined");
        assertEquals(f.get("pathParameters"), e.get("pathParameters"));
        // The fixture keeps "Header2" as written; the service lower-cases every header name ("Working with AWS Lambda
        // proxy integrations for HTTP APIs": "All headers are lowercase"), and so does the gateway.
        assertEquals("value1,value2", f.get("headers").asObject().getString("Header2", null));
        assertEquals("value1,value2", e.get("headers").asObject().getString("header2", null));
        assertEquals(null, e.get("headers").asObject().get("cookie"), "cookies go to cookies, not headers");
        assertEquals(null, e.get("multiValueHeaders"), "payload 2.0 has no multiValueHeaders");
        assertEquals(null, e.get("multiValueQueryStringParameters"));
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void restApiPayload1MatchesTheCratesFixture() throws Exception {
        JsonObject f = fixture("example-apigw-request.json");
        List<java.util.Map.Entry<String, String>> headers = List.of(java.util.Map.entry("Accept", "*/*"), java.util.Map.entry("Content-Type", "application/json"),
                java.util.Map.entry("Host", "gy415nuibc.execute-api.us-east-1.amazonaws.com"), java.util.Map.entry("User-Agent", "PostmanRuntime/2.4.5"));
        JsonObject e = RestApiEvent.event(request("POST", "/testStage/hello/world", "name=me", headers, f.getString("body", "")), "/{proxy+}", "/hello/world",
                java.util.Map.of("proxy", "hello/world"), "testStage", "deef4878-7910-11e6-8f14-25afc3e9ae33", false);
        java.util.Set<String> fk = keys(f, ""), ek = keys(e, "");
        // Not in the gateway: an authorizer's context, API keys, and stage variables' contents (stageVariables is null).
        java.util.Set<String> notLocal = under(fk, "requestContext.authorizer", "requestContext.identity.apiKey", "requestContext.identity.apiKeyId");
        notLocal.addAll(under(fk, "stageVariables.stageVariableName"));
        notLocal.addAll(under(fk, "headers", "multiValueHeaders"));
        assertEquals(minus(fk, notLocal), minus(ek, under(ek, "headers", "multiValueHeaders", "requestContext.extendedRequestId",
                "requestContext.identity.principalOrgId", "isBase64Encoded")), "payload 1.0 keys");
        // The service sends these too (the "REST API Lambda proxy input format" example has them); the crate's fixture predates them.
        assertTrue(ek.containsAll(List.of("requestContext.extendedRequestId", "requestContext.identity.principalOrgId", "isBase64Encoded")));
        for (String k : List.of("resource", "path", "httpMethod", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "body"))
            assertEquals(f.get(k), e.get(k), k);
        JsonObject fc = f.get("requestContext").asObject(), ec = e.get("requestContext").asObject();
        for (String k : List.of("resourcePath", "httpMethod", "stage", "requestId", "protocol")) assertEquals(fc.get(k), ec.get(k), "requestContext." + k);
        // requestContext.path is the path the client asked for, stage included, on an execute-api domain (the top-level
        // path has no stage); the crate's fixture shows it without the stage.
        assertEquals("/hello/world", fc.getString("path", ""));
        assertEquals("/testStage/hello/world", ec.getString("path", ""));
        for (String k : List.of("X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"))
            assertTrue(e.get("headers").asObject().get(k) != null && e.get("multiValueHeaders").asObject().get(k) != null, k + " added as the service adds it");
        assertEquals(Json.array("1.2.3.4"), e.get("multiValueHeaders").asObject().get("X-Forwarded-For"));
        for (String k : List.of("Accept", "Content-Type", "Host", "User-Agent")) {
            assertEquals(f.get("headers").asObject().get(k), e.get("headers").asObject().get(k), "headers." + k + " as sent, not lower-cased");
            assertEquals(f.get("multiValueHeaders").asObject().get(k), e.get("multiValueHeaders").asObject().get(k), "multiValueHeaders." + k);
        }
        assertEquals(Json.FALSE, e.get("isBase64Encoded"));
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void albEventMatchesTheCratesFixture() throws Exception {
        JsonObject f = fixture("example-alb-lambda-target-request-headers-only.json");
        List<java.util.Map.Entry<String, String>> headers = List.of(java.util.Map.entry("Accept", "*/*"), java.util.Map.entry("Connection", "keep-alive"),
                java.util.Map.entry("Host", "lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com"), java.util.Map.entry("User-Agent", "curl/7.54.0"),
                java.util.Map.entry("X-MyHeader", "1"), java.util.Map.entry("X-MyHeader", "123"));
        JsonObject e = AlbEvent.event(request("GET", "/", "key=hello", headers, ""));
        // The gateway sends "body": "" for a request without one, as the service's example GET does ("Process Application
        // Load Balancer requests with Lambda"); the crate's fixture leaves body out.
        // x-imforwards (the load balancer's own hop count) is not sent by the gateway.
        assertEquals(minus(keys(f, ""), java.util.Set.of("headers.x-imforwards")), minus(keys(e, ""), java.util.Set.of("body")), "ALB keys");
        assertEquals(Json.value(""), e.get("body"));
        for (String k : List.of("httpMethod", "path", "queryStringParameters", "isBase64Encoded")) assertEquals(f.get(k), e.get(k), k);
        for (String k : List.of("accept", "connection", "host", "user-agent", "x-myheader"))
            assertEquals(f.get("headers").asObject().get(k), e.get("headers").asObject().get(k), "headers." + k + " lower-cased, the last of a repeated one");
        assertEquals(null, e.get("multiValueHeaders"), "multi-value headers are off");
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void responsesAreTranslatedAsTheServiceReadsThem() {
        // 2.0: valid JSON without statusCode is a 200 application/json with the JSON as body.
        GatewayRequest.Reply plain = HttpApiEvent.reply("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, plain.status());
        assertEquals(List.of(java.util.Map.entry("Content-Type", "application/json")), plain.headers());
        assertEquals("{\"hello\":\"world\"}", new String(plain.body(), StandardCharsets.UTF_8));
        assertEquals(200, HttpApiEvent.reply("\"text\"".getBytes(StandardCharsets.UTF_8)).status(), "a JSON string is valid JSON too");
        assertEquals(null, HttpApiEvent.reply("not json".getBytes(StandardCharsets.UTF_8)), "not JSON: the caller answers 500");
        // 2.0: each cookie a Set-Cookie header.
        GatewayRequest.Reply cookies = HttpApiEvent.reply("{\"statusCode\":201,\"cookies\":[\"a=1\",\"b=2; Path=/\"],\"headers\":{\"x-a\":\"v\"},\"body\":\"ok\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(201, cookies.status());
        assertEquals(List.of(java.util.Map.entry("x-a", "v"), java.util.Map.entry("Set-Cookie", "a=1"), java.util.Map.entry("Set-Cookie", "b=2; Path=/")), cookies.headers());
        // 1.0: headers and multiValueHeaders merged; a name in both keeps multiValueHeaders' values only.
        GatewayRequest.Reply v1 = RestApiEvent.reply(("{\"statusCode\":200,\"headers\":{\"x-one\":\"h\",\"x-both\":\"h\"},"
                + "\"multiValueHeaders\":{\"x-both\":[\"m1\",\"m2\"],\"x-multi\":[\"m\"]},\"body\":\"b\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(java.util.Map.entry("x-both", "m1"), java.util.Map.entry("x-both", "m2"), java.util.Map.entry("x-multi", "m"),
                java.util.Map.entry("x-one", "h")), v1.headers());
        assertEquals(null, RestApiEvent.reply("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)), "1.0 makes no assumption: no statusCode is an error");
        // ALB (multi-value headers off): headers only; statusDescription is accepted (the reason phrase is Jetty's, see the guide).
        GatewayRequest.Reply alb = AlbEvent.reply(("{\"statusCode\":404,\"statusDescription\":\"404 Not Found\",\"headers\":{\"Content-Type\":\"text/plain\"},"
                + "\"multiValueHeaders\":{\"x-ignored\":[\"1\"]},\"body\":\"gone\",\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8));
        assertEquals(404, alb.status());
        assertEquals(List.of(java.util.Map.entry("Content-Type", "text/plain")), alb.headers());
        assertEquals("gone", new String(alb.body(), StandardCharsets.UTF_8));
        GatewayRequest.Reply b64 = RestApiEvent.reply("{\"statusCode\":200,\"body\":\"AAEC\",\"isBase64Encoded\":true}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {0, 1, 2}, b64.body());
    }
}
