//DEPS org.eclipse.jetty:jetty-server:12.0.31
//DEPS org.eclipse.jetty.websocket:jetty-websocket-jetty-server:12.0.31

import com.eclipsesource.json.JsonObject;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * `invoke-lambda --serve`: one Jetty server on 127.0.0.1 (or --bind) in front of the functions, speaking each
 * protocol that calls them: Lambda's Invoke API (InvokeApi), Function URLs as cargo-lambda serves them
 * (/lambda-url/NAME/...), and app.json's HTTP API, REST API and ALB routes (HttpApiEvent, RestApiEvent, AlbEvent),
 * its WebSocket API at /STAGE (WebSocketApi) and the @connections API (ConnectionsApi). Each function has a pool
 * of warm instances (FunctionPool). Ctrl-C stops the server and every process.
 */
final class Gateway {
    /** HTTP API's request payload limit: 10 MB. */
    static final int MAX_HTTP_BODY = 10 * 1024 * 1024;
    /** Lambda's synchronous invocation payload limit: 6 MB (6,291,456 bytes) of event. */
    static final int MAX_EVENT = 6 * 1024 * 1024;
    /** How many instances of one function run at once at most (Lambda's scale-out, kept small for a laptop). */
    static final int MAX_INSTANCES = 10;

    final FunctionSource source;
    final Invoker.Settings settings;
    final RouteTable routes;
    final PrintWriter err;
    final Path web;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final InvokeApi invokeApi;
    final WebSocketApi webSocket;
    private final ConnectionsApi connections;
    private Server server;
    volatile int port;

    Gateway(FunctionSource source, Invoker.Settings settings, RouteTable routes, Path web, PrintWriter err) {
        this.source = source;
        this.settings = settings;
        this.routes = routes;
        this.web = web;
        this.err = err;
        this.invokeApi = new InvokeApi(this);
        this.webSocket = new WebSocketApi(this);
        this.connections = new ConnectionsApi(webSocket);
    }

    /** The function's pool; its instances get the @connections endpoint when app.json lets them manage connections. */
    FunctionPool pool(String name) {
        return pools.computeIfAbsent(name, n -> new FunctionPool(n, () -> source.executable(n), () -> {
            if (!routes.manageConnections.contains(n)) return settings;
            String url = "http://127.0.0.1:" + port + "/" + routes.wsStage;
            Map<String, String> env = new LinkedHashMap<>(settings.extraEnv());
            env.putIfAbsent("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", url);
            FunctionEnv fe = settings.functionEnv() == null ? null : settings.functionEnv().withManagementEndpoint(url);
            return new Invoker.Settings(settings.memoryMb(), settings.cpu(), settings.timeoutMillis(), Map.copyOf(env), fe, settings.runner());
        }, MAX_INSTANCES, System.err));
    }

    boolean exists(String name) {
        return source.names().contains(name) && Files.isRegularFile(source.executable(name));
    }

    /** One invocation with its REPORT line logged. scaleOut false: queue on a warm instance (the Invoke API, as before). */
    Invoker.Run invoke(String function, byte[] event, boolean scaleOut) {
        Invoker.Run r = pool(function).invoke(event, scaleOut);
        err.println(r.report(settings.memoryMb()));
        err.flush();
        return r;
    }

    void stopFunctions(Predicate<String> which) {
        pools.forEach((n, p) -> {
            if (which.test(n)) p.stop();
        });
    }

