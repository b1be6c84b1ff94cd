import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * An Application Load Balancer target-group event (multi-value headers off, the default): headers lower-cased with
 * the last value of a repeated one, query parameters as sent (ALB does not decode them); the response's statusCode,
 * statusDescription, headers, body and isBase64Encoded back.
 */
final class AlbEvent {
    static final String TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-1:" + GatewayRequest.ACCOUNT + ":targetgroup/local/0123456789abcdef";

    /** The load balancer's limit for a request body to, and a response JSON from, a Lambda target: 1 MB. */
    static final int MAX_BODY = 1024 * 1024;

    private AlbEvent() {}

    static JsonObject event(GatewayRequest r) {
        JsonObject headers = new JsonObject();
        Map<String, String> last = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headers()) last.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
        last.forEach(headers::add);
        JsonObject q = new JsonObject();
        for (Map.Entry<String, List<String>> e : r.query(false).entrySet()) q.add(e.getKey(), e.getValue().get(e.getValue().size() - 1));
        return new JsonObject().add("requestContext", new JsonObject().add("elb", new JsonObject().add("targetGroupArn", TARGET_GROUP)))
                .add("httpMethod", r.method()).add("path", r.rawPath()).add("queryStringParameters", q).add("headers", headers)
                .add("body", r.body().length == 0 ? Json.value("") : r.eventBody()).add("isBase64Encoded", r.base64());
    }

    /** The function's answer; null when it is not one (ALB answers 502 Bad Gateway). */
    static GatewayRequest.Reply reply(byte[] response) {
        JsonObject o = GatewayRequest.object(response);
        if (o == null) return null;
        int status = GatewayRequest.statusCode(o);
        if (status < 100 || status > 599) return null;
        // Multi-value headers off (the target group default): the load balancer reads headers and ignores multiValueHeaders.
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        com.eclipsesource.json.JsonValue h = o.get("headers");
        if (h != null && h.isObject()) {
            for (JsonObject.Member m : h.asObject()) headers.add(Map.entry(m.getName(), m.getValue().isString() ? m.getValue().asString() : m.getValue().toString()));
        }
        try {
            return new GatewayRequest.Reply(status, headers, GatewayRequest.responseBody(o));
        } catch (IllegalArgumentException badBase64) {
            return null;
        }
    }

    /** ALB's own error page: "502 Bad Gateway" as text/html. */
    static GatewayRequest.Reply error(int status, String reason) {
        String html = "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>" + status + " " + reason
                + "</h1></center>\r\n</body>\r\n</html>\r\n";
        return new GatewayRequest.Reply(status, new java.util.ArrayList<>(List.of(Map.entry("Content-Type", "text/html"))),
                html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
