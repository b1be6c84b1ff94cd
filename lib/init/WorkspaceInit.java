import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.WriterConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files lambda-init writes into a workspace. Each is written whole (temp file, then a move) or not at all. */
final class WorkspaceInit {
    private WorkspaceInit() {}

    record Result(List<String> lines) {}

    /** The pnpm scripts of the guide, pointing at the scripts through REF. */
    static Map<String, String> scripts(ToolsRef ref) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("build:lambda", ref.command("build-lambda"));
        s.put("build:lambda:clean", ref.command("build-lambda") + " --clean");
        s.put("build:lambda:docker", ref.command("build-lambda-docker"));
        s.put("build:lambda:native", ref.command("build-lambda-native"));
        s.put("build:lambda:smart", ref.command("build-lambda-smart"));
        s.put("build:native", "cargo build --bins");
        s.put("verify:lambda", ref.command("verify-elf") + " target/lambda");
        s.put("doctor:lambda", ref.command("doctor")); // not "doctor": `pnpm doctor` is pnpm's own command
        s.put("dev", ref.command("invoke-lambda") + " --serve --watch");
        s.put("dev:release", ref.command("invoke-lambda") + " --serve --watch --release");
        return s;
    }

    static Result apply(Path ws, ToolsRef ref, URL buildspecTemplate) {
        if (!Files.isRegularFile(ws.resolve("Cargo.toml"))) {
            throw new Cli.UserError(ExitCode.USAGE, "no Cargo.toml in " + ws + ": run lambda-init in the workspace's root folder, or pass that folder as DIR");
        }
        List<String> out = new ArrayList<>();
        // Everything is decided first, then written: a package.json that cannot be read stops the run before any file changes.
        String pkg = packageJson(ws, ref, out);
        String spec = Files.exists(ws.resolve("buildspec.yml")) ? null : buildspec(read(buildspecTemplate), ref);
        String ignore = gitignore(ws);
        if (pkg != null) write(ws.resolve("package.json"), pkg);
        if (spec != null) {
            write(ws.resolve("buildspec.yml"), spec);
            out.add("buildspec.yml: written (CodeBuild: install, check, build with --zip; artifacts target/lambda)");
            if (ref.catalog() != null) {
                out.add("buildspec.yml: CodeBuild has no JBang catalog named " + ref.catalog() + ": set LAMBDA_TOOLS_GIT in buildspec.yml "
                        + "to the scripts' git URL (it is cloned into .lambda-tools)");
            } else if (!ref.portable()) {
                out.add("buildspec.yml: the scripts are outside the workspace (" + ref.path() + "), which CodeBuild will not have: "
                        + "add them as a git submodule and run lambda-init --tools SUBMODULE, or set LAMBDA_TOOLS_GIT in buildspec.yml");
            }
        } else {
            out.add("buildspec.yml: kept (it exists); compare with lambda-init's by moving yours away and running it again");
        }
        if (ignore != null) {
            write(ws.resolve(".gitignore"), ignore);
            out.add(".gitignore: added /target/ (bootstraps, zips and cargo's output are built, not committed)");
        } else {
            out.add(".gitignore: kept (it already ignores target/)");
        }
        out.add("next: pnpm build:lambda (or: " + ref.command("build-lambda") + ")");
        return new Result(out);
    }

    /** The new package.json text, or null when it already has every script. */
    private static String packageJson(Path ws, ToolsRef ref, List<String> out) {
        Path file = ws.resolve("package.json");
        JsonObject root;
        if (Files.exists(file)) {
            try {
                JsonValue v = Json.parse(Files.readString(file));
                if (!v.isObject()) throw new IllegalArgumentException("not a JSON object");
                root = v.asObject();
            } catch (IOException | RuntimeException e) {
                throw new Cli.UserError(ExitCode.USAGE, "cannot read " + file + " as JSON (" + e.getMessage() + "): fix it, or move it away and run lambda-init again");
            }
        } else {
            root = new JsonObject().add("name", ws.getFileName() == null ? "workspace" : ws.getFileName().toString()).add("private", true);
        }
        JsonValue s = root.get("scripts");
        if (s != null && !s.isObject()) throw new Cli.UserError(ExitCode.USAGE, file + ": \"scripts\" is not an object: fix it and run lambda-init again");
        JsonObject scripts = s == null ? new JsonObject() : s.asObject();
        List<String> added = new ArrayList<>(), same = new ArrayList<>();
        for (Map.Entry<String, String> e : scripts(ref).entrySet()) {
            JsonValue have = scripts.get(e.getKey());
            if (have == null) {
                scripts.add(e.getKey(), e.getValue());
                added.add(e.getKey());
            } else if (have.isString() && have.asString().equals(e.getValue())) {
                same.add(e.getKey());
            } else {
                out.add("package.json: kept your \"" + e.getKey() + "\" (" + have + "); ours would be \"" + e.getValue() + "\"");
            }
        }
        if (added.isEmpty()) {
            out.add("package.json: nothing to add" + (same.isEmpty() ? "" : " (" + same.size() + " scripts already there)"));
            return null;
        }
        if (s == null) root.add("scripts", scripts);
        out.add((Files.exists(file) ? "package.json: added " : "package.json: written with ") + String.join(", ", added));
        return root.toString(WriterConfig.PRETTY_PRINT) + "\n";
    }

    /** This project's buildspec, pointed at the workspace root and at the scripts. */
    static String buildspec(String template, ToolsRef ref) {
        String tools = ref.portable() && ref.catalog() == null ? ref.path() : ".lambda-tools";
        String s = template;
        s = replaceOnce(s, "    LAMBDA_TOOLS: \".\"\n", "    LAMBDA_TOOLS: \"" + tools + "\"\n");
        s = replaceOnce(s, "    MANIFEST_PATH: \"examples/Cargo.toml\"\n", "    MANIFEST_PATH: \"Cargo.toml\"\n");
        s = replaceOnce(s, "  base-directory: examples/target/lambda\n", "  base-directory: target/lambda\n");
        s = replaceOnce(s, "    - 'examples/target/**/*'\n", "    - 'target/**/*'\n");
        return s;
    }

    private static String replaceOnce(String s, String from, String to) {
        int i = s.indexOf(from);
        if (i < 0 || s.indexOf(from, i + 1) >= 0) {
            throw new IllegalStateException("the buildspec template no longer has exactly one line " + from.strip());
        }
        return s.substring(0, i) + to + s.substring(i + from.length());
    }

    /** The new .gitignore text, or null when a line already ignores target/. */
    private static String gitignore(Path ws) {
        Path f = ws.resolve(".gitignore");
        String text = "";
        if (Files.exists(f)) {
            text = read(f);
            if (text.lines().map(String::strip).anyMatch(l -> l.matches("/?target/?(\\*\\*?)?"))) return null;
        }
        return text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "/target/\n";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + p + ": " + e.getMessage());
        }
    }

    private static String read(URL u) {
        if (u == null) throw new IllegalStateException("the buildspec template is missing from the script (//FILES)");
        try (InputStream in = u.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read the buildspec template: " + e.getMessage());
        }
    }

    private static void write(Path p, String text) {
        Path tmp = p.resolveSibling("." + p.getFileName() + ".lambda-init.tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to clean
            }
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot write " + p + ": " + e.getMessage());
        }
    }
}
