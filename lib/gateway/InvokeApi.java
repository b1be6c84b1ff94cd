import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's Invoke API on the gateway, as the Runtime Interface Emulator serves it (POST
 * /2015-03-31/functions/NAME/invocations, body = event, response = the function's answer, a function error flagged
 * by X-Amz-Function-Error). Each function's process starts on its first invoke and stays warm; concurrent invokes
 * through this API queue on that one instance (the gateway's HTTP and WebSocket fronts scale out). A process that
 * died or timed out is started anew on the next invoke. With --concurrency N the one instance takes N invokes at once
 * and refuses more with 429 TooManyRequestsException, as Lambda Managed Instances do.
 */
final class InvokeApi {
    static final String PREFIX = "/2015-03-31/functions/";

    private final Gateway gateway;

    InvokeApi(Gateway gateway) {
        this.gateway = gateway;
    }

    /** event null: larger than Lambda's 6 MB request limit. clientContext: X-Amz-Client-Context, decoded (null: none). */
    GatewayRequest.Reply handle(String method, String path, byte[] event, String clientContext) {
        String rest = path.substring(PREFIX.length());
        if (!method.equals("POST") || !rest.endsWith("/invocations")) {
            return reply(404, null, RuntimeApi.error("ResourceNotFoundException", "no route " + method + " " + path
                    + ": use POST " + PREFIX + "NAME/invocations"));
        }
        String name = rest.substring(0, rest.length() - "/invocations".length());
        GatewayRequest.Reply refused = refuse(gateway, name, event, "InvokeFunction");
        if (refused != null) return refused;
        if (event.length == 0) event = "{}".getBytes(StandardCharsets.UTF_8);
        Invoker.Run r = gateway.invoke(name, event, false, clientContext, null);
        if (r.outcome() instanceof Invoker.Answered a) return reply(200, null, a.body());
        if (r.outcome() instanceof Invoker.Failed f) return reply(200, "Unhandled", f.body());
        if (r.outcome() instanceof Invoker.Throttled) return throttled();
        return error(r.requestId(), r.outcome(), gateway.settings);
    }

    /** Lambda's Invoke throttle: 429 TooManyRequestsException, its Reason and Type as the SDKs parse them. */
    static GatewayRequest.Reply throttled() {
        String json = new JsonWriter.Obj().put("Reason", "ConcurrentInvocationLimitExceeded").put("Type", "User")
                .put("message", "Rate Exceeded.").toString();
        List<Map.Entry<String, String>> h = new ArrayList<>(List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("X-Amzn-ErrorType", "TooManyRequestsException")));
        return new GatewayRequest.Reply(429, h, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The service's refusal of an unknown function or a too large event (null: neither). */
    static GatewayRequest.Reply refuse(Gateway gateway, String name, byte[] event, String operation) {
        if (!gateway.exists(name)) {
            return reply(404, null, RuntimeApi.error("ResourceNotFoundException", "Function not found: " + name + " (" + gateway.source.describe() + ")"));
        }
        if (event == null) {
            return reply(413, null, RuntimeApi.error("RequestEntityTooLargeException", "Request must be smaller than " + Gateway.MAX_EVENT
                    + " bytes for the " + operation + " operation"));
        }
        return null;
    }

    /**
     * X-Amz-Client-Context (base64 JSON, up to 3,583 bytes) as the runtime gets it in Lambda-Runtime-Client-Context:
     * decoded. null when absent; IllegalArgumentException when it is not base64 of a JSON object.
     */
    static String clientContext(String header) {
        if (header == null || header.isEmpty()) return null;
        if (header.length() > 3583) throw new IllegalArgumentException("Client context must be 3583 bytes or less");
        try {
            String json = new String(java.util.Base64.getDecoder().decode(header), StandardCharsets.UTF_8);
            if (!com.eclipsesource.json.Json.parse(json).isObject()) throw new IllegalArgumentException("not an object");
            return json;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Client context must be a valid Base64-encoded JSON object.");
        }
    }

    /** A timeout, crash or init error as the Lambda service answers it: 200, X-Amz-Function-Error, Lambda's error object. */
    private static GatewayRequest.Reply error(String requestId, Invoker.Outcome o, Invoker.Settings s) {
        String id = requestId == null ? "" : requestId + " ";
        String json = o instanceof Invoker.TimedOut t
                ? RuntimeApi.error("Sandbox.Timedout", id + "Task timed out after " + String.format(Locale.ROOT, "%.2f", s.timeoutMillis() / 1000.0)
                        + " seconds" + (t.phase() == Invoker.Phase.INIT ? " (during init)" : ""))
                : o instanceof Invoker.InitFailed f ? RuntimeApi.error("Runtime.InitError", "init failed: " + f.type())
                : RuntimeApi.error("Runtime.ExitError", (requestId == null ? "" : "RequestId: " + requestId + " ") + "Error: Runtime exited with error: "
                        + ((Invoker.Crashed) o).how());
        return reply(200, "Unhandled", json);
    }

    static GatewayRequest.Reply reply(int status, String functionError, String json) {
        return reply(status, functionError, json.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayRequest.Reply reply(int status, String functionError, byte[] body) {
        List<Map.Entry<String, String>> h = new ArrayList<>(List.of(Map.entry("Content-Type", "application/json")));
        if (functionError != null) h.add(Map.entry("X-Amz-Function-Error", functionError));
        return new GatewayRequest.Reply(status, h, body);
    }
}
