import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tables of app.json (docs/reference/app.md), the same file the CDK app deploys: each table's id (its
 * name locally), the variable that carries its name, its partition key, and the functions that use it.
 * Also the functions that post to WebSocket connections (webSocketApi.manageConnections).
 */
record AppTables(Path file, List<Table> tables, Set<String> manageConnections) {
    record Table(String id, String env, String keyName, String keyType, Set<String> functions) {}

    static final AppTables NONE = new AppTables(null, List.of(), Set.of());

    static AppTables read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.USAGE, "cannot read the app definition " + file + ": " + e.getMessage());
        }
        try {
            JsonObject app = Json.parse(text).asObject();
            List<Table> tables = new ArrayList<>();
            JsonValue ts = app.get("tables");
            for (JsonValue v : ts == null ? List.<JsonValue>of() : ts.asArray().values()) {
                JsonObject t = v.asObject();
                JsonObject key = t.get("partitionKey").asObject();
                Set<String> fns = new LinkedHashSet<>(names(t.get("readWrite")));
                fns.addAll(names(t.get("read")));
                tables.add(new Table(t.get("id").asString(), t.get("env").asString(), key.get("name").asString(), key.get("type").asString(), fns));
            }
            JsonValue ws = app.get("webSocketApi");
            Set<String> manage = new LinkedHashSet<>(ws == null ? List.of() : names(ws.asObject().get("manageConnections")));
            return new AppTables(file, List.copyOf(tables), manage);
        } catch (RuntimeException e) {
            throw new Cli.UserError(ExitCode.USAGE, file + " is not an app definition (docs/reference/app.md): " + e.getMessage());
        }
    }

    private static List<String> names(JsonValue v) {
        List<String> r = new ArrayList<>();
        if (v != null) for (JsonValue n : v.asArray().values()) r.add(n.asString());
        return r;
    }
}
