import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flags the build adds to rustc's, appended to the one source cargo takes rustflags from (CARGO_ENCODED_RUSTFLAGS,
 * else RUSTFLAGS, else the target's (env or config), else [build]), never replacing what the user has there. In
 * config files that is a --config of the same key, which cargo joins after the files' array.
 */
final class RustFlags {
    private RustFlags() {}

    /** cargoArgs: --config arguments; env: variables to set (whole new values). */
    record Added(List<String> cargoArgs, Map<String, String> env) {}

    static String targetVar(Target target) {
        return "CARGO_TARGET_" + target.cargoTriple.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT) + "_RUSTFLAGS";
    }

    /** Every rustflags text the user may have set for this target: the variables, then the config files. */
    static List<String> userTexts(Target target, Map<String, String> env, List<String> configTexts) {
        List<String> all = new ArrayList<>();
        for (String v : List.of("CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS", targetVar(target), "CARGO_BUILD_RUSTFLAGS")) {
            if (env.containsKey(v)) all.add(env.get(v).replace('\u001f', ' '));
        }
        all.addAll(configTexts);
        return all;
    }

    static Added append(Target target, Map<String, String> env, List<String> configTexts, List<String> flags) {
        List<String> args = new ArrayList<>();
        Map<String, String> set = new LinkedHashMap<>();
        if (flags.isEmpty()) return new Added(args, set);
        String t = target.cargoTriple, targetVar = targetVar(target);
        boolean spaced = flags.stream().anyMatch(f -> f.chars().anyMatch(Character::isWhitespace));
        if (env.containsKey("CARGO_ENCODED_RUSTFLAGS")) {
            set.put("CARGO_ENCODED_RUSTFLAGS", encoded(List.of(env.get("CARGO_ENCODED_RUSTFLAGS")), flags));
        } else if (env.containsKey("RUSTFLAGS")) {
            // A path with a space cannot go into a space-separated RUSTFLAGS: the encoded form (which cargo prefers) carries both.
            if (spaced) set.put("CARGO_ENCODED_RUSTFLAGS", encoded(split(env.get("RUSTFLAGS")), flags));
            else set.put("RUSTFLAGS", (env.get("RUSTFLAGS") + " " + String.join(" ", flags)).trim());
        } else if (env.containsKey(targetVar) && !spaced) {
            set.put(targetVar, (env.get(targetVar) + " " + String.join(" ", flags)).trim());
        } else if (env.containsKey(targetVar)) {
            set.put("CARGO_ENCODED_RUSTFLAGS", encoded(split(env.get(targetVar)), flags));
        } else if (configTexts.stream().anyMatch(c -> CargoConfig.setsTargetRustflags(c, t))) {
            args.addAll(List.of("--config", "target.'" + t + "'.rustflags = " + tomlArray(flags)));
        } else if (env.containsKey("CARGO_BUILD_RUSTFLAGS")) {
            if (spaced) set.put("CARGO_ENCODED_RUSTFLAGS", encoded(split(env.get("CARGO_BUILD_RUSTFLAGS")), flags));
            else set.put("CARGO_BUILD_RUSTFLAGS", (env.get("CARGO_BUILD_RUSTFLAGS") + " " + String.join(" ", flags)).trim());
        } else {
            args.addAll(List.of("--config", "build.rustflags = " + tomlArray(flags)));
        }
        return new Added(args, set);
    }

    /** The FROM of every --remap-path-prefix in the user's flags (either spelling, in a TOML array or a variable). */
    static List<String> remapSources(List<String> texts) {
        Pattern p = Pattern.compile("--remap-path-prefix(?:=|[\"']?\\s*,\\s*[\"']|\\s+)([^\"'=\\s]+(?:[^\"'=]*?))=");
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            Matcher m = p.matcher(text);
            while (m.find()) out.add(m.group(1).trim());
        }
        return out;
    }

    private static List<String> split(String spaced) {
        return List.of(spaced.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
    }

    private static String encoded(List<String> before, List<String> flags) {
        List<String> all = new ArrayList<>(before.stream().filter(s -> !s.isEmpty()).toList());
        all.addAll(flags);
        return String.join("\u001f", all);
    }

    static String tomlArray(List<String> flags) {
        List<String> q = new ArrayList<>();
        for (String f : flags) q.add("\"" + f.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        return "[" + String.join(", ", q) + "]";
    }
}
