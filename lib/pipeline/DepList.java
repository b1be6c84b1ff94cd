import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;

/**
 * The `.dep-v0` section cargo-auditable would have linked in, written by the build itself where cargo-auditable
 * does not run: under sccache (which refuses cargo-auditable as the workspace crates' compiler), without it on
 * PATH, and in the container build (whose image has none). The list is
 * cargo-auditable's format (zlib-compressed JSON: name, version, source, kind "build" for build scripts' and proc
 * macros' crates, dependency indices, the root), from the same source it uses: `cargo metadata` for the target's
 * platform with the build's feature flags, walked from the binary's package without dev-dependencies.
 */
final class DepList {
    static final String SECTION = ".dep-v0";

    private DepList() {}

    /** Writes the lists of a build's binaries, one `cargo metadata` per target triple. */
    static final class Writer {
        private final Workspace ws;
        private final Map<String, String> env;
        private final List<String> featureArgs;
        private final UnaryOperator<List<String>> runner;
        private final Map<String, JsonObject> metadata = new HashMap<>();

        /** runner: where cargo metadata runs (the container build's runs in its image when the host has no cargo). */
        Writer(Workspace ws, Map<String, String> env, List<String> cargoArgs, UnaryOperator<List<String>> runner) {
            this.ws = ws;
            this.env = env;
            this.featureArgs = featureArgs(cargoArgs);
            this.runner = runner;
        }

