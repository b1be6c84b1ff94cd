import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the last build installed, so that a build in which cargo changed nothing does not copy, hash and zip
 * every bootstrap again: <lambda dir>/.build-state.json records, per function, the identity (size, mtime,
 * file key) of cargo's output it installed, of the installed bootstrap and zip, and their sha256. A function
 * is installed again unless all of them still match: a new output from cargo, an installed file touched by
 * anyone, a different SOURCE_DATE_EPOCH or a zip now asked for all mean a fresh install.
 */
final class BuildState {
    static final String FILE = ".build-state.json";

    private BuildState() {}

    /** A file as the file system sees it now; null when there is none. */
    record Identity(long size, long mtimeNanos, String key) {
        static Identity of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Identity(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), String.valueOf(a.fileKey()));
            } catch (IOException e) {
                return null;
            }
        }

        JsonWriter.Obj json() {
            return new JsonWriter.Obj().put("size", size).put("mtime_ns", mtimeNanos).put("key", key);
        }

        static Identity from(JsonValue v) {
            if (v == null || !v.isObject()) return null;
            JsonObject o = v.asObject();
            return new Identity(o.getLong("size", -1), o.getLong("mtime_ns", -1), o.getString("key", ""));
        }
    }

    /**
     * One installed binary, by its path in the lambda folder. zip and zipSha256 null without a zip; epoch: the
     * SOURCE_DATE_EPOCH it was zipped with; entry: the binary's name in the zip (bootstrap, extensions/NAME or NAME);
     * included: the files its includes copied next to it (lambda-folder paths); cpu: the CPU its code passed the CPU check
     * for (CpuCheck.Cpu's LLVM name), or null.
     */
    record Entry(Identity output, Identity bootstrap, String sha256, Identity zip, String zipSha256, String epoch, String entry,
                 List<String> included, String cpu) {
        String toJson() {
            return new JsonWriter.Obj().put("output", output.json()).put("bootstrap", bootstrap.json()).put("sha256", sha256)
                    .put("zip", zip == null ? null : zip.json()).put("zip_sha256", zipSha256).put("epoch", epoch)
                    .put("entry", entry).put("included", included).put("cpu", cpu).toString();
        }

        Entry withCpu(String c) {
            return new Entry(output, bootstrap, sha256, zip, zipSha256, epoch, entry, included, c);
        }

        /** Whether the installed files are still exactly what this entry says, for this output and these options. */
        boolean stillInstalled(Path output, Path bootstrap, Path zipFile, boolean wantZip, String epochNow, String entryNow) {
            if (!output().equals(Identity.of(output)) || !bootstrap().equals(Identity.of(bootstrap))) return false;
            if (!wantZip) return true;
            return zip != null && zip.equals(Identity.of(zipFile)) && java.util.Objects.equals(epoch, epochNow)
                    && java.util.Objects.equals(entry, entryNow);
        }
    }

    static Map<String, Entry> read(Path lambdaDir) {
        Map<String, Entry> out = new HashMap<>();
        try {
            JsonObject o = Json.parse(Files.readString(lambdaDir.resolve(FILE))).asObject();
            for (JsonObject.Member m : o) {
                JsonObject e = m.getValue().asObject();
                Identity output = Identity.from(e.get("output")), boot = Identity.from(e.get("bootstrap"));
                if (output == null || boot == null) continue;
                out.put(m.getName(), new Entry(output, boot, e.getString("sha256", null), Identity.from(e.get("zip")),
                        e.get("zip_sha256") != null && e.get("zip_sha256").isString() ? e.getString("zip_sha256", null) : null,
                        e.get("epoch") != null && e.get("epoch").isString() ? e.getString("epoch", null) : null,
                        e.get("entry") != null && e.get("entry").isString() ? e.getString("entry", null) : null, included(e.get("included")),
                        e.get("cpu") != null && e.get("cpu").isString() ? e.getString("cpu", null) : null));
            }
        } catch (IOException | RuntimeException e) {
            // no state, or unreadable: every function is installed afresh
        }
        return out;
    }

    private static List<String> included(JsonValue v) {
        List<String> out = new java.util.ArrayList<>();
        if (v != null && v.isArray()) for (JsonValue s : v.asArray()) if (s.isString()) out.add(s.asString());
        return out;
    }

    /**
     * Whether output, exactly as it is now (size, mtime, inode), already passed the CPU check for cpu in an earlier build:
     * a no-op build does not decode its bootstraps again.
     */
    static boolean cpuChecked(Map<String, Entry> entries, Path output, String cpu) {
        Identity now = Identity.of(output);
        return now != null && entries.values().stream().anyMatch(e -> cpu.equals(e.cpu()) && now.equals(e.output()));
    }

    static String render(Map<String, Entry> entries) {
        JsonWriter.Obj o = new JsonWriter.Obj();
        new java.util.TreeMap<>(entries).forEach((name, e) -> o.put(name, new JsonWriter.Raw(e.toJson())));
        return o + "\n";
    }
}
