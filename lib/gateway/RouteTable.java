import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes of app.json (docs/reference/app.md), the one definition the CDK app deploys and the gateway serves:
 * httpApi (payload 2.0 or 1.0 per route), restApi (REST API payload 1.0, under /STAGE), alb (target-group events)
 * and webSocketApi. An HTTP route is "METHOD /path" (ANY for every method), with {name} parameters, a greedy
 * {name+} last, or "$default". Matching as HTTP API does: the route with the most literal segments wins, then
 * the one without a greedy parameter, then a method over ANY; $default when nothing matches.
 */
final class RouteTable {
    enum Front { HTTP_API, REST_API, ALB }

    record Route(Front front, String key, String method, List<String> segments, String function, String payloadVersion) {
        boolean isDefault() {
            return key.equals("$default");
        }

        /** The path parameters when path (segments, decoded) matches, else null. */
        Map<String, String> match(String m, List<String> path) {
            if (isDefault()) return Map.of();
            if (!method.equals("ANY") && !method.equals(m)) return null;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String s = segments.get(i);
                boolean param = s.startsWith("{") && s.endsWith("}");
                if (param && s.endsWith("+}")) {
                    if (i >= path.size()) return null;
                    params.put(s.substring(1, s.length() - 2), String.join("/", path.subList(i, path.size())));
                    return params;
                }
                if (i >= path.size()) return null;
                if (param) params.put(s.substring(1, s.length() - 1), path.get(i));
                else if (!s.equals(path.get(i))) return null;
            }
            return path.size() == segments.size() ? params : null;
        }

        int literals() {
            return (int) segments.stream().filter(s -> !s.startsWith("{")).count();
        }

        boolean greedy() {
            return !segments.isEmpty() && segments.get(segments.size() - 1).endsWith("+}");
        }

