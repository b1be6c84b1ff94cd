import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the gateway received it, before a front turns it into an event: header names as sent and in
 * order, the raw (still encoded) path and query. And the answer a front makes of the function's response.
 */
record GatewayRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body,
                      String sourceIp, String protocol, long timeEpochMs) {
    static final String ACCOUNT = "000000000000";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** An answer to the client: status, headers in order (a name may repeat), body. */
    record Reply(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        static Reply json(int status, String json) {
            return new Reply(status, new ArrayList<>(List.of(Map.entry("Content-Type", "application/json"))), json.getBytes(StandardCharsets.UTF_8));
        }

        /** The service's own error body: {"message":"..."}. */
        static Reply message(int status, String message) {
            return json(status, Json.object().add("message", message).toString());
        }
    }

    /**
     * The headers the service adds before the function sees a request (aws_lambda_events' HTTP API, REST API, ALB and
     * WebSocket fixtures all carry them): X-Amzn-Trace-Id (the client's if it sent one), X-Forwarded-For (the client's
     * address appended to any it sent), X-Forwarded-Port and X-Forwarded-Proto (the gateway's: its port, http).
     */
    static List<Map.Entry<String, String>> withForwarding(List<Map.Entry<String, String>> sent, String sourceIp, int port, long nowMs) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String forwardedFor = null, trace = null;
        for (Map.Entry<String, String> h : sent) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (n.equals("x-forwarded-for")) forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
            else if (n.equals("x-forwarded-port") || n.equals("x-forwarded-proto")) continue;
            else {
                if (n.equals("x-amzn-trace-id")) trace = h.getValue();
                out.add(h);
            }
        }
        if (trace == null) {
            byte[] b = new byte[12];
            RANDOM.nextBytes(b);
            StringBuilder hex = new StringBuilder();
            for (byte x : b) hex.append(String.format("%02x", x));
            out.add(Map.entry("X-Amzn-Trace-Id", "Root=1-" + Long.toHexString(nowMs / 1000) + "-" + hex));
        }
        out.add(Map.entry("X-Forwarded-For", forwardedFor == null ? sourceIp : forwardedFor + ", " + sourceIp));
        out.add(Map.entry("X-Forwarded-Port", Integer.toString(port)));
        out.add(Map.entry("X-Forwarded-Proto", "http"));
        return out;
    }

    String header(String name) {
        for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
        return null;
    }

    String host() {
        String h = header("host");
        return h == null ? "127.0.0.1" : h;
    }

    /** The first label of the domain, as requestContext.domainPrefix. */
    String domainPrefix() {
        String h = host();
        int dot = h.indexOf('.');
        return dot < 0 ? h : h.substring(0, dot);
    }

    /** Headers by lower-cased name, repeated values joined with commas (HTTP API, Function URLs, ALB without multi-value). */
    JsonObject joinedHeaders(boolean lowerCase) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("cookie") && lowerCase) continue;
            String k = lowerCase ? h.getKey().toLowerCase(Locale.ROOT) : h.getKey();
            m.merge(k, h.getValue(), (a, b) -> a + "," + b);
        }
        JsonObject o = new JsonObject();
        m.forEach(o::add);
        return o;
    }

    /** Decoded query parameters, each with its values in order. decode false: as sent (ALB). */
    Map<String, List<String>> query(boolean decode) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return m;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq), v = eq < 0 ? "" : pair.substring(eq + 1);
            if (decode) {
                k = decode(k);
                v = decode(v);
            }
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** The raw path's segments, percent-decoded. */
    List<String> segments(String rawPathBelow) {
        List<String> segs = new ArrayList<>();
        for (String s : rawPathBelow.split("/")) if (!s.isEmpty()) segs.add(decode(s.replace("+", "%2B")));
        return segs;
    }

    /** Whether the service sends this body as text: text/*, JSON, XML, JavaScript and form types; anything else is base64. */
    static boolean isText(String contentType) {
        if (contentType == null) return true;
        String t = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return t.isEmpty() || t.startsWith("text/") || t.equals("application/json") || t.equals("application/javascript")
                || t.equals("application/xml") || t.equals("application/x-www-form-urlencoded") || t.endsWith("+json")
                || t.endsWith("+xml") || t.equals("application/yaml");
    }

    /** The body as an event carries it, and whether it is base64. */
    boolean base64() {
        return body.length > 0 && !isText(header("content-type"));
    }

    JsonValue eventBody() {
        if (body.length == 0) return Json.NULL;
        return Json.value(base64() ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
    }

    /** "12/Mar/2020:19:03:58 +0000", as requestContext.time and requestTime. */
    String clfTime() {
        return CLF.format(Instant.ofEpochMilli(timeEpochMs));
    }

    String userAgent() {
        String ua = header("user-agent");
        return ua == null ? "" : ua;
    }

    /** An id like the service's request and connection ids: base64 of random bytes, "JKJaXmPLvHcESHA=". */
    static String awsId() {
        while (true) {
            byte[] b = new byte[11];
            RANDOM.nextBytes(b);
            String s = Base64.getEncoder().encodeToString(b);
            if (s.indexOf('/') < 0 && s.indexOf('+') < 0) return s;
        }
    }

    static JsonObject stringMap(Map<String, String> m) {
        JsonObject o = new JsonObject();
        m.forEach(o::add);
        return o;
    }

    static JsonArray strings(List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }

    /** The body of a function's response: base64-decoded when isBase64Encoded, else its UTF-8 text. */
    static byte[] responseBody(JsonObject r) {
        JsonValue b = r.get("body");
        if (b == null || b.isNull()) return new byte[0];
        String s = b.isString() ? b.asString() : b.toString();
        if (r.getBoolean("isBase64Encoded", false)) return Base64.getMimeDecoder().decode(s);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** statusCode as the service reads it: a number, or a string of one; -1 when missing or invalid. */
    static int statusCode(JsonObject r) {
        JsonValue s = r.get("statusCode");
        try {
            if (s != null && s.isNumber()) return s.asInt();
            if (s != null && s.isString()) return Integer.parseInt(s.asString());
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** headers (one value each) and multiValueHeaders of a 1.0 / ALB response, multi-value first as the service merges them. */
    static List<Map.Entry<String, String>> v1Headers(JsonObject r) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        JsonValue mv = r.get("multiValueHeaders");
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (mv != null && mv.isObject()) {
            for (JsonObject.Member m : mv.asObject()) {
                if (!m.getValue().isArray()) continue;
                seen.add(m.getName().toLowerCase(Locale.ROOT));
                for (JsonValue v : m.getValue().asArray()) out.add(Map.entry(m.getName(), v.isString() ? v.asString() : v.toString()));
            }
        }
        JsonValue h = r.get("headers");
        if (h != null && h.isObject()) {
            for (JsonObject.Member m : h.asObject()) {
                if (seen.contains(m.getName().toLowerCase(Locale.ROOT))) continue;
                JsonValue v = m.getValue();
                out.add(Map.entry(m.getName(), v.isString() ? v.asString() : v.toString()));
            }
        }
        return out;
    }

    /** The function's response as a JSON object, or null when it is not one. */
    static JsonObject object(byte[] response) {
        try {
            JsonValue v = Json.parse(new String(response, StandardCharsets.UTF_8));
            return v.isObject() ? v.asObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
