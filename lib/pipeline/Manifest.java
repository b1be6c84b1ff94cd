import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * <lambda dir>/manifest.json: what a CDK app needs to deploy the functions, with the tools that
 * built them. Functions not rebuilt this run stay listed while their bootstrap is still there.
 */
final class Manifest {
    static final String FILE = "manifest.json";

    private Manifest() {}

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entries of a manifest: functions and extensions, each a JSON object's text. */
    record Entries(List<String> functions, List<String> extensions) {}

    /**
     * Entries of the previous manifest for binaries not built now (by their path in the lambda folder, so each arch
     * and kind is its own) whose file is still in place. A function or extension built now replaces every older entry
     * of its name: one left from another layout (a single-arch build before a two-arch one) would list it twice.
     */
    static Entries kept(Path lambdaDir, Set<String> builtNow, Set<String> functionsNow, Set<String> extensionsNow) {
        Entries out = new Entries(new ArrayList<>(), new ArrayList<>());
        Path file = lambdaDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return out;
        try {
            JsonObject m = ManifestReader.parse(Files.readString(file), file + ": ");
            keep(m.get("functions"), "bootstrap", lambdaDir, builtNow, functionsNow, out.functions());
            keep(m.get("extensions"), "binary", lambdaDir, builtNow, extensionsNow, out.extensions());
        } catch (IOException | RuntimeException e) {
            // An unreadable old manifest is replaced by this build's.
        }
        return out;
    }

    private static void keep(JsonValue list, String pathKey, Path lambdaDir, Set<String> builtNow, Set<String> namesNow, List<String> out) {
        if (list == null || !list.isArray()) return;
        for (JsonValue e : list.asArray()) {
            JsonObject o = e.asObject();
            String path = o.getString(pathKey, null);
            if (path != null && !builtNow.contains(path) && !namesNow.contains(o.getString("name", "")) && Files.isRegularFile(lambdaDir.resolve(path))) {
                out.add(o.toString());
            }
        }
    }

    static String render(List<String> functions, List<String> extensions, Map<String, String> tools) {
        return render(functions, extensions, tools, null);
    }

    /** build: BuildRecord's JSON, or null (a manifest then has no "build" and cannot be reproduced). */
    static String render(List<String> functions, List<String> extensions, Map<String, String> tools, String build) {
        JsonWriter.Obj t = new JsonWriter.Obj();
        tools.forEach(t::put);
        JsonWriter.Obj m = new JsonWriter.Obj().put("schema_version", ManifestReader.SCHEMA_VERSION).put("functions", new JsonWriter.Raw(JsonWriter.array(functions)))
                .put("extensions", new JsonWriter.Raw(JsonWriter.array(extensions))).put("tools", t);
        if (build != null) m.put("build", new JsonWriter.Raw(build));
        return m + "\n";
    }
}
