import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Lambda's Extensions API, version 2020-01-01, on the Runtime API's own address (AWS_LAMBDA_RUNTIME_API, as Lambda
 * serves it): POST register (Lambda-Extension-Name; answers Lambda-Extension-Identifier), GET event/next (INVOKE
 * and SHUTDOWN events, long-polled), POST init/error and exit/error. An extension whose name is one of the external
 * extensions started beside the function is external; any other that registers (from the function's own process)
 * is internal, and may not register for SHUTDOWN. Registration closes when init ends. Errors answer as Lambda's
 * Runtime API does: 403 with Extension.* error types.
 */
final class ExtensionsApi {
    static final String PREFIX = "/2020-01-01/extension/";
    /** The account of the local ARNs (RuntimeApi.Event). */
    static final String ACCOUNT = "000000000000";

    /** One registered extension. next: how many event/next calls it made; taken: how many events it was handed. */
    static final class Registered {
        final String id = UUID.randomUUID().toString();
        final String name;
        final boolean external;
        final boolean invoke, shutdown;
        private final java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
        /** Its event/next requests waiting for an event, and the events taken and still being written to it. */
        private int waiting, handing;
        private boolean gone;

        Registered(String name, boolean external, boolean invoke, boolean shutdown) {
            this.name = name;
            this.external = external;
            this.invoke = invoke;
            this.shutdown = shutdown;
        }
    }

    private final String function;
    private final Set<String> externalNames;
    private final Map<String, Registered> byId = new LinkedHashMap<>();
    private boolean registrationClosed;
    private int endedBeforeRegistering;
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final java.io.PrintStream log;

    /** externalNames: the file names of the external extensions started with the function (Lambda's names for them). */
    ExtensionsApi(RuntimeApi api, String function, Set<String> externalNames, java.io.PrintStream log) {
        this.function = function;
        this.externalNames = externalNames;
        this.log = log;
        api.mount(PREFIX, this::handle);
    }

    /** Completes with Lambda's error type (Extension.<type>) when an extension reports init/error. */
    CompletableFuture<String> initError() {
        return initError;
    }

    synchronized int endedBeforeRegistering() {
        return endedBeforeRegistering;
    }

    /** The name an extension registered with, or null for an unknown identifier. */
    synchronized String nameOf(String id) {
        Registered r = id == null ? null : byId.get(id);
        return r == null ? null : r.name;
    }

    synchronized List<Registered> registered() {
        return new ArrayList<>(byId.values());
    }

    /**
     * Init as Lambda ends it: every external extension registered and every registered extension waits in event/next
     * (and no more registrations). Returns false when that did not happen by the deadline (System.nanoTime()).
     */
    synchronized boolean awaitInit(long deadlineNanos) throws InterruptedException {
        boolean ok = awaitIdle(deadlineNanos, true);
        registrationClosed = true;
        return ok;
    }

    /** Waits until every external extension registered (or ended), at most until the deadline. */
    synchronized void awaitRegistered(long deadlineNanos) throws InterruptedException {
        while (byId.values().stream().filter(r -> r.external).count() + endedBeforeRegistering < externalNames.size()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until every extension took its events and asked for the next one (or ended): an invocation's end. */
    synchronized boolean awaitIdle(long deadlineNanos, boolean allExternalsRegistered) throws InterruptedException {
        while (!idle(allExternalsRegistered)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private boolean idle(boolean allExternalsRegistered) {
        if (allExternalsRegistered) {
            long external = byId.values().stream().filter(r -> r.external).count();
            if (external + endedBeforeRegistering < externalNames.size()) return false;
        }
        return byId.values().stream().allMatch(r -> r.gone || (r.waiting > 0 && r.handing == 0 && r.queue.isEmpty()));
    }

    /** The INVOKE event, to every extension registered for it, as Lambda sends it with the runtime's. */
    synchronized void invoke(RuntimeApi.Event e) {
        String json = new JsonWriter.Obj().put("eventType", "INVOKE").put("deadlineMs", e.deadlineMs()).put("requestId", e.requestId())
                .put("invokedFunctionArn", e.functionArn())
                .put("tracing", new JsonWriter.Obj().put("type", "X-Amzn-Trace-Id").put("value", e.traceId())).toString();
        for (Registered r : byId.values()) if (r.invoke && !r.gone) r.queue.add(json);
        notifyAll();
    }

    /** The SHUTDOWN event (reason spindown, timeout or failure) to the external extensions registered for it. */
    synchronized void shutdown(String reason, long deadlineMs) {
        String json = new JsonWriter.Obj().put("eventType", "SHUTDOWN").put("shutdownReason", reason).put("deadlineMs", deadlineMs).toString();
        for (Registered r : byId.values()) if (r.shutdown && !r.gone) r.queue.add(json);
        notifyAll();
    }

    /** An external extension's process ended: nothing waits for it any more. */
    synchronized void ended(String name) {
        boolean registered = false;
        for (Registered r : byId.values()) {
            if (r.external && r.name.equals(name)) {
                r.gone = true;
                registered = true;
            }
        }
        if (!registered) endedBeforeRegistering++;
        notifyAll();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath().substring(PREFIX.length());
            String method = x.getRequestMethod();
            if (path.equals("register") && method.equals("POST")) {
                register(x);
            } else if (path.equals("event/next") && method.equals("GET")) {
                next(x);
            } else if ((path.equals("init/error") || path.equals("exit/error")) && method.equals("POST")) {
                reportError(x, path.startsWith("init"));
            } else {
                send(x, 404, RuntimeApi.error("NotFound", "no route " + method + " " + x.getRequestURI().getPath()), null);
            }
        }
    }

    private void register(HttpExchange x) throws IOException {
        String name = x.getRequestHeaders().getFirst("Lambda-Extension-Name");
        byte[] body = x.getRequestBody().readAllBytes();
        if (name == null || name.isBlank()) {
            send(x, 403, RuntimeApi.error("Extension.MissingHeader", "Missing Lambda-Extension-Name header"), null);
            return;
        }
        List<String> events = new ArrayList<>();
        try {
            JsonValue v = Json.parse(new String(body, StandardCharsets.UTF_8));
            for (JsonValue e : v.asObject().get("events").asArray()) events.add(e.asString());
        } catch (RuntimeException bad) {
            send(x, 403, RuntimeApi.error("InvalidRequestFormat", "register takes {\"events\": [\"INVOKE\", \"SHUTDOWN\"]}"), null);
            return;
        }
        boolean external = externalNames.contains(name);
        for (String e : events) {
            if (!e.equals("INVOKE") && !e.equals("SHUTDOWN")) {
                send(x, 403, RuntimeApi.error("Extension.InvalidEventType", e + ": ErrorInvalidEventType"), null);
                return;
            }
            if (e.equals("SHUTDOWN") && !external) {
                send(x, 403, RuntimeApi.error("Extension.InvalidEventType", "SHUTDOWN: ShutdownEventNotSupportedForInternalExtension"), null);
                return;
            }
        }
        Registered r;
        synchronized (this) {
            if (registrationClosed) {
                send(x, 403, RuntimeApi.error("Extension.RegistrationClosed", "Extension registration closed: " + name
                        + " registered after init"), null);
                return;
            }
            if (byId.values().stream().anyMatch(o -> o.name.equals(name))) {
                send(x, 403, RuntimeApi.error("Extension.AlreadyRegistered", "Extension already registered: " + name), null);
                return;
            }
            r = new Registered(name, external, events.contains("INVOKE"), events.contains("SHUTDOWN"));
            byId.put(r.id, r);
            notifyAll();
        }
        log.println("invoke-lambda: extension " + name + " registered (" + (external ? "external" : "internal") + ", events "
                + String.join(", ", events) + ")");
        log.flush();
        JsonWriter.Obj answer = new JsonWriter.Obj().put("functionName", function).put("functionVersion", "$LATEST").put("handler", "bootstrap");
        String accept = x.getRequestHeaders().getFirst("Lambda-Extension-Accept-Feature");
        if (accept != null && List.of(accept.split("\\s*,\\s*")).contains("accountId")) answer.put("accountId", ACCOUNT);
        send(x, 200, answer.toString(), Map.of("Lambda-Extension-Identifier", r.id));
    }

    private Registered known(HttpExchange x) throws IOException {
        String id = x.getRequestHeaders().getFirst("Lambda-Extension-Identifier");
        if (id == null || id.isBlank()) {
            send(x, 403, RuntimeApi.error("Extension.MissingHeader", "Missing Lambda-Extension-Identifier header"), null);
            return null;
        }
        Registered r;
        synchronized (this) {
            r = byId.get(id);
        }
        if (r == null) send(x, 403, RuntimeApi.error("Extension.UnknownExtensionIdentifier", "Unknown extension " + id), null);
        return r;
    }

    private void next(HttpExchange x) throws IOException {
        Registered r = known(x);
        if (r == null) return;
        String event;
        synchronized (this) {
            r.waiting++;
            notifyAll();
            try {
                while (r.queue.isEmpty()) wait();
            } catch (InterruptedException stopped) {
                r.waiting--;
                Thread.currentThread().interrupt();
                return;
            }
            // taken here, so a request the extension sends as soon as it has read this answer waits for the next one;
            // until the answer is written the extension does not count as waiting (an invocation has not ended)
            event = r.queue.pollFirst();
            r.waiting--;
            r.handing++;
        }
        boolean sent = false;
        try {
            send(x, 200, event, Map.of("Lambda-Extension-Event-Identifier", UUID.randomUUID().toString()));
            sent = true;
        } finally {
            synchronized (this) {
                // not delivered (the extension went away mid-answer): its next request gets it
                if (!sent) r.queue.addFirst(event);
                r.handing--;
                notifyAll();
            }
        }
    }

    /** How many event/next requests of the extension with this identifier wait for an event (for tests). */
    synchronized int waitingRequests(String id) {
        Registered r = byId.get(id);
        return r == null ? 0 : r.waiting;
    }

    private void reportError(HttpExchange x, boolean init) throws IOException {
        Registered r = known(x);
        if (r == null) return;
        String type = x.getRequestHeaders().getFirst("Lambda-Extension-Function-Error-Type");
        x.getRequestBody().readAllBytes();
        if (type == null || type.isBlank()) {
            send(x, 403, RuntimeApi.error("Extension.MissingHeader", "Missing Lambda-Extension-Function-Error-Type header"), null);
            return;
        }
        log.println("invoke-lambda: extension " + r.name + " reported " + (init ? "init" : "exit") + " error " + type);
        log.flush();
        synchronized (this) {
            r.gone = true;
            notifyAll();
        }
        if (init) initError.complete("Extension." + type.replaceFirst("^Extension\\.", ""));
        send(x, 202, "{\"status\":\"OK\"}", null);
    }

    private static void send(HttpExchange x, int status, String json, Map<String, String> headers) throws IOException {
        RuntimeApi.send(x, status, json, headers);
    }
}
