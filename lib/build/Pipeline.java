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
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * options -> workspace -> build -> verify -> install -> report. Every build script runs this; they differ
 * only in the Builder they hand in. Every failure is an exception (Cli.UserError) with its exit code:
 * 1 a bootstrap failed verification or a size guard, 2 usage or input, 3 a missing prerequisite (4, 5
 * the docker build's engine and image), 74 an output could not be written, else cargo's own code.
 */
final class Pipeline<T> {
    private final CommandLine.Model.CommandSpec spec;
    private final BuildOptions o;
    private final Builder<T> builder;
    private final PrintWriter err;
    private final String me;
    private final Path cwd = Path.of("").toAbsolutePath();
    private final Map<String, String> env = new HashMap<>(System.getenv());
    /** The release settings this build added, said once as the build starts. */
    private String settingsLine = "";
    /** The environment variables this build added for cargo (shown with --verbose). */
    private final Map<String, String> added = new java.util.TreeMap<>();

    private Pipeline(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<T> builder) {
        this.spec = spec;
        this.o = o;
        this.builder = builder;
        this.err = spec.commandLine().getErr();
        this.me = spec.name();
    }

    static int run(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<?> builder) {
        return new Pipeline<>(spec, o, builder).run();
    }

    /** What the options ask for, every one checked before cargo runs. */
    private record Settings(Target target, ElfPolicy policy, long maxSize, Tune tune, Path manifest) {}

    /** One function cargo built, read and checked. */
    private record Built(Workspace.Function function, Path output, ElfInfo info) {}

    private int run() {
        Settings s = settings();
        // Finding the builder's tools (a python start for zig, the engine's answers) overlaps with cargo metadata.
        Map<String, String> probeEnv = Map.copyOf(env);
        CompletableFuture<T> prepared = CompletableFuture.supplyAsync(() -> builder.prepare(probeEnv));
        Workspace ws = workspace(s.manifest(), prepared);
        Builder.Plan plan = plan(ws, select(spec, o, ws), s.target(), s.tune());
        Map<String, String> toolEnv = Map.copyOf(plan.env());
        CompletableFuture<Map<String, String>> tools = prepared.thenApplyAsync(found -> builder.toolVersions(ws.root, toolEnv, found));
        build(plan, prepared);
        List<Built> built = verify(plan, s.policy());
        List<Report.Row> rows = install(plan, built, s.maxSize(), tools);
        List<String> smokeFailures = new ArrayList<>();
        if (o.smoke || o.smokeEvents != null) rows = smoke(plan, rows, tools, smokeFailures);
        Report.print(spec.commandLine().getOut(), o.json, builder.label(), plan, rows);
        if (!smokeFailures.isEmpty()) {
            throw new Cli.UserError(ExitCode.CHECK_FAILED, smokeFailures.stream().map(f -> "FAIL smoke " + f).collect(Collectors.toList()),
                    Report.plural(smokeFailures.size(), "function") + " failed the smoke check; the bootstraps in " + plan.lambdaDir()
                            + " are installed (they are what was built), and the report and manifest.json mark them");
        }
        return ExitCode.OK.code;
    }

    private Settings settings() {
        Target target = Target.of(spec, o.arch, o.target);
        ElfPolicy policy = new ElfPolicy(target.machine, !target.staticExpected, false, -1)
                .withMaxGlibc(ElfPolicy.parseMaxGlibc(spec, o.maxGlibc, o.runtime));
        long maxSize = o.maxSize == null ? -1 : Sizes.parse(spec, "--max-size", o.maxSize);
        return new Settings(target, policy, maxSize, tune(), Workspace.findManifest(o.manifestPath, cwd));
    }

    private Workspace workspace(Path manifest, CompletableFuture<T> prepared) {
        try {
            return Workspace.load(manifest, env, command -> builder.metadataCommand(manifest, command, env, () -> await(prepared)));
        } catch (Cli.UserError e) {
            // A missing tool explains a failed cargo metadata better than cargo's own words: report it first.
            await(prepared);
            throw e;
        }
    }

    /** The release settings the workspace leaves open, and the one cargo call's arguments. */
    private Builder.Plan plan(Workspace ws, List<Workspace.Function> selected, Target target, Tune tune) {
        List<String> configs = CargoConfig.files(ws.root, env).stream().map(CargoConfig::read).toList();
        Map<String, Map<String, String>> profiles = Profiles.read(ws.root.resolve("Cargo.toml"), configs);
        List<String> cargoArgs = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, String> want : tune.settings().entrySet()) {
            Map.Entry<String, String> e = Profiles.defaultSetting(profiles, o.profile, env, want.getKey(), want.getValue());
            if (e == null) continue;
            added.put(e.getKey(), e.getValue());
            shown.add(want.getKey() + "=" + want.getValue());
        }
        if (tune != Tune.NONE) {
            TargetCpu.Flags cpu = TargetCpu.of(target, env, configs);
            cargoArgs.addAll(cpu.cargoArgs());
            added.putAll(cpu.env());
            shown.addAll(cpu.shown());
        }
        env.putAll(added);
        settingsLine = shown.isEmpty() ? "the workspace sets every release setting itself; nothing added"
                : "added where the workspace leaves them open (" + tune.word + (tune == Tune.NONE ? ", --no-tune" : "") + "): "
                + String.join(", ", shown);
        cargoArgs.addAll(o.cargoArgs);
        Path lambdaDir = o.lambdaDir != null ? cwd.resolve(o.lambdaDir).normalize() : ws.targetDir.resolve("lambda");
        return new Builder.Plan(ws, selected, target, o.profile, List.copyOf(cargoArgs), Map.copyOf(env), lambdaDir);
    }

    /** What --tune and --no-tune ask for: profile settings (each added only where the workspace leaves it open). */
    enum Tune {
        NONE("plain"), SPEED("speed"), SIZE("size");

        final String word;

        Tune(String word) {
            this.word = word;
        }

        Map<String, String> settings() {
            Map<String, String> s = new java.util.LinkedHashMap<>();
            s.put("strip", "symbols");
            if (this == NONE) return s;
            if (this == SIZE) {
                s.put("opt-level", "s");
                s.put("lto", "fat");
                s.put("panic", "abort");
            } else {
                s.put("lto", "thin");
                // 11 % of the bytes on an AWS SDK workspace (bench/README.md, sizes): a panicking handler then
                // ends its process (the next invoke is a cold start) instead of answering an error.
                s.put("panic", "abort");
            }
            s.put("codegen-units", "1");
            return s;
        }
    }

    private Tune tune() {
        if (o.noTune) return Tune.NONE;
        return switch (o.tune) {
            case "speed" -> Tune.SPEED;
            case "size" -> Tune.SIZE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown --tune '" + o.tune + "' (use speed or size, or --no-tune)");
        };
    }

    private void clean(Builder.Plan plan) {
        Path cargoOut = plan.workspace().targetDir.resolve(plan.target().cargoTriple);
        err.println(me + ": --clean: removing " + plan.lambdaDir() + " and " + cargoOut);
        Install.deleteTree(plan.lambdaDir());
        Install.deleteTree(cargoOut);
    }

    /**
     * The one cargo call, streamed live; with --json, stdout carries only the report, so cargo's goes to stderr.
     * Where the command does not need prepare()'s value, cargo starts at once and its output is held back
     * until the prerequisites pass (a no-op build then does not wait for the zig probe).
     */
    private void build(Builder.Plan plan, CompletableFuture<T> prepared) {
        // --clean removes files: only once the prerequisites are known to be there.
        boolean early = !builder.commandNeedsPrepared() && !o.clean;
        T known = early ? null : await(prepared);
        if (o.clean) clean(plan);
        List<String> command = builder.command(plan, known);
        Gate out = new Gate(o.json ? System.err : System.out), errs = new Gate(System.err);
        Runnable stop = () -> builder.stop(plan, prepared.isDone() && !prepared.isCompletedExceptionally() ? prepared.join() : null);
        CompletableFuture<Exec.Streamed> running = CompletableFuture.supplyAsync(
                () -> Exec.stream(plan.workspace().root, command, plan.env(), out, errs, stop));
        try {
            await(prepared);
        } catch (RuntimeException e) {
            // A missing prerequisite: stop the cargo that started early, and say only what is missing.
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            running.handle((r, t) -> r).join();
            throw e;
        }
        err.println(me + ": " + settingsLine);
        err.println(me + ": building " + Report.plural(plan.functions().size(), "function") + " for " + plan.target().triple
                + " (" + plan.profile() + ") with " + builder.label() + (o.verbose ? ": " + String.join(" ", command) : ""));
        if (o.verbose && !added.isEmpty()) {
            err.println(me + ": with " + added.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
        err.flush();
        out.open();
        errs.open();
        Exec.Streamed r = await(running);
        if (r.exit == 0) return;
        String why = builder.explainFailure(plan, r.err);
        if (why != null) throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, why);
        throw Cli.UserError.buildFailed(r.exit, "the build step failed (" + builder.label() + " exited with " + r.exit
                + "); the bootstraps in " + plan.lambdaDir() + " were left as they were");
    }

    /** Every output read and checked before anything is installed: a failing build changes no bootstrap. */
    private List<Built> verify(Builder.Plan plan, ElfPolicy policy) {
        List<Built> built = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Workspace.Function f : plan.functions()) {
            Path output = plan.output(f);
            if (!Files.isRegularFile(output)) {
                failures.add(f.name() + ": cargo reported success but " + output + " is missing");
                continue;
            }
            ElfInfo info;
            try {
                info = ElfReader.read(output);
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + output + ": " + e.getMessage());
            }
            List<String> problems = policy.problems(info);
            if (!problems.isEmpty()) failures.add(f.name() + ": " + String.join("; ", problems));
            built.add(new Built(f, output, info));
        }
        if (!failures.isEmpty()) throw rejected(failures, "failed verification", plan.lambdaDir());
        return built;
    }

    /** Bootstraps, zips and the manifest staged next to their places, sizes checked, then all renamed into place. */
    private List<Report.Row> install(Builder.Plan plan, List<Built> built, long maxSize, CompletableFuture<Map<String, String>> tools) {
        Path lambdaDir = plan.lambdaDir();
        List<Report.Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String epoch = plan.env().get("SOURCE_DATE_EPOCH");
        Map<String, BuildState.Entry> before = BuildState.read(lambdaDir), after = new HashMap<>(before);
        // Staged files keep their inode and mtime through the rename: their identities are recorded once all are in place.
        Map<String, Path[]> staged = new java.util.LinkedHashMap<>();
        try (Install.Staging staging = new Install.Staging()) {
            for (Built b : built) {
                String name = b.function().name();
                Path dest = Install.bootstrap(lambdaDir, name), zipDest = dest.resolveSibling("bootstrap.zip");
                BuildState.Entry prev = before.get(name);
                Report.Row row;
                if (prev != null && prev.sha256() != null && prev.stillInstalled(b.output(), dest, zipDest, o.zip, epoch)) {
                    // cargo changed nothing and nobody touched what was installed: keep it as it is.
                    Report.Zip zip = o.zip ? new Report.Zip(zipDest, prev.zip().size(), prev.zipSha256()) : null;
                    row = new Report.Row(b.function(), plan.target(), dest, b.info(), prev.sha256(), zip, null);
                } else {
                    Path boot = staging.stageExecutable(b.output(), dest);
                    Report.Zip zip = null;
                    Path zipTmp = null;
                    if (o.zip) {
                        zipTmp = staging.stage(zipDest, tmp -> LambdaZip.write(boot, tmp, epoch));
                        zip = new Report.Zip(zipDest, zipTmp.toFile().length(), sha256(zipTmp));
                    }
                    row = new Report.Row(b.function(), plan.target(), dest, b.info(), sha256(boot), zip, null);
                    staged.put(name, new Path[]{b.output(), boot, zipTmp});
                }
                SizeLimits.Verdict size = SizeLimits.judge(b.function().name(), b.info().size, row.zipSize(), maxSize);
                size.warnings().forEach(w -> err.println(me + ": warning: " + w));
                failures.addAll(size.failures());
                rows.add(row);
            }
            if (!failures.isEmpty()) throw rejected(failures, "are too large", lambdaDir);
            stageManifest(staging, lambdaDir, rows, tools.join());
            for (Report.Row r : rows) {
                Path[] s = staged.get(r.function().name());
                if (s == null) continue;
                after.put(r.function().name(), new BuildState.Entry(BuildState.Identity.of(s[0]), BuildState.Identity.of(s[1]), r.sha256(),
                        s[2] == null ? null : BuildState.Identity.of(s[2]), r.zip() == null ? null : r.zip().sha256(), epoch));
            }
            String state = BuildState.render(after);
            staging.stage(lambdaDir.resolve(BuildState.FILE), tmp -> Files.writeString(tmp, state));
            staging.commit();
        }
        return rows;
    }

    /**
     * --smoke: each installed bootstrap started against its own Runtime API (qemu where needed): init must reach
     * GET invocation/next, and with --smoke-event an event it has must be answered without an error. The results
     * go into the rows and a rewritten manifest.json; failures are collected for one line each.
     */
    private List<Report.Row> smoke(Builder.Plan plan, List<Report.Row> rows, CompletableFuture<Map<String, String>> tools,
                                   List<String> failures) {
        Invoker.Settings settings = new Invoker.Settings(128, "neoverse-n1", (long) (o.smokeTimeout * 1000), Map.of());
        Path events = o.smokeEvents == null ? null : cwd.resolve(o.smokeEvents).normalize();
        List<Report.Row> out = new ArrayList<>();
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        for (Report.Row r : rows) {
            String name = r.function().name();
            Path event = events == null ? null : events.resolve(name + ".json");
            byte[] body;
            try {
                body = event != null && Files.isRegularFile(event) ? Files.readAllBytes(event) : null;
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + event + ": " + e.getMessage());
            }
            Invoker.Run run = Invoker.run(name, r.bootstrap(), body, settings, quiet);
            boolean ok = run.outcome() instanceof Invoker.Ready || run.outcome() instanceof Invoker.Answered;
            String detail = ok ? (body == null ? "init reached invocation/next " + run.how() : "answered " + event.getFileName() + " " + run.how())
                    : Invoker.describe(name, run).substring(name.length() + 2);
            if (!ok) failures.add(name + ": " + detail);
            out.add(r.withSmoke(new Report.Smoke(ok, run.initMs(), detail)));
        }
        try (Install.Staging staging = new Install.Staging()) {
            stageManifest(staging, plan.lambdaDir(), out, tools.join());
            staging.commit();
        }
        return out;
    }

    /** manifest.json: this build's rows, and the entries of functions not built now whose bootstrap is still there. */
    private static void stageManifest(Install.Staging staging, Path lambdaDir, List<Report.Row> rows, Map<String, String> versions) {
        List<String> entries = rows.stream().map(r -> r.toJson(lambdaDir)).collect(Collectors.toCollection(ArrayList::new));
        entries.addAll(Manifest.kept(lambdaDir, rows.stream().map(r -> r.function().name()).collect(Collectors.toSet())));
        String manifest = Manifest.render(entries, versions);
        staging.stage(lambdaDir.resolve(Manifest.FILE), tmp -> Files.writeString(tmp, manifest));
    }

    /** Passes bytes through once opened; holds them until then. */
    private static final class Gate extends java.io.OutputStream {
        private final java.io.OutputStream to;
        private java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();

        Gate(java.io.OutputStream to) {
            this.to = to;
        }

        synchronized void open() {
            try {
                held.writeTo(to);
                to.flush();
            } catch (IOException e) {
                // the terminal is gone: nothing to show it on
            }
            held = null;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (held != null) held.write(b);
            else to.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (held != null) held.write(b, off, len);
            else to.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (held == null) to.flush();
        }
    }

    private Cli.UserError rejected(List<String> failures, String what, Path lambdaDir) {
        return new Cli.UserError(ExitCode.CHECK_FAILED, failures.stream().map(f -> "FAIL " + f).collect(Collectors.toList()),
                Report.plural(failures.size(), "function") + " " + what + "; the bootstraps in " + lambdaDir + " were left as they were");
    }

    private static String sha256(Path file) {
        try {
            return Manifest.sha256(file);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static <V> V await(CompletableFuture<V> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
            throw e;
        }
    }

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
