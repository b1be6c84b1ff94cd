import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * cargo-lambda's tables in Cargo.toml, as cargo metadata hands them over: [workspace|package.metadata.lambda]
 * and [workspace|package.metadata.lambda.bin.NAME], each holding `build` (the build's settings, LambdaMetadata)
 * and `env` (the function's environment variables, CargoEnv), and cargo-lambda's `deploy` and `watch`, which
 * nothing here reads. One reader for all of them: {@link #forFunction} finds one section's tables for a function,
 * strongest first, and refuses a key cargo-lambda does not know at either level (a misspelt `[..lambda.evn]`
 * silently ignored would change what the function gets).
 */
final class LambdaTables {
    /** The keys of [*.metadata.lambda]. */
    static final Set<String> TOP = new TreeSet<>(List.of("bin", "build", "deploy", "env", "watch"));
    /** The keys of [*.metadata.lambda.bin.NAME]. */
    static final Set<String> PER_BIN = new TreeSet<>(List.of("build", "deploy", "env", "watch"));

    private LambdaTables() {}

    /** One table: where it is (for messages), the folder its paths start from, its keys. */
    record Table(String where, Path base, JsonObject keys) {}

    /**
     * The `section` tables (build, env, ...) that apply to a function, strongest first: its package's bin table,
     * its package's, the workspace's bin table, the workspace's. Absent tables are left out.
     */
    static List<Table> forFunction(Workspace ws, Workspace.Function f, String section) {
        List<Table> out = new ArrayList<>();
        Path pkgDir = ws.packageDirs.get(f.pkg());
        String pkgWhere = "of package " + f.pkg() + " (" + pkgDir.resolve("Cargo.toml") + ")";
        String wsWhere = "of the workspace (" + ws.root.resolve("Cargo.toml") + ")";
        JsonObject pkg = lambda(ws.packageMetadata.get(f.pkg()), "package", pkgWhere);
        JsonObject wsl = lambda(ws.workspaceMetadata, "workspace", wsWhere);
        add(out, bin(pkg, f.name()), section, "[package.metadata.lambda.bin." + f.name() + "." + section + "] " + pkgWhere, pkgDir);
        add(out, pkg, section, "[package.metadata.lambda." + section + "] " + pkgWhere, pkgDir);
        add(out, bin(wsl, f.name()), section, "[workspace.metadata.lambda.bin." + f.name() + "." + section + "] " + wsWhere, ws.root);
        add(out, wsl, section, "[workspace.metadata.lambda." + section + "] " + wsWhere, ws.root);
        return out;
    }

    /** metadata.lambda checked (a table with cargo-lambda's keys), or null when there is none. */
    private static JsonObject lambda(JsonValue metadata, String level, String of) {
        if (metadata == null || !metadata.isObject()) return null;
        JsonValue v = metadata.asObject().get("lambda");
        if (v == null || v.isNull()) return null;
        String where = "[" + level + ".metadata.lambda] " + of;
        JsonObject t = table(v, where);
        checkKeys(t, TOP, where);
        JsonValue bins = t.get("bin");
        if (bins != null) {
            for (JsonObject.Member m : table(bins, "[" + level + ".metadata.lambda.bin] " + of)) {
                String w = "[" + level + ".metadata.lambda.bin." + m.getName() + "] " + of;
                checkKeys(table(m.getValue(), w), PER_BIN, w);
            }
        }
        return t;
    }

    private static JsonObject bin(JsonObject lambda, String name) {
        if (lambda == null || lambda.get("bin") == null) return null;
        JsonValue b = lambda.get("bin").asObject().get(name);
        return b == null ? null : b.asObject();
    }

    private static void add(List<Table> out, JsonObject holder, String section, String where, Path base) {
        if (holder == null) return;
        JsonValue v = holder.get(section);
        if (v == null || v.isNull()) return;
        out.add(new Table(where, base, table(v, where)));
    }

    private static JsonObject table(JsonValue v, String where) {
        if (!v.isObject()) throw new Cli.UserError(ExitCode.USAGE, where + " must be a table, not " + v);
        return v.asObject();
    }

    private static void checkKeys(JsonObject t, Set<String> known, String where) {
        for (String k : t.names()) {
            if (!known.contains(k)) {
                throw new Cli.UserError(ExitCode.USAGE, "unknown key '" + k + "' in " + where + ": the keys there are "
                        + String.join(", ", known) + " (docs/reference/cargo-metadata.md); fix or remove it");
            }
        }
    }
}
