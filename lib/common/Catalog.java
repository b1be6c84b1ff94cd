import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** This project's jbang-catalog.json as a user's command finds it, and the jbang to run its aliases with. */
final class Catalog {
    private Catalog() {}

    /** --catalog, else the nearest jbang-catalog.json defining every alias, above cwd, then above the manifest. */
    static Path dir(Path given, Path cwd, Path manifest, List<String> aliases) {
        if (given != null) {
            Path d = cwd.resolve(given).normalize();
            if (!defines(d.resolve("jbang-catalog.json"), aliases)) {
                throw new Cli.UserError(ExitCode.USAGE, "no jbang-catalog.json in " + d + " defining " + String.join(", ", aliases) + " (--catalog)");
            }
            return d;
        }
        List<Path> starts = new ArrayList<>(List.of(cwd));
        if (manifest != null) starts.add(cwd.resolve(manifest).normalize().getParent());
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (defines(d.resolve("jbang-catalog.json"), aliases)) return d;
            }
        }
        throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "no jbang-catalog.json defining " + String.join(", ", aliases) + " in " + cwd
                + " or above" + (manifest != null ? " (nor above " + manifest + ")" : "")
                + ": run from the folder holding the build scripts' catalog, or pass --catalog DIR");
    }

    private static boolean defines(Path catalog, List<String> aliases) {
        if (!Files.isRegularFile(catalog)) return false;
        try {
            JsonValue a = Json.parse(Files.readString(catalog)).asObject().get("aliases");
            return a != null && a.isObject() && aliases.stream().allMatch(n -> a.asObject().get(n) != null);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** jbang on PATH, else the catalog's own ./jbang wrapper. */
    static String jbang(Path catalogDir, Map<String, String> env) {
        if (Exec.which("jbang", env).isPresent()) return "jbang";
        Path wrapper = catalogDir.resolve("jbang");
        if (Files.isExecutable(wrapper)) return wrapper.toString();
        throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "jbang not found on PATH and no ./jbang wrapper in " + catalogDir
                + ": install JBang (https://www.jbang.dev/download/)");
    }
}
