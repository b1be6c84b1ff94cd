import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build settings kept in Cargo.toml as cargo-lambda keeps them: [workspace.metadata.lambda.build],
 * [package.metadata.lambda.build], and per binary [workspace|package.metadata.lambda.bin.NAME.build]
 * (found by LambdaTables, which also refuses an unknown key beside `build`). The keys this build applies are read and type-checked; a key
 * cargo-lambda knows that this build does not apply is a warning (a migrating workspace still builds); any
 * other key is an error, because a misspelt key silently ignored changes what is deployed.
 */
final class LambdaMetadata {
    static final Set<String> APPLIED = new TreeSet<>(List.of("include", "arm64", "x86_64", "target", "extension", "internal",
            "output_format", "lambda_dir", "profile", "release", "disable_optimizations"));
    /** cargo-lambda's other build keys (its own, and cargo's options it accepts there). */
    static final Set<String> NOT_APPLIED = new TreeSet<>(List.of("flatten", "compiler", "skip_target_check", "env_var", "env_file",
            "manifest_path", "bins", "bin", "examples", "example", "all_targets", "packages", "package", "workspace", "exclude",
            "tests", "test", "benches", "bench", "lib", "all", "features", "all_features", "no_default_features", "jobs",
            "keep_going", "target_dir", "message_format", "verbose", "quiet", "color", "frozen", "locked", "offline", "config",
            "unstable_flags", "timings", "ignore_rust_version", "unit_graph", "out_dir", "artifact_dir", "build_plan",
            "future_incompat_report"));

    private LambdaMetadata() {}

    /** One [..lambda.build] table: where it is (for messages), the folder its paths start from, its keys. */
    record Table(String where, Path base, JsonObject keys) {
        Boolean bool(String key) {
            JsonValue v = keys.get(key);
            if (v == null) return null;
            if (!v.isBoolean()) throw wrongType(key, "true or false");
            return v.asBoolean();
        }

        String string(String key) {
            JsonValue v = keys.get(key);
            if (v == null) return null;
            if (!v.isString() || v.asString().isEmpty()) throw wrongType(key, "a string");
            return v.asString();
        }

        List<String> strings(String key) {
            JsonValue v = keys.get(key);
            if (v == null) return null;
            if (!v.isArray()) throw wrongType(key, "a list of strings, e.g. [\"config.json\"]");
            List<String> out = new ArrayList<>();
            for (JsonValue s : v.asArray()) {
                if (!s.isString()) throw wrongType(key, "a list of strings, e.g. [\"config.json\"]");
                out.add(s.asString());
            }
            return out;
        }

        /** output_format: true for zip, false for binary, null when unset. */
        Boolean zip() {
            String f = string("output_format");
            if (f == null) return null;
            return switch (f.toLowerCase(Locale.ROOT)) {
                case "zip" -> true;
                case "binary" -> false;
                default -> throw wrongType("output_format", "\"zip\" or \"binary\"");
            };
        }

        /** The arches arm64 / x86_64 ask for (both true: both), or null when neither is set. */
        List<String> arches() {
            List<String> a = new ArrayList<>();
            if (Boolean.TRUE.equals(bool("arm64"))) a.add("arm64");
            if (Boolean.TRUE.equals(bool("x86_64"))) a.add("x86_64");
            if (!a.isEmpty() && string("target") != null) {
                throw new Cli.UserError(ExitCode.USAGE, where + " sets both target and " + String.join("/", a)
                        + ": keep one (target names a triple, arm64 and x86_64 an arch)");
            }
            return a.isEmpty() ? null : a;
        }

        private Cli.UserError wrongType(String key, String want) {
            return new Cli.UserError(ExitCode.USAGE, key + " in " + where + " must be " + want + ", not " + keys.get(key));
        }
    }

    /** The tables that apply to a function, strongest first: its package's bin section, its package's, the workspace's bin section, the workspace's. */
    static List<Table> forFunction(Workspace ws, Workspace.Function f) {
        return LambdaTables.forFunction(ws, f, "build").stream().map(t -> new Table(t.where(), t.base(), t.keys())).toList();
    }

    /**
     * A table's keys and values checked: an unknown key or a value of the wrong type is an error; the warnings
     * name the cargo-lambda keys not applied.
     */
    static List<String> check(Table t) {
        List<String> ignored = new ArrayList<>();
        for (String k : t.keys().names()) {
            if (APPLIED.contains(k)) continue;
            if (NOT_APPLIED.contains(k)) {
                ignored.add(k);
                continue;
            }
            throw new Cli.UserError(ExitCode.USAGE, "unknown key '" + k + "' in " + t.where() + ": the keys read there are "
                    + String.join(", ", APPLIED) + " (docs/guides/migrating-from-cargo-lambda.md); fix or remove it");
        }
        // Every value is checked now, also where a nearer table or a flag will win: a wrong one is wrong anywhere.
        for (String k : List.of("arm64", "x86_64", "extension", "internal", "release", "disable_optimizations")) t.bool(k);
        for (String k : List.of("target", "profile", "lambda_dir")) t.string(k);
        t.zip();
        t.arches();
        List<String> include = t.strings("include");
        if (include != null) include.forEach(i -> Include.parse(i, t.base(), "include in " + t.where()));
        if (ignored.isEmpty()) return List.of();
        return List.of(t.where() + ": " + String.join(", ", ignored) + (ignored.size() == 1 ? " is a cargo-lambda setting" : " are cargo-lambda settings")
                + " this build does not apply (docs/guides/migrating-from-cargo-lambda.md)");
    }
}
