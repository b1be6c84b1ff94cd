import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * --reproduce MANIFEST: the build a manifest.json records ("build"), run again from scratch (a copy of the workspace in a
 * temporary folder, without its target folder, and a fresh target folder), then each binary compared with the one
 * the manifest lists: "same sha256", or its size and the first ELF section whose bytes differ (when the recorded
 * bootstrap is still in place to compare with). The tools that differ from the recorded ones are named first. The copy
 * builds with what the folders above the workspace gave it: their cargo config files (--config) and the toolchain
 * rustup selects for the workspace (RUSTUP_TOOLCHAIN: a rust-toolchain.toml above it, or a directory override).
 * Exit 0: every function the same; 1 (CHECK_FAILED): one differs, or is missing from the rebuild.
 */
final class Reproduce {
    private Reproduce() {}

    static int run(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<?> builder) {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Path file = o.reproduce.toAbsolutePath().normalize();
        JsonObject m = ManifestReader.read(file, "the", false);
        JsonValue b = m.get("build");
        if (b == null || !b.isObject()) {
            throw new Cli.UserError(ExitCode.USAGE, file + " has no \"build\" record (it was written by an older build-lambda): "
                    + "build once more with these scripts, then --reproduce its manifest.json");
        }
        JsonObject rec = b.asObject();
        String command = rec.getString("command", "?");
        if (!command.equals(spec.name())) {
            throw new Cli.UserError(ExitCode.USAGE, file + " was built by " + command + ": run `jbang " + command + "@. --reproduce " + o.reproduce + "`");
        }
        Path lambdaDir = file.getParent();
        Path root = lambdaDir.resolve(rec.getString("workspace", ".")).normalize();
        Path cargoToml = root.resolve(rec.getString("manifest", "Cargo.toml")).normalize();
        if (!Files.isRegularFile(cargoToml)) {
            throw new Cli.UserError(ExitCode.USAGE, "the workspace " + file + " records is not there (no " + cargoToml
                    + "): --reproduce a manifest.json inside its workspace's lambda folder");
        }
        Path temp;
        Path copy;
        try {
            temp = Files.createTempDirectory("build-lambda-reproduce-");
            copy = temp.resolve(root.getFileName() == null ? "workspace" : root.getFileName().toString());
            copyTree(root, copy, List.of(root.resolve("target"), lambdaDir, root.resolve(".git")));
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot copy the workspace " + root + " to a temporary folder: " + e.getMessage());
        }
        String me = spec.name();
        err.println(me + ": --reproduce: rebuilding " + root + " from scratch in " + copy);
        err.flush();
        List<String> args = new ArrayList<>();
        rec.get("args").asArray().forEach(v -> args.add(v.asString()));
        int dashes = args.indexOf("--");
        List<String> ours = List.of("--manifest-path", copy.resolve(root.relativize(cargoToml)).toString(), "--lambda-dir", temp.resolve("lambda").toString());
        args.addAll(dashes < 0 ? args.size() : dashes, ours);
        // What applied to the workspace from the folders above it applies to the copy too: the cargo config files
        // there (farthest first, so the nearest wins, as cargo ranks them) and the toolchain rustup selects there.
        Map<String, String> env = new HashMap<>(System.getenv());
        List<String> above = new ArrayList<>();
        Path cargoHome = RustHomes.cargo(env);
        for (Path f : CargoConfig.files(root, env)) {
            if (!f.startsWith(root) && !f.startsWith(cargoHome)) above.add(0, f.toString());
        }
        if (!above.isEmpty()) {
            if (!args.contains("--")) args.add("--");
            for (String f : above) args.addAll(List.of("--config", f));
        }
        Map<String, String> set = new HashMap<>();
        set.put("CARGO_TARGET_DIR", copy.resolve("target").toString());
        if (!env.containsKey("RUSTUP_TOOLCHAIN") && Exec.which("rustup", env).isPresent()) {
            Exec.Result active = Exec.capture(root, List.of("rustup", "show", "active-toolchain"), env, 30);
            String tc = active.exit == 0 ? active.out.strip().split("\\s+")[0] : "";
            if (!tc.isEmpty()) set.put("RUSTUP_TOOLCHAIN", tc);
        }
        int exit = rebuild(spec, args, copy.resolve(rec.getString("cwd", ".")).normalize(), set);
        if (exit != 0) return exit;

        JsonObject again = ManifestReader.read(temp.resolve("lambda").resolve(Manifest.FILE), "the rebuilt", false);
        for (String line : toolDifferences(m.get("tools"), again.get("tools"))) out.println(line);
        int differ = 0;
        List<JsonValue> now = ManifestReader.entries(again);
        for (JsonValue e : ManifestReader.entries(m)) {
            JsonObject was = e.asObject();
            String key = was.getString("bootstrap", was.getString("binary", null));
            JsonObject match = now.stream().map(JsonValue::asObject)
                    .filter(n -> Objects.equals(key, n.getString("bootstrap", n.getString("binary", null)))).findFirst().orElse(null);
            String name = was.getString("name", "?") + (key == null ? "" : " (" + key + ")");
            String verdict = compare(was, match, lambdaDir, temp.resolve("lambda"));
            if (!verdict.startsWith("same")) differ++;
            out.println((verdict.startsWith("same") ? "same    " : "DIFFERS ") + name + ": " + verdict);
        }
        out.flush();
        if (differ == 0) {
            Install.deleteTree(temp);
            return ExitCode.OK.code;
        }
        throw new Cli.UserError(ExitCode.CHECK_FAILED, Report.plural(differ, "function") + " rebuilt to other bytes; the rebuild is kept in "
                + temp + " to compare");
    }