        /** The resource as REST API names it: /items/{id}. */
        String resource() {
            return "/" + String.join("/", segments);
        }
    }

    record WsRoute(String key, String function) {}

    record Match(Route route, Map<String, String> pathParameters) {}

    final List<Route> http = new ArrayList<>();
    final List<Route> rest = new ArrayList<>();
    final List<Route> alb = new ArrayList<>();
    String restStage = "dev";
    final Map<String, String> ws = new LinkedHashMap<>();
    String wsStage = "dev";
    String routeSelectionExpression = "$request.body.action";
    final Set<String> manageConnections = new LinkedHashSet<>();
    final Path file;

    private RouteTable(Path file) {
        this.file = file;
    }

    static RouteTable empty() {
        return new RouteTable(null);
    }

    /** Reads app.json; a malformed file or route is a usage error naming the file and the route. */
    static RouteTable read(Path file) {
        RouteTable t = new RouteTable(file);
        JsonObject app;
        try {
            JsonValue v = Json.parse(Files.readString(file));
            if (!v.isObject()) throw new Cli.UserError(ExitCode.USAGE, file + " is not a JSON object (docs/reference/app.md describes it)");
            app = v.asObject();
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
        } catch (com.eclipsesource.json.ParseException e) {
            throw new Cli.UserError(ExitCode.USAGE, file + " is not JSON: " + e.getMessage());
        }
        t.httpRoutes(app, "httpApi", Front.HTTP_API, t.http);
        t.httpRoutes(app, "restApi", Front.REST_API, t.rest);
        t.httpRoutes(app, "alb", Front.ALB, t.alb);
        JsonObject rest = object(app, "restApi", file);
        if (rest != null) t.restStage = string(rest, "stage", "dev", file);
        JsonObject w = object(app, "webSocketApi", file);
        if (w != null) {
            t.wsStage = string(w, "stage", "dev", file);
            t.routeSelectionExpression = string(w, "routeSelectionExpression", "$request.body.action", file);
            if (!t.routeSelectionExpression.startsWith("$request.body.")) {
                throw new Cli.UserError(ExitCode.USAGE, file + ": webSocketApi.routeSelectionExpression '" + t.routeSelectionExpression
                        + "': the gateway evaluates $request.body.NAME (a JSON property of the message), as the service does for most APIs");
            }
            for (JsonValue r : array(w, "routes", file)) {
                JsonObject o = r.asObject();
                t.ws.put(string(o, "route", null, file), string(o, "function", null, file));
            }
            JsonValue mc = w.get("manageConnections");
            if (mc != null) for (JsonValue f : mc.asArray()) t.manageConnections.add(f.asString());
        }
        return t;
    }

    private void httpRoutes(JsonObject app, String key, Front front, List<Route> into) {
        JsonObject api = object(app, key, file);
        if (api == null) return;
        for (JsonValue r : array(api, "routes", file)) {
            if (!r.isObject()) throw new Cli.UserError(ExitCode.USAGE, file + ": " + key + ".routes holds " + r + ", not a route object");
            JsonObject o = r.asObject();
            String routeKey = string(o, "route", null, file), function = string(o, "function", null, file);
            String version = string(o, "payloadFormatVersion", front == Front.HTTP_API ? "2.0" : "1.0", file);
            if (front == Front.HTTP_API && !version.equals("2.0") && !version.equals("1.0")) {
                throw new Cli.UserError(ExitCode.USAGE, file + ": route '" + routeKey + "': payloadFormatVersion is \"2.0\" or \"1.0\", not \"" + version + "\"");
            }
            into.add(parse(front, routeKey, function, version, file));
        }
    }

    static Route parse(Front front, String key, String function, String version, Path file) {
        if (key.equals("$default")) return new Route(front, key, "ANY", List.of(), function, version);
        String[] mp = key.split(" ", 2);
        if (mp.length != 2 || !mp[1].startsWith("/") || !mp[0].matches("ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS")) {
            throw new Cli.UserError(ExitCode.USAGE, file + ": route '" + key + "' is not \"METHOD /path\" (GET, POST, ..., ANY) or \"$default\"");
        }
        List<String> segs = new ArrayList<>();
        for (String s : mp[1].substring(1).split("/")) if (!s.isEmpty()) segs.add(s);
        for (int i = 0; i < segs.size(); i++) {
            if (segs.get(i).endsWith("+}") && i != segs.size() - 1) {
                throw new Cli.UserError(ExitCode.USAGE, file + ": route '" + key + "': a greedy {name+} parameter must be the last segment");
            }
        }
        return new Route(front, key, mp[0], segs, function, version);
    }

    /** The best route for method and path (decoded segments), or null. */
    static Match find(List<Route> routes, String method, List<String> path) {
        Match best = null;
        Route dflt = null;
        for (Route r : routes) {
            if (r.isDefault()) {
                dflt = r;
                continue;
            }
            Map<String, String> p = r.match(method, path);
            if (p == null) continue;
            if (best == null || better(r, best.route())) best = new Match(r, p);
        }
        if (best == null && dflt != null) best = new Match(dflt, Map.of());
        return best;
    }

    private static boolean better(Route a, Route b) {
        if (a.literals() != b.literals()) return a.literals() > b.literals();
        if (a.greedy() != b.greedy()) return !a.greedy();
        if (a.segments().size() != b.segments().size()) return a.segments().size() > b.segments().size();
        return !a.method().equals("ANY") && b.method().equals("ANY");
    }

    /** Every function a route names. */
    Set<String> functions() {
        Set<String> s = new LinkedHashSet<>();
        for (Collection<Route> c : List.of(http, rest, alb)) c.forEach(r -> s.add(r.function()));
        s.addAll(ws.values());
        s.addAll(manageConnections);
        return s;
    }

    private static JsonObject object(JsonObject o, String key, Path file) {
        JsonValue v = o.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw new Cli.UserError(ExitCode.USAGE, file + ": \"" + key + "\" is not an object");
        return v.asObject();
    }

    private static List<JsonValue> array(JsonObject o, String key, Path file) {
        JsonValue v = o.get(key);
        if (v == null) return List.of();
        if (!v.isArray()) throw new Cli.UserError(ExitCode.USAGE, file + ": \"" + key + "\" is not an array");
        return v.asArray().values();
    }

    private static String string(JsonObject o, String key, String dflt, Path file) {
        JsonValue v = o.get(key);
        if (v == null && dflt != null) return dflt;
        if (v == null || !v.isString()) throw new Cli.UserError(ExitCode.USAGE, file + ": " + o + " needs \"" + key + "\" (a string)");
        return v.asString();
    }
}
