import com.eclipsesource.json.JsonObject;
import org.eclipse.jetty.server.Request;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API Gateway Management API (@connections), as aws-sdk-apigatewaymanagement calls it relative to its endpoint
 * (https://{api}.execute-api.{region}.amazonaws.com/{stage} deployed; http://127.0.0.1:PORT/{stage} here, given to
 * the functions as AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI): POST /@connections/{id} sends the body to the client,
 * GET returns connectedAt, identity and lastActiveAt, DELETE closes it. A connection that is closed or unknown:
 * 410 GoneException, as the SDK reads it (the x-amzn-ErrorType header).
 */
final class ConnectionsApi {
    private final WebSocketApi ws;

    ConnectionsApi(WebSocketApi ws) {
        this.ws = ws;
    }

    static boolean matches(String path, String stage) {
        return path.startsWith("/@connections/") || path.startsWith("/" + stage + "/@connections/");
    }

    GatewayRequest.Reply handle(String method, String path, Request request) throws java.io.IOException {
        String id = GatewayRequest.decode(path.substring(path.indexOf("/@connections/") + "/@connections/".length()));
        WebSocketApi.Connection c = ws.open.get(id);
        switch (method) {
            case "POST" -> {
                byte[] body = Gateway.body(request, WebSocketApi.MAX_MESSAGE);
                if (body == null) return error(413, "PayloadTooLargeException", "Message too long: the limit is 128 KB");
                if (c == null || c.session == null || !c.session.isOpen()) return gone();
                WebSocketApi.send(c.session, new String(body, StandardCharsets.UTF_8));
                return new GatewayRequest.Reply(200, new ArrayList<>(), new byte[0]);
            }
            case "GET" -> {
                if (c == null) return gone();
                JsonObject o = new JsonObject().add("connectedAt", Instant.ofEpochMilli(c.connectedAt).toString())
                        .add("identity", new JsonObject().add("sourceIp", c.sourceIp).add("userAgent", c.userAgent))
                        .add("lastActiveAt", Instant.ofEpochMilli(c.lastActiveAt).toString());
                return GatewayRequest.Reply.json(200, o.toString());
            }
            case "DELETE" -> {
                if (c == null) return gone();
                ws.close(c, 1000, "");
                return new GatewayRequest.Reply(204, new ArrayList<>(), new byte[0]);
            }
            default -> {
                return error(403, "ForbiddenException", "Forbidden");
            }
        }
    }

    private static GatewayRequest.Reply gone() {
        return error(410, "GoneException", null);
    }

    /** A restJson1 error: its type in x-amzn-ErrorType, and a JSON body with message. */
    static GatewayRequest.Reply error(int status, String type, String message) {
        JsonObject body = new JsonObject();
        if (message == null) body.add("message", com.eclipsesource.json.Json.NULL);
        else body.add("message", message);
        return new GatewayRequest.Reply(status, new ArrayList<>(List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("x-amzn-ErrorType", type))), body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
