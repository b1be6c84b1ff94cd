import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of <lambda dir>/manifest.json in Java (manifest-diff, and the build keeping entries it did not
 * rebuild). Its shape is docs/reference/manifest.schema.json; a manifest of a newer schema_version is refused
 * rather than half understood. A manifest without schema_version is one written before it existed (read as 1:
 * the fields are the same).
 */
final class ManifestReader {
    static final int SCHEMA_VERSION = 1;

    private ManifestReader() {}

    /** A manifest file's document; null when the file is missing and missingIsNull. Errors are one line (exit 2). */
    static JsonObject read(Path file, String which, boolean missingIsNull) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (missingIsNull) return null;
            throw new Cli.UserError(ExitCode.USAGE, which + " manifest not found: " + file
                    + ("OLD".equals(which) ? " (nothing deployed yet? --allow-missing-old treats every function as added)" : ""));
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.USAGE, "cannot read " + which + " manifest " + file + ": " + e.getMessage());
        }
        return parse(text, which + " " + file + " is not a build-lambda manifest: ");
    }

    /** The document, checked for what every reader relies on; `notOne` starts each error line. */
    static JsonObject parse(String text, String notOne) {
        JsonValue doc;
        try {
            doc = Json.parse(text);
        } catch (ParseException e) {
            throw new Cli.UserError(ExitCode.USAGE, notOne + "not JSON (" + e.getMessage() + ")");
        }
        if (!doc.isObject()) throw new Cli.UserError(ExitCode.USAGE, notOne + "no \"functions\" array");
        JsonValue v = doc.asObject().get("schema_version");
        if (v != null && (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() < 1)) {
            throw new Cli.UserError(ExitCode.USAGE, notOne + "\"schema_version\" is " + v + ", not a whole number from 1");
        }
        if (v != null && v.asInt() > SCHEMA_VERSION) {
            throw new Cli.UserError(ExitCode.USAGE, notOne + "its schema_version is " + v.asInt() + ", this one reads "
                    + SCHEMA_VERSION + " (update these scripts)");
        }
        JsonValue fs = doc.asObject().get("functions");
        if (fs == null || !fs.isArray()) throw new Cli.UserError(ExitCode.USAGE, notOne + "no \"functions\" array");
        return doc.asObject();
    }

    /** The functions, then the extensions (an older manifest may have no "extensions"). */
    static List<JsonValue> entries(JsonObject doc) {
        List<JsonValue> out = new ArrayList<>(doc.get("functions").asArray().values());
        JsonValue xs = doc.get("extensions");
        if (xs != null && xs.isArray()) out.addAll(xs.asArray().values());
        return out;
    }
}
