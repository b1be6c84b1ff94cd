import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * docs/commands/<alias>.md and docs/reference/exit-codes.md, made from each command's own picocli spec and from
 * ExitCode: what --help says is what the pages say. docs/generate-commands.java writes them; a fast test
 * renders them again and fails on a difference.
 */
final class CommandPages {
    private CommandPages() {}

    static final String REFRESH = "./jbang docs/generate-commands.java";

    /** Every catalog alias and the command it runs (the scripts' own classes; verify-elf's lives in lib/elf). */
    static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("build-lambda", BuildLambda::new);
        COMMANDS.put("build-lambda-docker", BuildLambdaDocker::new);
        COMMANDS.put("build-lambda-native", BuildLambdaNative::new);
        COMMANDS.put("build-lambda-smart", BuildLambdaSmart::new);
        COMMANDS.put("verify-elf", VerifyElfCommand::new);
        COMMANDS.put("doctor", Doctor::new);
        COMMANDS.put("invoke-lambda", InvokeLambda::new);
        COMMANDS.put("lambda-init", LambdaInit::new);
        COMMANDS.put("manifest-diff", ManifestDiff::new);
    }

    /** Each page's path relative to the repository root, and its text, in the catalog's order. */
    static Map<String, String> render(Path root) throws IOException {
        JsonObject aliases = Json.parse(Files.readString(root.resolve("jbang-catalog.json"))).asObject().get("aliases").asObject();
        Map<String, String> pages = new LinkedHashMap<>();
        Map<String, CommandLine> lines = new LinkedHashMap<>();
        for (String alias : aliases.names()) {
            Supplier<Object> make = COMMANDS.get(alias);
            if (make == null) {
                throw new IllegalStateException("catalog alias " + alias + " has no command in lib/docs/CommandPages.COMMANDS: add it there");
            }
            CommandLine cl = Cli.commandLine(make.get());
            cl.setUsageHelpAutoWidth(false);
            cl.setUsageHelpWidth(100);
            lines.put(alias, cl);
            String description = aliases.get(alias).asObject().getString("description", "");
            pages.put("docs/commands/" + alias + ".md", page(alias, description, cl));
        }
        pages.put("docs/reference/exit-codes.md", exitCodes(lines));
        return pages;
    }

    static String page(String alias, String description, CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(alias).append("\n\n");
        md.append(generatedNote());
        md.append(escape(description)).append("\n\n");
        md.append("```text\n").append(cl.getHelp().synopsis(0).stripTrailing()).append("\n```\n\n");
        for (String d : spec.usageMessage().description()) {
            if (!d.isBlank()) md.append(escape(d)).append("\n\n");
        }
        md.append("Run it as `jbang ").append(alias).append("@. ...` from this repository, or through the catalog name or path of your workspace (see [getting started](../getting-started.md)).\n\n");
        if (!spec.positionalParameters().isEmpty()) {
            md.append("## Arguments\n\n| argument | description |\n|---|---|\n");
            for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                md.append("| `").append(p.paramLabel()).append("` | ").append(cell(String.join(" ", p.description()))).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Options\n\n| option | description |\n|---|---|\n");
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String names = String.join(", ", o.names());
            String label = o.arity().max() == 0 ? "" : " " + o.paramLabel();
            md.append("| `").append(names).append(label).append("` | ").append(cell(String.join(" ", o.description()))).append(" |\n");
        }
        md.append("\n## Exit codes\n\n| exit | meaning |\n|---|---|\n");
        for (Map.Entry<String, String> e : spec.usageMessage().exitCodeList().entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
        }
        md.append("\nEvery exit code, for every command: [exit codes](../reference/exit-codes.md).\n");
        return md.toString();
    }

    static String exitCodes(Map<String, CommandLine> lines) {
        StringBuilder md = new StringBuilder("# Exit codes\n\n");
        md.append(generatedNote());
        md.append("Every command has `--help`, `--version` and one-line errors (`--verbose` for a stack trace), and returns only\n"
                + "these codes, each meaning the same in every command (one enum, `ExitCode` in `lib/cli/ExitCode.java`; each\n"
                + "command names the ones it returns with `@ExitCodes`, which is what its `--help` lists).\n\n");
        md.append("| exit | meaning | returned by |\n|---|---|---|\n");
        for (ExitCode c : ExitCode.values()) {
            List<String> by = new ArrayList<>();
            for (Map.Entry<String, CommandLine> e : lines.entrySet()) {
                if (e.getValue().getCommandSpec().usageMessage().exitCodeList().containsKey(Integer.toString(c.code))) {
                    by.add("[" + e.getKey() + "](../commands/" + e.getKey() + ".md)");
                }
            }
            String text = c.meaning + (c.detail.isEmpty() ? "" : ". " + c.detail);
            md.append("| ").append(c.code).append(" | ").append(cell(text)).append(" | ").append(String.join(", ", by)).append(" |\n");
        }
        Map<String, String> others = new TreeMap<>();
        lines.forEach((alias, cl) -> {
            String other = cl.getCommandSpec().usageMessage().exitCodeList().get("other");
            if (other != null) others.put(alias, other);
        });
        if (!others.isEmpty()) {
            md.append("\nAny other code is a build tool's own, passed on:\n\n");
            others.forEach((alias, other) -> md.append("- ").append(alias).append(": ").append(escape(other)).append('\n'));
        }
        return md.toString();
    }

    private static String generatedNote() {
        return "<!-- generated by " + REFRESH + " from the command's picocli spec and ExitCode; edit those, not this page -->\n\n";
    }

    private static String cell(String s) {
        return escape(s).replace("|", "\\|").replace("\n", " ");
    }

    /** Angle brackets outside `code` would be read as HTML (<name>, <lambda dir>). */
    private static String escape(String s) {
        String[] parts = s.split("`", -1);
        for (int i = 0; i < parts.length; i += 2) parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;");
        return String.join("`", parts);
    }

    /** The pages whose file differs from what the spec renders now (missing files included). */
    static List<String> stale(Path root, Map<String, String> pages) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path f = root.resolve(e.getKey());
            if (!Files.isRegularFile(f) || !Files.readString(f).equals(e.getValue())) out.add(e.getKey());
        }
        return out;
    }

    /** Pages under docs/commands that no alias renders (a removed or renamed command). */
    static List<String> orphans(Path root, Map<String, String> pages) throws IOException {
        Path dir = root.resolve("docs/commands");
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> "docs/commands/" + p.getFileName()).filter(p -> !pages.containsKey(p)).sorted().collect(Collectors.toList());
        }
    }
}
