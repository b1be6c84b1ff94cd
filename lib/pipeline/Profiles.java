import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the workspace already decides a profile setting. Cargo's default release profile keeps
 * .symtab ("not stripped"), so unless the user chose, the build asks for strip = "symbols" (and
 * --tune for lto and codegen-units). Profiles
 * are read from the root Cargo.toml only (cargo ignores them in members), following `inherits`.
 * A line scan is enough for the `[profile.NAME]` tables and `profile.NAME.strip` keys people write.
 */
final class Profiles {
    private Profiles() {}

    static String envName(String profile, String key) {
        return "CARGO_PROFILE_" + (profile + "_" + key).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * CARGO_PROFILE_<PROFILE>_<KEY>=value, or null when the root Cargo.toml's profile (or one it
     * inherits; profiles as read()) or the environment already sets that key: the workspace's choice wins.
     */
    static Map.Entry<String, String> defaultSetting(Map<String, Map<String, String>> profiles, String profile, Map<String, String> env,
                                                    String key, String value) {
        String name = envName(profile, key);
        if (env.containsKey(name)) return null;
        String p = profile;
        for (int depth = 0; p != null && depth < 8; depth++) {
            Map<String, String> keys = profiles.getOrDefault(p, Map.of());
            if (keys.containsKey(key)) return null;
            if (env.containsKey(envName(p, key))) return null;
            p = keys.containsKey("inherits") ? keys.get("inherits") : (p.equals("bench") ? "release" : p.equals("test") ? "dev" : null);
        }
        return Map.entry(name, value);
    }

    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*profile\\.\"?([A-Za-z0-9_-]+)\"?\\s*]\\s*(#.*)?$");
    private static final Pattern OTHER_TABLE = Pattern.compile("^\\s*\\[.*$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\"-]+)\\s*=\\s*(.*?)\\s*(#.*)?$");

    /** The root manifest's profiles and those of cargo config files (a key set in either counts as set). */
    static Map<String, Map<String, String>> read(Path manifest, List<String> configTexts) {
        Map<String, Map<String, String>> out = read(manifest);
        for (String text : configTexts) {
            readText(text).forEach((profile, keys) -> out.computeIfAbsent(profile, x -> new HashMap<>()).putAll(keys));
        }
        return out;
    }

    static Map<String, Map<String, String>> read(Path manifest) {
        try {
            return readText(Files.readString(manifest));
        } catch (IOException e) {
            return new HashMap<>();
        }
    }

    static Map<String, Map<String, String>> readText(String text) {
        Map<String, Map<String, String>> out = new HashMap<>();
        List<String> lines = text.lines().toList();
        String current = null;
        boolean inProfileRoot = false;
        for (String line : lines) {
            Matcher t = TABLE.matcher(line);
            if (t.matches()) {
                current = t.group(1);
                inProfileRoot = false;
                continue;
            }
            if (OTHER_TABLE.matcher(line).matches()) {
                current = null;
                inProfileRoot = line.trim().matches("\\[\\s*profile\\s*]");
                continue;
            }
            Matcher k = KEY.matcher(line);
            if (!k.matches()) continue;
            String key = k.group(1).replace("\"", "");
            String value = k.group(2).replace("\"", "").trim();
            if (current != null) {
                out.computeIfAbsent(current, x -> new HashMap<>()).put(key, value);
            } else if (key.startsWith("profile.") || inProfileRoot) {
                // profile.release.strip = true, or under [profile]: release.strip = true / release = { strip = true }
                String rest = key.startsWith("profile.") ? key.substring(8) : key;
                String[] parts = rest.split("\\.", 2);
                Map<String, String> m = out.computeIfAbsent(parts[0], x -> new HashMap<>());
                if (parts.length == 2) m.put(parts[1], value);
                else for (String kv : value.replaceAll("[{}]", "").split(",")) {
                    String[] e = kv.split("=", 2);
                    if (e.length == 2) m.put(e[0].trim(), e[1].trim());
                }
            }
        }
        return out;
    }
}
