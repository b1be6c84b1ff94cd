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

    /** One function's object; paths relative to the manifest's folder. */
    static String entry(Workspace.Function f, Target target, ElfInfo info, String bootstrapRel, String sha,
                        String zipRel, long zipSize, String zipSha) {
        Object zip = zipRel == null ? null : new Json.Obj().put("path", zipRel).put("size", zipSize).put("sha256", zipSha);
        return new Json.Obj().put("name", f.name).put("package", f.pkg).put("arch", info.arch()).put("target", target.triple)
                .put("bootstrap", bootstrapRel).put("size", info.size).put("sha256", sha).put("zip", zip)
                .put("linkage", info.linkage).put("stripped", info.stripped).toString();
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
        Json.Obj t = new Json.Obj();
        tools.forEach(t::put);
        return new Json.Obj().put("functions", new Json.Raw(Json.array(entries))).put("tools", t) + "\n";
    }
}