        /** Adds the section to binary, cargo's output of package pkg for triple. */
        void embed(Path binary, String pkg, String triple) {
            JsonObject meta = metadata.computeIfAbsent(triple, t -> {
                List<String> cmd = new ArrayList<>(List.of("cargo", "metadata", "--format-version", "1", "--offline", "--filter-platform", t,
                        "--manifest-path", ws.root.resolve("Cargo.toml").toString()));
                cmd.addAll(featureArgs);
                Exec.Result r = Exec.capture(ws.root, runner.apply(cmd), env, 300);
                if (r.exit != 0) {
                    throw new Cli.UserError(ExitCode.USAGE, "cargo metadata failed, so " + binary + " cannot be given its dependency list: "
                            + r.err.strip().lines().reduce((a, b) -> b).orElse("") + "; pass --no-sbom to build without one");
                }
                return Json.parse(r.out).asObject();
            });
            try {
                ElfAppend.section(binary, SECTION, compress(json(meta, pkg)));
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot add the dependency list to " + binary + ": " + e.getMessage()
                        + "; rebuild with --clean, or pass --no-sbom");
            }
        }
    }

    /** cargo's feature flags among the build's own cargo arguments: cargo metadata resolves with the same ones. */
    static List<String> featureArgs(List<String> cargoArgs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cargoArgs.size(); i++) {
            String a = cargoArgs.get(i);
            if (a.equals("--all-features") || a.equals("--no-default-features") || a.startsWith("--features=")) {
                out.add(a);
            } else if ((a.equals("--features") || a.equals("-F")) && i + 1 < cargoArgs.size()) {
                out.addAll(List.of("--features", cargoArgs.get(++i)));
            } else if (a.startsWith("-F") && a.length() > 2) {
                out.addAll(List.of("--features", a.substring(2)));
            }
        }
        return out;
    }

    /** The list, as cargo-auditable writes it, for the workspace package named pkg in metadata (with its resolve). */
    static String json(JsonObject metadata, String pkg) {
        Map<String, JsonObject> packages = new HashMap<>();
        String root = null;
        for (JsonValue v : metadata.get("packages").asArray()) {
            JsonObject p = v.asObject();
            packages.put(p.getString("id", ""), p);
            if (p.getString("name", "").equals(pkg) && p.get("source").isNull() && metadata.get("workspace_members").asArray().values().stream()
                    .anyMatch(m -> m.asString().equals(p.getString("id", "")))) {
                root = p.getString("id", "");
            }
        }
        if (root == null) throw new IllegalArgumentException("no workspace package " + pkg);
        Map<String, List<String[]>> edges = new HashMap<>(); // id -> {dep id, "normal"|"build"}
        for (JsonValue n : metadata.get("resolve").asObject().get("nodes").asArray()) {
            List<String[]> out = new ArrayList<>();
            for (JsonValue d : n.asObject().get("deps").asArray()) {
                boolean normal = false, build = false;
                for (JsonValue k : d.asObject().get("dep_kinds").asArray()) {
                    JsonValue kind = k.asObject().get("kind");
                    if (kind.isNull()) normal = true;
                    else if (kind.asString().equals("build")) build = true;
                }
                if (normal || build) out.add(new String[] {d.asObject().getString("pkg", ""), normal ? "normal" : "build"});
            }
            edges.put(n.asObject().getString("id", ""), out);
        }
        // A crate is a runtime crate when a runtime crate depends on it normally and it is not a proc macro.
        Set<String> runtime = new HashSet<>(), seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(root));
        runtime.add(root);
        seen.add(root);
        while (!todo.isEmpty()) {
            String id = todo.pop();
            for (String[] e : edges.getOrDefault(id, List.of())) {
                boolean rt = runtime.contains(id) && e[1].equals("normal") && !procMacro(packages.get(e[0]));
                if (rt && runtime.add(e[0])) todo.push(e[0]);
                if (seen.add(e[0])) todo.push(e[0]);
            }
        }
        List<String> ids = new ArrayList<>(seen);
        ids.sort(Comparator.comparing((String id) -> packages.get(id).getString("name", ""))
                .thenComparing((a, b) -> compareSemver(packages.get(a).getString("version", ""), packages.get(b).getString("version", "")))
                .thenComparing(id -> source(packages.get(id))));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            JsonObject p = packages.get(id);
            JsonWriter.Obj o = new JsonWriter.Obj().put("name", p.getString("name", "")).put("version", p.getString("version", ""))
                    .put("source", source(p));
            if (!runtime.contains(id)) o.put("kind", "build");
            TreeMap<Integer, Boolean> deps = new TreeMap<>();
            for (String[] e : edges.getOrDefault(id, List.of())) deps.put(index.get(e[0]), true);
            if (!deps.isEmpty()) o.put("dependencies", new JsonWriter.Raw("[" + String.join(",", deps.keySet().stream().map(String::valueOf).toList()) + "]"));
            if (id.equals(root)) o.put("root", true);
            out.add(o.toString());
        }
        return "{\"packages\":[" + String.join(",", out) + "]}";
    }

    /**
     * A package is a proc macro when all its targets are, as cargo-auditable decides it: one published with its
     * tests (tracing-attributes) counts as a runtime crate there, and so here, so that both lists agree.
     */
    private static boolean procMacro(JsonObject p) {
        if (p == null || p.get("targets").asArray().isEmpty()) return false;
        for (JsonValue t : p.get("targets").asArray()) {
            List<JsonValue> kinds = t.asObject().get("kind").asArray().values();
            if (kinds.size() != 1 || !kinds.get(0).asString().equals("proc-macro")) return false;
        }
        return true;
    }

    /** cargo-auditable's source names: crates.io, local (a path), git, registry (another one). */
    private static String source(JsonObject p) {
        JsonValue s = p.get("source");
        if (s == null || s.isNull()) return "local";
        String text = s.asString();
        if (text.equals("registry+https://github.com/rust-lang/crates.io-index") || text.equals("sparse+https://index.crates.io/")) return "crates.io";
        if (text.startsWith("git+")) return "git";
        return "registry";
    }

    /** Semantic-version order: numbers compared as numbers, a pre-release before its release. */
    static int compareSemver(String a, String b) {
        String[] x = a.split("[-+]", 2), y = b.split("[-+]", 2);
        String[] p = x[0].split("\\."), q = y[0].split("\\.");
        for (int i = 0; i < Math.max(p.length, q.length); i++) {
            long m = i < p.length ? parse(p[i]) : 0, n = i < q.length ? parse(q[i]) : 0;
            if (m != n) return Long.compare(m, n);
        }
        boolean preA = a.indexOf('-') >= 0 && (a.indexOf('+') < 0 || a.indexOf('-') < a.indexOf('+'));
        boolean preB = b.indexOf('-') >= 0 && (b.indexOf('+') < 0 || b.indexOf('-') < b.indexOf('+'));
        if (preA != preB) return preA ? -1 : 1;
        return a.compareTo(b);
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static byte[] compress(String json) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(json.getBytes(StandardCharsets.UTF_8));
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }
}
