///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java
//SOURCES lib/common/ScriptHeader.java lib/common/TextTable.java lib/common/ManifestReader.java
//MAIN ManifestDiff
//CDS
//DESCRIPTION Compare two build-lambda manifests: the functions added, removed or changed (bootstrap or zip sha256), to deploy only what changed

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "manifest-diff", description = {"Compare two manifest.json files written by the build scripts (the one last deployed, OLD, and this "
                + "build's, NEW) and list each function as added, removed, changed (its bootstrap's sha256 differs, or its zip's where both have one) or "
                + "unchanged. OLD and NEW are files, or lambda folders holding manifest.json.",
                "With --json: {old, new, deploy: [names], removed: [names], functions: [{name, change, old_sha256, new_sha256}]}."})
@ExitCodes({ExitCode.OK, ExitCode.USAGE, ExitCode.INTERNAL})
class ManifestDiff implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "the manifest deployed last (a file, or a lambda folder)")
    Path oldPath;

    @Parameters(index = "1", paramLabel = "NEW", description = "this build's manifest (a file, or a lambda folder such as target/lambda)")
    Path newPath;

    @Option(names = "--names", description = "print only the names of the functions to deploy (added and changed), one per line")
    boolean names;

    @CommandLine.Mixin
    JsonOption output;

    @Option(names = "--allow-missing-old", description = "an OLD that does not exist means nothing is deployed yet: every function is added "
            + "(a pipeline's first run); without it a missing OLD is an error")
    boolean allowMissingOld;

    @CommandLine.Mixin
    CommonOptions cli;

    enum Change { ADDED, REMOVED, CHANGED, UNCHANGED }

    /** One function in both manifests' terms; a sha256 is null where the function is absent. */
    record Row(String name, Change change, String oldSha256, String newSha256) {}

    public static void main(String... args) {
        System.exit(Cli.run(new ManifestDiff(), args));
    }

    @Override
    public Integer call() {
        if (names && output.json) throw cli.usage("--names and --json exclude each other");
        List<Row> rows = diff(read(oldPath, "OLD", allowMissingOld), read(newPath, "NEW", false));
        List<String> deploy = rows.stream().filter(r -> r.change == Change.ADDED || r.change == Change.CHANGED).map(Row::name).collect(Collectors.toList());
        List<String> removed = rows.stream().filter(r -> r.change == Change.REMOVED).map(Row::name).collect(Collectors.toList());
        PrintWriter out = cli.out();
        if (names) {
            deploy.forEach(out::println);
        } else if (output.json) {
            List<String> fs = rows.stream().map(r -> new JsonWriter.Obj().put("name", r.name).put("change", r.change.name().toLowerCase(Locale.ROOT))
                    .put("old_sha256", r.oldSha256).put("new_sha256", r.newSha256).toString()).collect(Collectors.toList());
            out.println(new JsonWriter.Obj().put("old", oldPath.toString()).put("new", newPath.toString()).put("deploy", deploy)
                    .put("removed", removed).put("functions", new JsonWriter.Raw(JsonWriter.array(fs))));
        } else {
            TextTable t = new TextTable(4).row("FUNCTION", "CHANGE", "OLD SHA256", "NEW SHA256");
            for (Row r : rows) t.row(r.name, r.change.name().toLowerCase(Locale.ROOT), shortSha(r.oldSha256), shortSha(r.newSha256));
            t.print(out);
            long same = rows.stream().filter(r -> r.change == Change.UNCHANGED).count();
            out.printf(Locale.ROOT, "%d to deploy (%d added, %d changed), %d removed, %d unchanged%n", deploy.size(),
                    rows.stream().filter(r -> r.change == Change.ADDED).count(), rows.stream().filter(r -> r.change == Change.CHANGED).count(),
                    removed.size(), same);
        }
        out.flush();
        return ExitCode.OK.code;
    }

    /** What is deployed of one entry: its binary's sha256, and its zip's when it has one (the zip also holds --include's files). */
    record Hashes(String binary, String zip) {
        boolean sameAs(Hashes o) {
            return binary.equals(o.binary) && (zip == null || o.zip == null || zip.equals(o.zip));
        }
    }

    /** Every function and extension of either manifest, by its place (NAME, ARCH/NAME, extensions/NAME). */
    static List<Row> diff(Map<String, Hashes> before, Map<String, Hashes> after) {
        List<Row> rows = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (String name : all) {
            Hashes o = before.get(name), n = after.get(name);
            Change c = o == null ? Change.ADDED : n == null ? Change.REMOVED : o.sameAs(n) ? Change.UNCHANGED : Change.CHANGED;
            rows.add(new Row(name, c, o == null ? null : o.binary, n == null ? null : n.binary));
        }
        return rows;
    }

    /** NAME (or ARCH/NAME, extensions/NAME) -> its hashes, from a manifest file or a folder holding manifest.json. */
    static Map<String, Hashes> read(Path given, String which, boolean missingIsEmpty) {
        Path file = Files.isDirectory(given) ? given.resolve("manifest.json") : given;
        JsonObject doc = ManifestReader.read(file, which, missingIsEmpty);
        if (doc == null) return Map.of();
        String notOne = which + " " + file + " is not a build-lambda manifest: ";
        Map<String, Hashes> out = new LinkedHashMap<>();
        int i = 0;
        List<JsonValue> entries = ManifestReader.entries(doc);
        for (JsonValue v : entries) {
            i++;
            JsonValue name = v.isObject() ? v.asObject().get("name") : null, sha = v.isObject() ? v.asObject().get("sha256") : null;
            if (name == null || !name.isString() || sha == null || !sha.isString() || !sha.asString().matches("[0-9a-f]{64}")) {
                throw new Cli.UserError(ExitCode.USAGE, notOne + "function " + i + " has no \"name\" and \"sha256\" (64 hex digits)");
            }
            // An entry is its place: NAME, or ARCH/NAME when one build made several arches (<lambda dir>/arm64/NAME/bootstrap).
            JsonValue boot = v.asObject().get("bootstrap"), binary = v.asObject().get("binary");
            String key = binary != null && binary.isString() ? binary.asString()   // an extension: extensions/NAME
                    : boot != null && boot.isString() && boot.asString().endsWith("/" + name.asString() + "/bootstrap")
                    ? boot.asString().substring(0, boot.asString().length() - "/bootstrap".length()) : name.asString();
            JsonValue zip = v.asObject().get("zip");
            JsonValue zipSha = zip != null && zip.isObject() ? zip.asObject().get("sha256") : null;
            if (out.put(key, new Hashes(sha.asString(), zipSha != null && zipSha.isString() ? zipSha.asString() : null)) != null) {
                throw new Cli.UserError(ExitCode.USAGE, notOne + "it lists " + key + " twice");
            }
        }
        return out;
    }

    static String shortSha(String sha) {
        return sha == null ? "-" : sha.substring(0, 12);
    }
}
