import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A Cargo workspace as `cargo metadata --no-deps` describes it: its root, target folder and functions. */
final class Workspace {
    /** A Lambda function: one bin target of a workspace member. */
    record Function(String name, String pkg) {}

    final Path root;
    final Path targetDir;
    /** The package that manifest belongs to when it is a member's own, else null. */
    final String manifestPackage;
    final List<Function> functions;
    final List<String> packages;
    /** Each member package's folder (its Cargo.toml's), by package name. */
    final Map<String, Path> packageDirs;
    /** Each member's [package.metadata] as cargo metadata gives it (JSON null when there is none), by package name. */
    final Map<String, JsonValue> packageMetadata;
    /** [workspace.metadata] (JSON null when there is none). */
    final JsonValue workspaceMetadata;
    /** What cargo metadata printed, as it printed it: a repeated no-op build (Replay) checks a fresh answer against it. */
    final String metadataJson;

    private Workspace(Path root, Path targetDir, String manifestPackage, List<Function> functions, List<String> packages,
                      Map<String, Path> packageDirs, Map<String, JsonValue> packageMetadata, JsonValue workspaceMetadata, String metadataJson) {
        this.metadataJson = metadataJson;
        this.packageDirs = packageDirs;
        this.packageMetadata = packageMetadata;
        this.workspaceMetadata = workspaceMetadata;
        this.root = root;
        this.targetDir = targetDir;
        this.manifestPackage = manifestPackage;
        this.functions = functions;
        this.packages = packages;
    }

    /** The manifest to use: --manifest-path as given, else Cargo.toml in cwd or the nearest folder above (as cargo finds it). */
    static Path findManifest(Path manifestPath, Path cwd) {
        if (manifestPath != null) {
            Path m = cwd.resolve(manifestPath).normalize();
            if (Files.isDirectory(m)) m = m.resolve("Cargo.toml");
            if (!Files.isRegularFile(m)) {
                throw new Cli.UserError(ExitCode.USAGE, "no Cargo.toml at " + manifestPath + " (--manifest-path takes the path of a Cargo.toml)");
            }
            return m;
        }
        for (Path d = cwd.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path m = d.resolve("Cargo.toml");
            if (Files.isRegularFile(m)) return m;
        }
        throw new Cli.UserError(ExitCode.USAGE, "no Cargo.toml in " + cwd.toAbsolutePath().normalize()
                + " or any folder above it: run this inside a Cargo workspace, or pass --manifest-path PATH/Cargo.toml");
    }

    /** The cargo metadata call a workspace is read with (run in the manifest's folder). */
    static List<String> metadataCommand(Path manifest) {
        return List.of("cargo", "metadata", "--format-version", "1", "--no-deps", "--manifest-path", manifest.toString());
    }

    /** runner: where cargo metadata runs (the container build may run it in its container). */
    static Workspace load(Path manifest, Map<String, String> env, UnaryOperator<List<String>> runner) {
        List<String> cmd = runner.apply(metadataCommand(manifest));
        Exec.Result r = Exec.capture(manifest.getParent(), cmd, env, 300);
        if (r.exit != 0) {
            throw new Cli.UserError(ExitCode.USAGE, "cargo metadata failed for " + manifest + ": " + lastErrorLine(r.err));
        }
        return parse(manifest, r.out);
    }

    /** The workspace that `cargo metadata --format-version 1 --no-deps --manifest-path manifest` printed. */
    static Workspace parse(Path manifest, String metadataJson) {
        JsonObject meta = Json.parse(metadataJson).asObject();
        Path root = Path.of(meta.getString("workspace_root", manifest.getParent().toString()));
        Path target = Path.of(meta.getString("target_directory", root.resolve("target").toString()));
        Set<String> members = new HashSet<>();
        for (JsonValue v : meta.get("workspace_members").asArray()) members.add(v.asString());
        List<Function> functions = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        String manifestPackage = null;
        Map<String, Path> dirs = new java.util.LinkedHashMap<>();
        Map<String, JsonValue> pkgMeta = new java.util.LinkedHashMap<>();
        for (JsonValue pv : meta.get("packages").asArray()) {
            JsonObject p = pv.asObject();
            if (!members.contains(p.getString("id", ""))) continue;
            String name = p.getString("name", "?");
            packages.add(name);
            Path pm = Path.of(p.getString("manifest_path", ""));
            dirs.put(name, pm.getParent());
            pkgMeta.put(name, p.get("metadata") == null ? Json.NULL : p.get("metadata"));
            if (pm.normalize().equals(manifest.normalize()) && !pm.getParent().equals(root)) manifestPackage = name;
            for (JsonValue tv : p.get("targets").asArray()) {
                JsonObject t = tv.asObject();
                for (JsonValue k : t.get("kind").asArray()) {
                    if (k.asString().equals("bin")) functions.add(new Function(t.getString("name", "?"), name));
                }
            }
        }
        return new Workspace(root, target, manifestPackage, List.copyOf(functions), List.copyOf(packages),
                java.util.Collections.unmodifiableMap(dirs), java.util.Collections.unmodifiableMap(pkgMeta),
                meta.get("metadata") == null ? Json.NULL : meta.get("metadata"), metadataJson);
    }

    /** cargo's own words for what went wrong: its last `error:` line, else its last line. */
    static String lastErrorLine(String stderr) {
        String last = "(no output)";
        for (String line : stderr.split("\\R")) {
            if (line.isBlank()) continue;
            if (line.startsWith("error")) return line.trim();
            last = line.trim();
        }
        return last;
    }
}