    void start(String bind, int wanted) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("gateway");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost(bind);
        c.setPort(wanted);
        server.addConnector(c);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, webSocket::configure);
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                GatewayRequest.Reply reply;
                try {
                    reply = dispatch(request);
                } catch (Cli.UserError e) {
                    err.println("invoke-lambda: " + e.getMessage());
                    err.flush();
                    reply = GatewayRequest.Reply.message(500, "Internal Server Error");
                } catch (Exception e) {
                    err.println("invoke-lambda: " + request.getMethod() + " " + request.getHttpURI().getPath() + ": " + e);
                    err.flush();
                    reply = GatewayRequest.Reply.message(500, "Internal Server Error");
                }
                send(response, reply, callback);
                return true;
            }
        });
        server.setHandler(ws);
        try {
            server.start();
        } catch (java.io.IOException e) {
            server.stop();
            throw new Cli.UserError(ExitCode.USAGE, "cannot listen on " + bind + ":" + wanted + ": " + e.getMessage() + " (another --port?)");
        }
        port = c.getLocalPort();
    }

    void stop() {
        try {
            if (server != null) server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
        webSocket.close();
        pools.values().forEach(FunctionPool::close);
    }

    private static void send(Response response, GatewayRequest.Reply reply, Callback callback) {
        response.setStatus(reply.status());
        for (Map.Entry<String, String> h : reply.headers()) {
            if (h.getKey().equalsIgnoreCase("content-length") || h.getKey().equalsIgnoreCase("transfer-encoding")) continue;
            response.getHeaders().add(h.getKey(), h.getValue());
        }
        response.getHeaders().put("Content-Length", reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    /** Reads the body up to max bytes; null when it is longer (the rest is not read: the connection closes). */
    static byte[] body(Request request, int max) throws java.io.IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(max + 1);
            return b.length > max ? null : b;
        }
    }

    private GatewayRequest.Reply dispatch(Request request) throws Exception {
        String path = request.getHttpURI().getPath(), method = request.getMethod();
        if (path == null || path.isEmpty()) path = "/";
        if (path.startsWith(InvokeApi.PREFIX)) return invokeApi.handle(method, path, body(request, MAX_EVENT));
        if (ConnectionsApi.matches(path, routes.wsStage)) return connections.handle(method, path, request);
        GatewayRequest r = read(request, path);
        if (r == null) return GatewayRequest.Reply.message(413, "Request Entity Too Large");
        String requestId = GatewayRequest.awsId();
        if (path.startsWith("/lambda-url/")) return functionUrl(r, path, requestId);
        String restPrefix = "/" + routes.restStage;
        if (!routes.rest.isEmpty() && (path.equals(restPrefix) || path.startsWith(restPrefix + "/"))) {
            String below = path.length() == restPrefix.length() ? "/" : path.substring(restPrefix.length());
            RouteTable.Match m = RouteTable.find(routes.rest, method, r.segments(below));
            // An unknown resource on a REST API: 403, as the service answers it.
            if (m == null) return GatewayRequest.Reply.message(403, "Missing Authentication Token");
            String resource = m.route().isDefault() ? "/{proxy+}" : m.route().resource();
            Map<String, String> params = m.route().isDefault() ? Map.of("proxy", below.substring(1)) : m.pathParameters();
            JsonObject e = RestApiEvent.event(r, resource, GatewayRequest.decode(below), params, routes.restStage, java.util.UUID.randomUUID().toString(), false);
            return call(m.route(), e, RouteTable.Front.REST_API, requestId);
        }
        RouteTable.Match alb = RouteTable.find(routes.alb, method, r.segments(path));
        if (alb != null) {
            // "The maximum size of the request body that you can send to a Lambda function is 1 MB."
            if (r.body().length > AlbEvent.MAX_BODY) return AlbEvent.error(413, "Request Entity Too Large");
            return call(alb.route(), AlbEvent.event(r), RouteTable.Front.ALB, requestId);
        }
        RouteTable.Match m = RouteTable.find(routes.http, method, r.segments(path));
        if ((m == null || m.route().isDefault()) && method.equals("GET")) {
            GatewayRequest.Reply file = staticFile(path);
            if (file != null) return file;
        }
        if (m == null) return GatewayRequest.Reply.message(404, "Not Found");
        return httpApi(r, m, path, requestId);
    }

    private GatewayRequest read(Request request, String path) throws java.io.IOException {
        // Refused before it is read: a client that sent Expect: 100-continue is not told to send it.
        if (request.getLength() > MAX_HTTP_BODY) return null;
        byte[] body = body(request, MAX_HTTP_BODY);
        if (body == null) return null;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpField f : request.getHeaders()) headers.add(Map.entry(f.getName(), f.getValue()));
        String q = request.getHttpURI().getQuery();
        long now = System.currentTimeMillis();
        return new GatewayRequest(request.getMethod(), path, q == null ? "" : q,
                GatewayRequest.withForwarding(headers, Request.getRemoteAddr(request), Request.getLocalPort(request), now), body,
                Request.getRemoteAddr(request), request.getConnectionMetaData().getProtocol(), now);
    }

    private GatewayRequest.Reply functionUrl(GatewayRequest r, String path, String requestId) {
        String rest = path.substring("/lambda-url/".length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash), below = slash < 0 ? "/" : rest.substring(slash);
        if (!exists(name)) return GatewayRequest.Reply.message(404, "Not Found");
        JsonObject e = HttpApiEvent.event(r, "$default", below, Map.of(), "$default", java.util.UUID.randomUUID().toString(), true);
        return call(new RouteTable.Route(RouteTable.Front.HTTP_API, "$default", "ANY", List.of(), name, "2.0"), e, RouteTable.Front.HTTP_API, requestId);
    }

    private GatewayRequest.Reply httpApi(GatewayRequest r, RouteTable.Match m, String path, String requestId) {
        RouteTable.Route route = m.route();
        JsonObject e;
        if (route.payloadVersion().equals("1.0")) {
            String resource = route.isDefault() ? "$default" : route.key().substring(route.key().indexOf(' ') + 1);
            e = RestApiEvent.event(r, resource, GatewayRequest.decode(path), m.pathParameters(), "$default", requestId, true);
            e.set("routeKey", route.key());
        } else {
            e = HttpApiEvent.event(r, route.key(), path, m.pathParameters(), "$default", requestId, false);
        }
        return call(route, e, RouteTable.Front.HTTP_API, requestId);
    }

    /** Invokes the route's function and translates its answer, or its failure, as the front does. */
    private GatewayRequest.Reply call(RouteTable.Route route, JsonObject event, RouteTable.Front front, String requestId) {
        byte[] bytes = event.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_EVENT) {
            return front == RouteTable.Front.ALB ? AlbEvent.error(413, "Request Entity Too Large") : GatewayRequest.Reply.message(413, "Request Entity Too Large");
        }
        Invoker.Run run = invoke(route.function(), bytes, true);
        GatewayRequest.Reply reply = null;
        if (run.outcome() instanceof Invoker.Answered a) {
            boolean v2 = front == RouteTable.Front.HTTP_API && route.payloadVersion().equals("2.0");
            reply = v2 ? HttpApiEvent.reply(a.body()) : front == RouteTable.Front.ALB ? AlbEvent.reply(a.body()) : RestApiEvent.reply(a.body());
            // "The maximum size of the response JSON that the Lambda function can send is 1 MB": more is a 502.
            if (front == RouteTable.Front.ALB && a.body().length > AlbEvent.MAX_BODY) reply = null;
            if (reply == null) {
                err.println("invoke-lambda: " + route.function() + " answered " + route.key() + " with a response the "
                        + (front == RouteTable.Front.ALB ? "load balancer" : "API") + " cannot read (502): " + preview(a.body()));
                err.flush();
            }
        } else if (run.outcome() instanceof Invoker.TimedOut) {
            return switch (front) {
                case HTTP_API -> withId(GatewayRequest.Reply.message(503, "Service Unavailable"), front, requestId);
                case REST_API -> withId(GatewayRequest.Reply.message(504, "Endpoint request timed out"), front, requestId);
                case ALB -> AlbEvent.error(504, "Gateway Time-out");
            };
        } else {
            err.println("invoke-lambda: " + Invoker.describe(route.function(), run));
            err.flush();
        }
        if (reply == null) {
            return switch (front) {
                // An HTTP API answers an unreadable Lambda response (either payload version) with 500, a REST API with 502
                // ("Troubleshooting issues with HTTP API Lambda integrations"; "How do I map the status codes returned by HTTP APIs").
                case HTTP_API -> withId(GatewayRequest.Reply.message(500, "Internal Server Error"), front, requestId);
                case REST_API -> withId(GatewayRequest.Reply.message(502, "Internal server error"), front, requestId);
                case ALB -> AlbEvent.error(502, "Bad Gateway");
            };
        }
        return withId(reply, front, requestId);
    }

    private static GatewayRequest.Reply withId(GatewayRequest.Reply r, RouteTable.Front front, String requestId) {
        List<Map.Entry<String, String>> h = new ArrayList<>(r.headers());
        if (front == RouteTable.Front.HTTP_API) h.add(Map.entry("Apigw-Requestid", requestId));
        if (front == RouteTable.Front.REST_API) h.add(Map.entry("x-amzn-RequestId", java.util.UUID.randomUUID().toString()));
        return new GatewayRequest.Reply(r.status(), h, r.body());
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.UTF_8);
        return s.replace('\n', ' ');
    }

    /** A file of the app's web folder (index: chat.html or index.html), or null. */
    private GatewayRequest.Reply staticFile(String path) throws java.io.IOException {
        if (web == null || !Files.isDirectory(web)) return null;
        String rel = path.equals("/") ? null : GatewayRequest.decode(path.substring(1));
        Path f = null;
        if (rel == null) {
            for (String index : List.of("index.html", "chat.html")) if (Files.isRegularFile(web.resolve(index))) f = web.resolve(index);
        } else {
            Path p = web.resolve(rel).normalize();
            if (p.startsWith(web) && Files.isRegularFile(p)) f = p;
        }
        if (f == null) return null;
        String n = f.getFileName().toString();
        String type = n.endsWith(".html") ? "text/html; charset=utf-8" : n.endsWith(".js") ? "text/javascript" : n.endsWith(".css") ? "text/css"
                : n.endsWith(".png") ? "image/png" : n.endsWith(".svg") ? "image/svg+xml" : "application/octet-stream";
        return new GatewayRequest.Reply(200, new ArrayList<>(List.of(Map.entry("Content-Type", type))), Files.readAllBytes(f));
    }

    /** Starts the gateway and serves until Ctrl-C. */
    static int serve(FunctionSource source, String bind, int port, Invoker.Settings s, PrintWriter err, Workspace watch,
                     Predicate<Set<String>> rebuild, Path appFile) throws Exception {
        RouteTable routes = appFile == null ? RouteTable.empty() : RouteTable.read(appFile);
        List<String> names = source.names();
        for (String f : routes.functions()) {
            if (!names.contains(f)) {
                throw new Cli.UserError(ExitCode.USAGE, appFile + " routes to '" + f + "', which is not a function here (" + source.describe()
                        + "): build it, or fix the route");
            }
        }
        if (appFile != null) {
            List<String> unrouted = names.stream().filter(n -> !routes.functions().contains(n)).toList();
            if (!unrouted.isEmpty()) {
                err.println("invoke-lambda: warning: " + appFile + " routes nothing to " + String.join(", ", unrouted)
                        + " (reachable only through /lambda-url/NAME/ and the Invoke API)");
            }
        }
        Path web = appFile == null ? null : appFile.toAbsolutePath().getParent().resolve("web");
        Gateway g = new Gateway(source, s, routes, web, err);
        g.start(bind, port);
        Watcher watcher = watch == null ? null : new Watcher(watch.packageDirs, changed -> {
            err.println("invoke-lambda: changed: " + String.join(", ", changed) + "; rebuilding");
            err.flush();
            if (!rebuild.test(changed)) {
                err.println("invoke-lambda: the rebuild failed (above); still serving the previous build");
                err.flush();
                return;
            }
            boolean lib = changed.stream().anyMatch(p -> watch.functions.stream().noneMatch(f -> f.pkg().equals(p)));
            for (Workspace.Function f : watch.functions) {
                if (lib || changed.contains(f.pkg())) {
                    g.stopFunctions(f.name()::equals);
                    err.println("invoke-lambda: " + f.name() + " rebuilt: its next invoke starts the new build");
                }
            }
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (watcher != null) watcher.close();
            g.stop();
        }));
        String base = "http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + g.port;
        err.println("invoke-lambda: serving " + source.describe() + " on " + base + InvokeApi.PREFIX + "NAME/invocations"
                + (watcher != null ? ", rebuilding on changes to " + String.join(", ", watch.packages) : "") + " (Ctrl-C stops)");
        err.println("invoke-lambda: Function URLs: " + base + "/lambda-url/NAME/");
        if (appFile != null) {
            for (RouteTable.Route r : routes.http) err.println("invoke-lambda: HTTP API  " + r.key() + " -> " + r.function() + " (payload " + r.payloadVersion() + ")");
            for (RouteTable.Route r : routes.rest) err.println("invoke-lambda: REST API  " + r.key() + " -> " + r.function() + " (under /" + routes.restStage + ")");
            for (RouteTable.Route r : routes.alb) err.println("invoke-lambda: ALB       " + r.key() + " -> " + r.function());
            if (!routes.ws.isEmpty()) {
                err.println("invoke-lambda: WebSocket " + base.replace("http:", "ws:") + "/" + routes.wsStage + " (" + String.join(", ",
                        routes.ws.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).toList()) + "); @connections: "
                        + base + "/" + routes.wsStage + "/@connections/ID");
            }
            if (web != null && Files.isDirectory(web)) err.println("invoke-lambda: web page: " + base + "/");
        }
        err.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.INTERRUPTED.code;
    }
}
