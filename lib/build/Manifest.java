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

    /** Entries of the previous manifest for functions not built now whose bootstrap is still in place. */
    static List<String> kept(Path lambdaDir, Set<String> builtNow) {
        List<String> out = new ArrayList<>();
        Path file = lambdaDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return out;
        try {
            JsonValue v = com.eclipsesource.json.Json.parse(Files.readString(file));
            for (JsonValue e : v.asObject().get("functions").asArray()) {
                JsonObject o = e.asObject();
                String name = o.getString("name", null), boot = o.getString("bootstrap", null);
                if (name != null && boot != null && !builtNow.contains(name) && Files.isRegularFile(lambdaDir.resolve(boot))) {
                    out.add(o.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable old manifest is replaced by this build's.
        }
        return out;
    }

    static String render(List<String> entries, Map<String, String> tools) {
        JsonWriter.Obj t = new JsonWriter.Obj();
        tools.forEach(t::put);
        return new JsonWriter.Obj().put("functions", new JsonWriter.Raw(JsonWriter.array(entries))).put("tools", t) + "\n";
    }
}
