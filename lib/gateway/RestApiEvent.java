import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.util.List;
import java.util.Map;

/**
 * Payload format 1.0: the REST API's Lambda proxy event (and an HTTP API route with payloadFormatVersion 1.0):
 * headers and multiValueHeaders, queryStringParameters (last value) and multiValueQueryStringParameters, resource,
 * stage; the response's statusCode, headers, multiValueHeaders, body and isBase64Encoded back.
 */
final class RestApiEvent {
    static final String API_ID = "local00002";

    private RestApiEvent() {}

    /** path: below the stage; resource: the route's "/items/{id}" (or "/{proxy+}" for $default). */
    static JsonObject event(GatewayRequest r, String resource, String path, Map<String, String> pathParameters, String stage,
                            String requestId, boolean httpApi) {
        JsonObject headers = new JsonObject(), multi = new JsonObject();
        Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headers()) {
            String k = httpApi ? h.getKey().toLowerCase(java.util.Locale.ROOT) : h.getKey();
            byName.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(h.getValue());
        }
        byName.forEach((k, v) -> {
            headers.add(k, v.get(v.size() - 1));
            multi.add(k, GatewayRequest.strings(v));
        });
        Map<String, List<String>> q = r.query(true);
        JsonValue qs = Json.NULL, mqs = Json.NULL;
        if (!q.isEmpty()) {
            JsonObject a = new JsonObject(), b = new JsonObject();
            q.forEach((k, v) -> {
                a.add(k, v.get(v.size() - 1));
                b.add(k, GatewayRequest.strings(v));
            });
            qs = a;
            mqs = b;
        }
        JsonObject identity = new JsonObject().add("accessKey", Json.NULL).add("accountId", Json.NULL).add("caller", Json.NULL)
                .add("cognitoAuthenticationProvider", Json.NULL).add("cognitoAuthenticationType", Json.NULL)
                .add("cognitoIdentityId", Json.NULL).add("cognitoIdentityPoolId", Json.NULL).add("principalOrgId", Json.NULL)
                .add("sourceIp", r.sourceIp()).add("user", Json.NULL).add("userAgent", r.userAgent()).add("userArn", Json.NULL);
        String fullPath = httpApi ? path : "/" + stage + path;
        JsonObject ctx = new JsonObject().add("accountId", GatewayRequest.ACCOUNT).add("apiId", httpApi ? HttpApiEvent.API_ID : API_ID)
                .add("domainName", r.host()).add("domainPrefix", r.domainPrefix()).add("extendedRequestId", GatewayRequest.awsId())
                .add("httpMethod", r.method()).add("identity", identity).add("path", fullPath).add("protocol", r.protocol())
                .add("requestId", requestId).add("requestTime", r.clfTime()).add("requestTimeEpoch", r.timeEpochMs())
                .add("resourceId", Integer.toHexString(resource.hashCode() & 0xffffff)).add("resourcePath", resource).add("stage", stage);
        JsonObject e = new JsonObject();
        if (httpApi) e.add("version", "1.0");
        e.add("resource", resource).add("path", path).add("httpMethod", r.method()).add("headers", headers).add("multiValueHeaders", multi)
                .add("queryStringParameters", qs).add("multiValueQueryStringParameters", mqs)
                .add("pathParameters", pathParameters.isEmpty() ? Json.NULL : GatewayRequest.stringMap(pathParameters))
                .add("stageVariables", Json.NULL).add("requestContext", ctx).add("body", r.eventBody()).add("isBase64Encoded", r.base64());
        return e;
    }

    /** The function's 1.0 answer; null when it is not a proxy response (the service answers 502). */
    static GatewayRequest.Reply reply(byte[] response) {
        JsonObject o = GatewayRequest.object(response);
        if (o == null) return null;
        int status = GatewayRequest.statusCode(o);
        if (status < 100 || status > 599) return null;
        try {
            return new GatewayRequest.Reply(status, GatewayRequest.v1Headers(o), GatewayRequest.responseBody(o));
        } catch (IllegalArgumentException badBase64) {
            return null;
        }
    }

    static JsonArray none() {
        return new JsonArray();
    }
}
