import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** Which functions a build covers: --package and --bin, checked against the workspace. */
final class Selection {
    private Selection() {}

    /** --package and --bin narrow the functions; a member's own manifest means that package, as with cargo. */
    static List<Workspace.Function> select(CommandLine.Model.CommandSpec spec, BuildOptions o, Workspace ws) {
        if (ws.functions.isEmpty()) {
            throw new Cli.UserError(ExitCode.USAGE, "no functions in " + ws.root + ": a Lambda function is a bin target (src/main.rs or [[bin]]); "
                    + "libraries, examples, tests and benches are not functions");
        }
        Set<String> known = ws.functions.stream().map(Workspace.Function::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String p : o.packages) {
            if (!ws.packages.contains(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown --package '" + p + "' (workspace packages: "
                        + String.join(", ", ws.packages) + ")");
            }
        }
        for (String b : o.bins) {
            if (!known.contains(b)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown --bin '" + b + "' (functions: "
                        + String.join(", ", known) + ")");
            }
        }
        List<String> pkgs = !o.packages.isEmpty() ? o.packages
                : (o.bins.isEmpty() && ws.manifestPackage != null ? List.of(ws.manifestPackage) : List.of());
        List<Workspace.Function> out = new ArrayList<>();
        for (Workspace.Function f : ws.functions) {
            if (!pkgs.isEmpty() && !pkgs.contains(f.pkg())) continue;
            if (!o.bins.isEmpty() && !o.bins.contains(f.name())) continue;
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no function matches --package " + pkgs + " --bin " + o.bins
                    + " (functions: " + ws.functions.stream().map(f -> f.name() + " in " + f.pkg()).collect(Collectors.joining(", ")) + ")");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Workspace.Function f : out) {
            if (!seen.add(f.name())) {
                throw new Cli.UserError(ExitCode.USAGE, "two packages define a bin named '" + f.name() + "'; each function needs its own name "
                        + "(target/lambda/<name>/bootstrap): select one with --package");
            }
        }
        return out;
    }
}
