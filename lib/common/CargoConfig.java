import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cargo's config files as cargo finds them for a folder: .cargo/config.toml (or .cargo/config) in it
 * and in every folder above, then in CARGO_HOME; nearest first. Read as text: the few keys this project
 * asks about are found with a line scan, as people write them.
 */
final class CargoConfig {
    private CargoConfig() {}

    static List<Path> files(Path dir, Map<String, String> env) {
        return candidates(dir, env).stream().filter(Files::isRegularFile).toList();
    }

    /** Every file cargo would read as config for a folder, whether it is there or not, nearest first. */
    static List<Path> candidates(Path dir, Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            files.add(d.resolve(".cargo/config.toml"));
            files.add(d.resolve(".cargo/config"));
        }
        Path home = RustHomes.cargo(env);
        files.add(home.resolve("config.toml"));
        files.add(home.resolve("config"));
        return files.stream().distinct().toList();
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Whether a config text sets rustflags for this target: `[target.<triple>]` or `[target.'cfg(...)']` with a
     * rustflags key, or a dotted `target.<...>.rustflags`. (cargo then ignores [build] rustflags.)
     */
    static boolean setsTargetRustflags(String toml, String triple) {
        String table = "";
        for (String raw : toml.split("\\R")) {
            String line = raw.replaceFirst("#.*$", "").trim();
            if (line.startsWith("[")) {
                table = line.replaceAll("^\\[+|\\]+$", "").replace("\"", "'").trim();
                continue;
            }
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim().replace("\"", "'") : "";
            String full = table.isEmpty() ? key : table + "." + key;
            if (full.endsWith(".rustflags") && (full.startsWith("target." + triple + ".") || full.startsWith("target.'" + triple + "'.")
                    || full.startsWith("target.'cfg("))) {
                return true;
            }
        }
        return false;
    }
}
