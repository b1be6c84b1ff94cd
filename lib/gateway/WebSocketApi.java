import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * app.json's WebSocket API at ws://HOST:PORT/STAGE: $connect (its event carries the handshake's headers and query
 * string; a non-2xx statusCode refuses the handshake), each message routed by the route selection expression
 * ($request.body.NAME) to its route or $default, a route's response body sent back to the client, $disconnect when
 * either side closes. The service's limits: 128 KB messages in 32 KB frames (more closes with 1009), 10 minutes
 * idle and 2 hours per connection (then closed with 1001).
 */
final class WebSocketApi {
    static final int MAX_MESSAGE = 128 * 1024, MAX_FRAME = 32 * 1024;
    static final Duration IDLE = Duration.ofMinutes(10), MAX_CONNECTION = Duration.ofHours(2);
    static final String API_ID = "local00003";

    /** One open connection: what GET @connections/{id} reports, and its socket. */
    static final class Connection {
        final String id, sourceIp, userAgent, domain;
        final long connectedAt;
        volatile long lastActiveAt;
        volatile Session session;
        volatile int closeCode = 1005;
        volatile String closeReason = "";

        Connection(String id, String sourceIp, String userAgent, String domain) {
            this.id = id;
            this.sourceIp = sourceIp;
            this.userAgent = userAgent;
            this.domain = domain;
            this.connectedAt = System.currentTimeMillis();
            this.lastActiveAt = connectedAt;
        }
    }

