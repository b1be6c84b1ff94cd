import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The checksums Cargo.lock records for registry crates, by "name@version". Cargo writes this file itself, in one
 * fixed shape ([[package]] tables of `key = "value"` lines), and nothing else here needs TOML: a line reader
 * suffices, and a file it cannot read only leaves the SBOM without checksums.
 */
final class CargoLock {
    private CargoLock() {}

    static Map<String, String> checksums(Path lock) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(lock)) return out;
        String name = null, version = null, checksum = null;
        try {
            for (String line : Files.readAllLines(lock)) {
                String l = line.strip();
                if (l.startsWith("[")) {
                    put(out, name, version, checksum);
                    name = version = checksum = null;
                } else if (l.startsWith("name = ")) {
                    name = value(l);
                } else if (l.startsWith("version = ")) {
                    version = value(l);
                } else if (l.startsWith("checksum = ")) {
                    checksum = value(l);
                }
            }
        } catch (IOException e) {
            return out;
        }
        put(out, name, version, checksum);
        return out;
    }

    private static void put(Map<String, String> out, String name, String version, String checksum) {
        if (name != null && version != null && checksum != null) out.put(name + "@" + version, checksum);
    }

    private static String value(String line) {
        int a = line.indexOf('"'), b = line.lastIndexOf('"');
        return a >= 0 && b > a ? line.substring(a + 1, b) : null;
    }
}
