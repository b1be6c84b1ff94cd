import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP API payload format 2.0 (also what a Function URL sends, and cargo-lambda's /lambda-url/NAME/...): the event
 * of a request, and the function's response back as the service reads it (statusCode, headers, cookies,
 * isBase64Encoded; a response without statusCode is a 200 application/json body).
 */
final class HttpApiEvent {
    static final String API_ID = "local00001";

    private HttpApiEvent() {}

    /** routeKey: "GET /items/{id}" or "$default"; path: the raw path the function sees. functionUrl: the Function URL shape. */
    static JsonObject event(GatewayRequest r, String routeKey, String path, Map<String, String> pathParameters, String stage,
                            String requestId, boolean functionUrl) {
        JsonObject e = new JsonObject().add("version", "2.0").add("routeKey", routeKey).add("rawPath", path)
                .add("rawQueryString", r.rawQuery() == null ? "" : r.rawQuery());
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().equalsIgnoreCase("cookie")) for (String c : h.getValue().split(";")) if (!c.isBlank()) cookies.add(c.trim());
        }
        if (!cookies.isEmpty()) e.add("cookies", GatewayRequest.strings(cookies));
        e.add("headers", r.joinedHeaders(true));
        Map<String, List<String>> q = r.query(true);
        if (!q.isEmpty()) {
            JsonObject qs = new JsonObject();
            q.forEach((k, v) -> qs.add(k, String.join(",", v)));
            e.add("queryStringParameters", qs);
        }
        String domain = functionUrl ? API_ID + ".lambda-url.us-east-1.on.aws" : r.host();
        JsonObject http = new JsonObject().add("method", r.method()).add("path", path).add("protocol", r.protocol())
                .add("sourceIp", r.sourceIp()).add("userAgent", r.userAgent());
        JsonObject ctx = new JsonObject().add("accountId", functionUrl ? "anonymous" : GatewayRequest.ACCOUNT).add("apiId", API_ID)
                .add("domainName", domain).add("domainPrefix", domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : r.domainPrefix())
                .add("http", http).add("requestId", requestId).add("routeKey", routeKey).add("stage", stage)
                .add("time", r.clfTime()).add("timeEpoch", r.timeEpochMs());
        e.add("requestContext", ctx);
        if (!pathParameters.isEmpty()) e.add("pathParameters", GatewayRequest.stringMap(pathParameters));
        JsonValue body = r.eventBody();
        if (!body.isNull()) e.add("body", body);
        e.add("isBase64Encoded", r.base64());
        return e;
    }

    /** The function's answer as the client gets it; null when it cannot be read (the caller answers 502). */
    static GatewayRequest.Reply reply(byte[] response) {
        JsonValue v;
        try {
            v = Json.parse(new String(response, StandardCharsets.UTF_8));
        } catch (RuntimeException notJson) {
            return null;
        }
        if (!v.isObject() || v.asObject().get("statusCode") == null) {
            // "If your Lambda function returns valid JSON and doesn't return a statusCode, API Gateway assumes ..."
            return GatewayRequest.Reply.json(200, new String(response, StandardCharsets.UTF_8));
        }
        JsonObject o = v.asObject();
        int status = GatewayRequest.statusCode(o);
        if (status < 100 || status > 599) return null;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonValue h = o.get("headers");
        if (h != null && h.isObject()) {
            for (JsonObject.Member m : h.asObject()) headers.add(Map.entry(m.getName(), m.getValue().isString() ? m.getValue().asString() : m.getValue().toString()));
        }
        JsonValue c = o.get("cookies");
        if (c != null && c.isArray()) for (JsonValue cookie : c.asArray()) if (cookie.isString()) headers.add(Map.entry("Set-Cookie", cookie.asString()));
        byte[] body;
        try {
            body = GatewayRequest.responseBody(o);
        } catch (IllegalArgumentException badBase64) {
            return null;
        }
        return new GatewayRequest.Reply(status, headers, body);
    }

    static JsonArray none() {
        return new JsonArray();
    }
}
