import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metadata prelude of a streamed HTTP integration response (application/vnd.awslambda.http-integration-response):
 * a JSON object {"statusCode", "headers", "cookies"}, then 8 NUL bytes, then the body. lambda_runtime writes it for
 * every streamed response (MetadataPrelude); Function URLs read it for the status, headers and cookies.
 */
record HttpPrelude(int status, List<Map.Entry<String, String>> headers) {
    /** Where the body starts in b[0..length): just after the 8 NULs, or -1 when they have not come yet. */
    static int bodyStart(byte[] b, int length) {
        int run = 0;
        for (int i = 0; i < length; i++) {
            run = b[i] == 0 ? run + 1 : 0;
            if (run == 8) return i + 1;
        }
        return -1;
    }

    /** The prelude of b[0..end) (the JSON and its NULs); null when it is not a JSON object. */
    static HttpPrelude parse(byte[] b, int end) {
        String json = new String(b, 0, Math.max(0, end - 8), StandardCharsets.UTF_8).trim();
        JsonObject o;
        try {
            JsonValue v = Json.parse(json);
            if (!v.isObject()) return null;
            o = v.asObject();
        } catch (RuntimeException notJson) {
            return null;
        }
        int status = o.get("statusCode") != null && o.get("statusCode").isNumber() ? o.get("statusCode").asInt() : 200;
        List<Map.Entry<String, String>> h = new ArrayList<>();
        JsonValue headers = o.get("headers");
        if (headers != null && headers.isObject()) {
            for (JsonObject.Member m : headers.asObject()) {
                if (m.getValue().isString()) h.add(Map.entry(m.getName(), m.getValue().asString()));
                else if (m.getValue().isArray()) for (JsonValue v : m.getValue().asArray()) if (v.isString()) h.add(Map.entry(m.getName(), v.asString()));
            }
        }
        JsonValue cookies = o.get("cookies");
        if (cookies != null && cookies.isArray()) {
            for (JsonValue c : cookies.asArray()) if (c.isString()) h.add(Map.entry("Set-Cookie", c.asString()));
        }
        return new HttpPrelude(status, h);
    }

    /** A whole streamed HTTP integration response, collected: its reply, or null when it has no readable prelude. */
    static GatewayRequest.Reply reply(byte[] whole) {
        int start = bodyStart(whole, whole.length);
        if (start < 0 || whole.length == 0 || whole[0] != '{') return null;
        HttpPrelude p = parse(whole, start);
        if (p == null) return null;
        byte[] body = java.util.Arrays.copyOfRange(whole, start, whole.length);
        return new GatewayRequest.Reply(p.status(), new ArrayList<>(p.headers()), body);
    }
}
