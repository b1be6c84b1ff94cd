import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * options -> Workspace -> Builder (one cargo call) -> verification -> Layout -> Report.
 * Every build script runs this; they differ only in the Builder they hand in.
 * Exit codes: 0 built and verified; 1 a bootstrap failed verification; 2 usage or input error;
 * 3 a prerequisite is missing; otherwise cargo's own exit code when the build step fails.
 */
final class Pipeline {
    private Pipeline() {}

    static int run(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder builder) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.name();
        Target target = Target.of(spec, o);
        Map<String, String> env = new HashMap<>(System.getenv());
        Path cwd = Path.of("").toAbsolutePath();

        Path manifest = Workspace.findManifest(o.manifestPath, cwd);
        // The prerequisite probe (a python start for zig, a docker ping) overlaps with cargo metadata.
        Map<String, String> probeEnv = Map.copyOf(env);
        CompletableFuture<Void> prerequisites = CompletableFuture.runAsync(() -> builder.checkPrerequisites(probeEnv));
        Workspace ws;
        try {
            ws = Workspace.load(manifest, env, command -> builder.metadataCommand(manifest, command, probeEnv));
        } catch (Cli.UserError e) {
            await(prerequisites);
            throw e;
        }
        List<Workspace.Function> selected = select(spec, o, ws);
        Path lambdaDir = o.lambdaDir != null ? cwd.resolve(o.lambdaDir).normalize() : ws.targetDir.resolve("lambda");
        ElfPolicy policy = new ElfPolicy(target.machine, !target.staticExpected, false, -1)
                .withMaxGlibc(ElfPolicy.parseMaxGlibc(spec, o.maxGlibc, o.runtime));
        long maxSize = o.maxSize == null ? -1 : Sizes.parse(spec, "--max-size", o.maxSize);
        Map<String, Map<String, String>> profiles = Profiles.read(ws.root.resolve("Cargo.toml"));
        List<String> cargoArgs = new ArrayList<>();
        List<Map.Entry<String, String>> settings = new ArrayList<>();
        settings.add(Profiles.defaultSetting(profiles, o.profile, env, "strip", "symbols"));
        if (o.tune) {
            settings.add(Profiles.defaultSetting(profiles, o.profile, env, "lto", "thin"));
            settings.add(Profiles.defaultSetting(profiles, o.profile, env, "codegen-units", "1"));
            cargoArgs.addAll(Tuning.targetCpu(target, env));
        }
        settings.stream().filter(e -> e != null).forEach(e -> env.put(e.getKey(), e.getValue()));
        cargoArgs.addAll(o.cargoArgs);
        Builder.Plan plan = new Builder.Plan(ws, selected, target, o.profile, cargoArgs, env, lambdaDir);
        await(prerequisites);

        if (o.clean) {
            err.println(me + ": --clean: removing " + lambdaDir + " and " + ws.targetDir.resolve(target.dirName));
            Layout.deleteTree(lambdaDir);
            Layout.deleteTree(ws.targetDir.resolve(target.dirName));
        }
        List<String> command = builder.command(plan);
        err.println(me + ": building " + Report.plural(selected.size(), "function") + " for " + target.triple
                + " (" + o.profile + ") with " + builder.label() + (o.verbose ? ": " + String.join(" ", command) : ""));
        err.flush();
        // With --json, stdout carries only the report: cargo's stdout goes to stderr too.
        Map<String, String> toolEnv = Map.copyOf(env);
        CompletableFuture<Map<String, String>> tools = CompletableFuture.supplyAsync(() -> builder.toolVersions(ws.root, toolEnv));
        Exec.Result r = Exec.stream(ws.root, command, env, o.json ? System.err : System.out, System.err, () -> builder.stop(plan));
        if (r.exit != 0) {
            String why = builder.explainFailure(plan, r.err);
            if (why != null) throw new Cli.UserError(3, why);
            throw new Cli.UserError(r.exit, "the build step failed (" + builder.label() + " exited with " + r.exit
                    + "); the bootstraps in " + lambdaDir + " were left as they were");
        }