    private final Gateway gateway;
    final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "websocket-route");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "websocket-limit");
        t.setDaemon(true);
        return t;
    });

    WebSocketApi(Gateway gateway) {
        this.gateway = gateway;
    }

    void configure(ServerWebSocketContainer c) {
        c.setMaxTextMessageSize(MAX_MESSAGE);
        c.setMaxBinaryMessageSize(MAX_MESSAGE);
        c.setMaxFrameSize(MAX_FRAME);
        // A frame over the limit closes the connection (1009), as the service does; Jetty would otherwise split it.
        c.setAutoFragment(false);
        c.setIdleTimeout(IDLE);
        if (!gateway.routes.ws.isEmpty()) c.addMapping("/" + gateway.routes.wsStage, this::connect);
    }

    private JsonObject context(Connection c, String routeKey, String eventType) {
        return context(c, routeKey, eventType, gateway.routes.wsStage);
    }

    /** requestContext of a WebSocket event; a $disconnect's identity has sourceIp only (aws_lambda_events' disconnect fixture). */
    static JsonObject context(Connection c, String routeKey, String eventType, String stage) {
        long now = System.currentTimeMillis();
        GatewayRequest clock = new GatewayRequest("GET", "/", "", List.of(), new byte[0], c.sourceIp, "HTTP/1.1", now);
        JsonObject identity = new JsonObject().add("sourceIp", c.sourceIp);
        if (eventType.equals("CONNECT")) identity.add("userAgent", c.userAgent);
        JsonObject ctx = new JsonObject().add("routeKey", routeKey);
        if (eventType.equals("MESSAGE")) ctx.add("messageId", GatewayRequest.awsId());
        return ctx.add("eventType", eventType).add("extendedRequestId", GatewayRequest.awsId()).add("requestTime", clock.clfTime())
                .add("messageDirection", "IN").add("stage", stage).add("connectedAt", c.connectedAt)
                .add("requestTimeEpoch", now).add("identity", identity).add("requestId", GatewayRequest.awsId())
                .add("domainName", c.domain).add("connectionId", c.id).add("apiId", API_ID);
    }

    private Object connect(ServerUpgradeRequest req, ServerUpgradeResponse resp, org.eclipse.jetty.util.Callback callback) {
        String ua = req.getHeaders().get("User-Agent");
        String host = req.getHeaders().get("Host");
        Connection c = new Connection(GatewayRequest.awsId(), Request.getRemoteAddr(req), ua == null ? "" : ua, host == null ? "127.0.0.1" : host);
        String fn = gateway.routes.ws.get("$connect");
        if (fn != null) {
            JsonObject headers = new JsonObject(), multi = new JsonObject();
            Map<String, List<String>> byName = new LinkedHashMap<>();
            List<Map.Entry<String, String>> sent = new ArrayList<>();
            for (HttpField f : req.getHeaders()) sent.add(Map.entry(f.getName(), f.getValue()));
            for (Map.Entry<String, String> h : GatewayRequest.withForwarding(sent, c.sourceIp, Request.getLocalPort(req), System.currentTimeMillis()))
                byName.computeIfAbsent(h.getKey(), x -> new ArrayList<>()).add(h.getValue());
            byName.forEach((k, v) -> {
                headers.add(k, String.join(",", v));
                multi.add(k, GatewayRequest.strings(v));
            });
            JsonObject e = new JsonObject().add("headers", headers).add("multiValueHeaders", multi);
            String q = req.getHttpURI().getQuery();
            GatewayRequest gr = new GatewayRequest("GET", "/", q == null ? "" : q, List.of(), new byte[0], c.sourceIp, "HTTP/1.1", 0);
            Map<String, List<String>> qs = gr.query(true);
            if (!qs.isEmpty()) {
                JsonObject a = new JsonObject(), b = new JsonObject();
                qs.forEach((k, v) -> {
                    a.add(k, v.get(v.size() - 1));
                    b.add(k, GatewayRequest.strings(v));
                });
                e.add("queryStringParameters", a).add("multiValueQueryStringParameters", b);
            }
            e.add("requestContext", context(c, "$connect", "CONNECT")).add("isBase64Encoded", false);
            int status = status(gateway.invoke(fn, e.toString().getBytes(StandardCharsets.UTF_8), true));
            if (status < 200 || status > 299) {
                gateway.err.println("invoke-lambda: WebSocket $connect refused by " + fn + " (" + status + ")");
                gateway.err.flush();
                resp.setStatus(status);
                resp.getHeaders().put("Content-Length", 0);
                callback.succeeded();
                return null;
            }
        }
        return new WebSocketEndpoint(this, c);
    }

    /** The status a route's answer gives: its statusCode (200 without one), 502 for a function error. */
    private static int status(Invoker.Run r) {
        if (!(r.outcome() instanceof Invoker.Answered a)) return 502;
        JsonObject o = GatewayRequest.object(a.body());
        if (o == null || o.get("statusCode") == null) return 200;
        int s = GatewayRequest.statusCode(o);
        return s < 0 ? 502 : s;
    }

    void opened(Connection c, Session session) {
        c.session = session;
        open.put(c.id, c);
        timers.schedule(() -> close(c, 1001, "Going away"), MAX_CONNECTION.toMillis(), TimeUnit.MILLISECONDS);
    }

    void received(Connection c, String message, boolean binary) {
        c.lastActiveAt = System.currentTimeMillis();
        work.submit(() -> message(c, message, binary));
    }

    void closed(Connection c, int code, String reason) {
        if (open.remove(c.id) == null) return;
        c.closeCode = code;
        c.closeReason = reason == null ? "" : reason;
        work.submit(() -> disconnect(c));
    }

    /** Routes one message: its route by the selection expression, else $default, else the service's Forbidden. */
    private void message(Connection c, String body, boolean binary) {
        String key = binary ? null : selectRoute(body);
        String route = key != null && gateway.routes.ws.containsKey(key) ? key : "$default";
        String fn = gateway.routes.ws.get(route);
        Session s = c.session;
        if (fn == null) {
            send(s, new JsonObject().add("message", "Forbidden").add("connectionId", c.id).add("requestId", GatewayRequest.awsId()).toString());
            return;
        }
        JsonObject e = messageEvent(c, route, body, binary, gateway.routes.wsStage);
        Invoker.Run r = gateway.invoke(fn, e.toString().getBytes(StandardCharsets.UTF_8), true);
        if (!(r.outcome() instanceof Invoker.Answered a)) {
            gateway.err.println("invoke-lambda: " + Invoker.describe(fn, r));
            gateway.err.flush();
            send(s, new JsonObject().add("message", "Internal server error").add("connectionId", c.id)
                    .add("requestId", e.get("requestContext").asObject().getString("requestId", "")).toString());
            return;
        }
        JsonObject o = GatewayRequest.object(a.body());
        if (o != null && o.get("body") != null && !o.get("body").isNull()) {
            JsonValue b = o.get("body");
            send(s, b.isString() ? b.asString() : b.toString());
        }
    }

    /** $request.body.a.b of a JSON message, or null when the message is not JSON or has no such string. */
    String selectRoute(String body) {
        String[] path = gateway.routes.routeSelectionExpression.substring("$request.body.".length()).split("\\.");
        try {
            JsonValue v = Json.parse(body);
            for (String p : path) {
                if (!v.isObject()) return null;
                v = v.asObject().get(p);
                if (v == null) return null;
            }
            return v.isString() ? v.asString() : v.toString();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** A message's event: requestContext (eventType MESSAGE, messageId), body, isBase64Encoded. */
    static JsonObject messageEvent(Connection c, String route, String body, boolean binary, String stage) {
        return new JsonObject().add("requestContext", context(c, route, "MESSAGE", stage)).add("body", body).add("isBase64Encoded", binary);
    }

    /** The $disconnect event, with the headers and keys of aws_lambda_events' example-apigw-websocket-request-disconnect-route.json. */
    static JsonObject disconnectEvent(Connection c, String stage) {
        JsonObject ctx = context(c, "$disconnect", "DISCONNECT", stage).add("disconnectStatusCode", c.closeCode).add("disconnectReason", c.closeReason);
        JsonObject headers = new JsonObject().add("Host", c.domain).add("x-api-key", "").add("X-Forwarded-For", "").add("x-restapi", "");
        JsonObject multi = new JsonObject();
        for (JsonObject.Member m : headers) multi.add(m.getName(), new com.eclipsesource.json.JsonArray().add(m.getValue()));
        return new JsonObject().add("headers", headers).add("multiValueHeaders", multi).add("requestContext", ctx).add("isBase64Encoded", false);
    }

    private void disconnect(Connection c) {
        String fn = gateway.routes.ws.get("$disconnect");
        if (fn == null) return;
        JsonObject e = disconnectEvent(c, gateway.routes.wsStage);
        Invoker.Run r = gateway.invoke(fn, e.toString().getBytes(StandardCharsets.UTF_8), true);
        if (!(r.outcome() instanceof Invoker.Answered)) {
            gateway.err.println("invoke-lambda: " + Invoker.describe(fn, r));
            gateway.err.flush();
        }
    }

    static void send(Session s, String text) {
        if (s != null && s.isOpen()) s.sendText(text, Callback.NOOP);
    }

    /** Closes one connection from the server side (DELETE @connections, the 2-hour limit). */
    void close(Connection c, int code, String reason) {
        Session s = c.session;
        if (s != null && s.isOpen()) s.close(code, reason, Callback.NOOP);
    }

    void close() {
        for (Connection c : open.values()) close(c, 1001, "Going away");
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        timers.shutdownNow();
    }
}