    /** The recorded build, run in-process by a fresh instance of this very command, its report on stderr. */
    private static int rebuild(CommandLine.Model.CommandSpec spec, List<String> args, Path cwd, Map<String, String> env) {
        BuildCommand fresh;
        try {
            fresh = (BuildCommand) spec.userObject().getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        CommandLine cl = Cli.commandLine(fresh);
        cl.setOut(spec.commandLine().getErr());
        cl.setErr(spec.commandLine().getErr());
        try {
            cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new Cli.UserError(ExitCode.USAGE, "the recorded arguments do not parse any more (" + e.getMessage() + "): " + String.join(" ", args));
        }
        return Pipeline.run(cl.getCommandSpec(), fresh.options, fresh.builder(), cwd, env);
    }

    /** "same sha256 ..." or what differs. */
    static String compare(JsonObject was, JsonObject now, Path lambdaDir, Path rebuiltDir) {
        if (now == null) return "not in the rebuild's manifest (was it selected by the recorded arguments?)";
        String sha = was.getString("sha256", ""), sha2 = now.getString("sha256", "");
        String zip = zipVerdict(was.get("zip"), now.get("zip"));
        if (sha.equals(sha2)) {
            return "same sha256 " + sha.substring(0, Math.min(16, sha.length())) + (zip.isEmpty() ? "" : ", " + zip);
        }
        String key = was.getString("bootstrap", was.getString("binary", ""));
        long size = was.getLong("size", -1), size2 = now.getLong("size", -1);
        String where = ElfDiff.firstDifference(lambdaDir.resolve(key), rebuiltDir.resolve(key), sha);
        return "sha256 " + sha.substring(0, Math.min(16, sha.length())) + " recorded, " + sha2.substring(0, Math.min(16, sha2.length()))
                + " rebuilt; size " + size + (size == size2 ? " both" : " recorded, " + size2 + " rebuilt") + "; " + where
                + (zip.isEmpty() ? "" : "; " + zip);
    }

    private static String zipVerdict(JsonValue a, JsonValue b) {
        boolean hasA = a != null && a.isObject(), hasB = b != null && b.isObject();
        if (!hasA && !hasB) return "";
        if (hasA != hasB) return hasA ? "the rebuild made no zip" : "the rebuild made a zip the record has not";
        return a.asObject().getString("sha256", "").equals(b.asObject().getString("sha256", "-")) ? "zip same sha256" : "zip differs";
    }

    /** The tools whose versions differ between the record and this machine: what to match before the bytes can. */
    static List<String> toolDifferences(JsonValue recorded, JsonValue here) {
        List<String> out = new ArrayList<>();
        Map<String, String> a = strings(recorded), b = strings(here);
        for (Map.Entry<String, String> e : a.entrySet()) {
            String h = b.get(e.getKey());
            if (!Objects.equals(e.getValue(), h)) {
                out.add("tool    " + e.getKey() + ": recorded " + e.getValue() + ", here " + h + " (reproducing needs the same version)");
            }
        }
        return out;
    }

    private static Map<String, String> strings(JsonValue v) {
        Map<String, String> m = new HashMap<>();
        if (v == null || !v.isObject()) return m;
        for (JsonObject.Member x : v.asObject()) m.put(x.getName(), x.getValue().isString() ? x.getValue().asString() : null);
        return m;
    }

    private static void copyTree(Path from, Path to, List<Path> skip) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && skip.contains(dir)) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