        // Verify what cargo made before anything is installed: a failing build changes no bootstrap.
        List<Path> outputs = new ArrayList<>();
        List<ElfInfo> infos = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Workspace.Function f : selected) {
            Path output = plan.output(f);
            if (!output.toFile().isFile()) {
                failures.add(f.name + ": cargo reported success but " + output + " is missing");
                continue;
            }
            ElfInfo info;
            try {
                info = ElfReader.read(output);
            } catch (java.io.IOException e) {
                throw new Cli.UserError(1, "cannot read " + output + ": " + e.getMessage());
            }
            List<String> problems = policy.problems(info);
            if (!problems.isEmpty()) failures.add(f.name + ": " + String.join("; ", problems));
            outputs.add(output);
            infos.add(info);
        }
        if (!failures.isEmpty()) return failed(err, me, failures, "failed verification", lambdaDir);

        // Stage bootstraps, zips and the manifest next to their places; check sizes; then rename them all.
        List<Report.Row> rows = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        try (Layout.Staging staging = new Layout.Staging()) {
            for (int i = 0; i < selected.size(); i++) {
                Workspace.Function f = selected.get(i);
                ElfInfo info = infos.get(i);
                Path dest = Layout.bootstrap(lambdaDir, f.name);
                Path boot = staging.stageExecutable(outputs.get(i), dest);
                Report.Row row = new Report.Row(f, dest, info, sha256(boot));
                if (o.zip) {
                    Path zipDest = dest.resolveSibling("bootstrap.zip");
                    Path zip = staging.stage(zipDest, tmp -> LambdaZip.write(boot, tmp, env.get("SOURCE_DATE_EPOCH")));
                    row.zip(zipDest, zip.toFile().length(), sha256(zip));
                }
                failures.addAll(Limits.check(f.name, info.size, row.zipSize, maxSize, err, me));
                rows.add(row);
                entries.add(Manifest.entry(f, target, info, lambdaDir.relativize(dest).toString(), row.sha256,
                        row.zipPath == null ? null : lambdaDir.relativize(row.zipPath).toString(), row.zipSize, row.zipSha256));
            }
            if (!failures.isEmpty()) return failed(err, me, failures, "are too large", lambdaDir);
            entries.addAll(Manifest.kept(lambdaDir, selected.stream().map(f -> f.name).collect(Collectors.toSet())));
            Map<String, String> versions = tools.join();
            staging.stage(lambdaDir.resolve(Manifest.FILE), tmp -> java.nio.file.Files.writeString(tmp, Manifest.render(entries, versions)));
            staging.commit();
        }
        Report.print(out, o.json, builder, plan, rows);
        return 0;
    }

    private static int failed(PrintWriter err, String me, List<String> failures, String what, Path lambdaDir) {
        failures.forEach(line -> err.println(me + ": FAIL " + line));
        err.println(me + ": " + Report.plural(failures.size(), "function") + " " + what + "; the bootstraps in "
                + lambdaDir + " were left as they were");
        err.flush();
        return 1;
    }

    private static String sha256(Path file) {
        try {
            return Manifest.sha256(file);
        } catch (java.io.IOException e) {
            throw new Cli.UserError(1, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void await(CompletableFuture<Void> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
            throw e;
        }
    }

    /** --package and --bin narrow the functions; a member's own manifest means that package, as with cargo. */
    static List<Workspace.Function> select(CommandLine.Model.CommandSpec spec, BuildOptions o, Workspace ws) {
        if (ws.functions.isEmpty()) {
            throw new Cli.UserError(2, "no functions in " + ws.root + ": a Lambda function is a bin target (src/main.rs or [[bin]]); "
                    + "libraries, examples, tests and benches are not functions");
        }
        Set<String> known = ws.functions.stream().map(f -> f.name).collect(Collectors.toCollection(LinkedHashSet::new));
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
            if (!pkgs.isEmpty() && !pkgs.contains(f.pkg)) continue;
            if (!o.bins.isEmpty() && !o.bins.contains(f.name)) continue;
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no function matches --package " + pkgs + " --bin " + o.bins
                    + " (functions: " + ws.functions.stream().map(f -> f.name + " in " + f.pkg).collect(Collectors.joining(", ")) + ")");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Workspace.Function f : out) {
            if (!seen.add(f.name)) {
                throw new Cli.UserError(2, "two packages define a bin named '" + f.name + "'; each function needs its own name "
                        + "(target/lambda/<name>/bootstrap): select one with --package");
            }
        }
        return out;
    }
}
