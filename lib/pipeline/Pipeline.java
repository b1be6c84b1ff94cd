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
    /** The compile cache (--sccache, or RUSTC_WRAPPER=sccache): wanted, and the host's sccache when cargo runs here. */
    private boolean cached;
    private Path sccache;

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
    private record Settings(String maxGlibc, long maxSize, Path manifest) {}

    /** One cargo call: its plan, and the release settings it adds (said as it starts). */
    private record Step(Builder.Plan plan, String settingsLine, Map<String, String> added) {}

    /** One binary cargo built, read and checked, with how it is packaged. */
    private record Built(BuildConfig.Packaged packaged, Builder.Plan plan, Path output, ElfInfo info) {}

    private int run() {
        Settings s = settings();
        // Finding the builder's tools (a python start for zig, the engine's answers) overlaps with cargo metadata.
        Map<String, String> probeEnv = Map.copyOf(env);
        CompletableFuture<T> prepared = CompletableFuture.supplyAsync(() -> builder.prepare(probeEnv));
        Workspace ws = workspace(s.manifest(), prepared);
        List<Workspace.Function> selected = select(spec, o, ws);
        BuildConfig cfg = BuildConfig.resolve(spec, o, ws, selected, cwd);
        cfg.warnings.forEach(w -> err.println(me + ": warning: " + w));
        Tune tune = o.tune == null && !o.noTune && cfg.disableOptimizations ? Tune.NONE : tune();
        List<Step> steps = new ArrayList<>();
        for (Target t : cfg.targets) steps.add(plan(ws, selected, t, tune, cfg));
        Map<String, String> toolEnv = Map.copyOf(steps.get(0).plan().env());
        CompletableFuture<Map<String, String>> tools = prepared.thenApplyAsync(found -> builder.toolVersions(ws.root, toolEnv, found));
        Map<String, String> cacheEnv = steps.get(0).plan().env();
        CompileCache.Stats before = sccache == null ? null : CompileCache.stats(sccache, ws.root, cacheEnv);
        for (int i = 0; i < steps.size(); i++) build(steps, i, prepared);
        CompileCache.Stats cache = before == null ? null : cacheSince(before, ws.root, cacheEnv);
        if (cached && sccache == null) {
            for (Step step : steps) {
                CompileCache.Stats s1 = builder.cacheStats(step.plan());
                if (s1 != null) cache = cache == null ? s1 : cache.plus(s1);
            }
        }
        List<Built> built = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Step step : steps) built.addAll(verify(step.plan(), cfg, s.maxGlibc(), failures));
        if (!failures.isEmpty()) throw rejected(failures, "failed verification", cfg.lambdaDir);
        List<Report.Row> rows = install(cfg, built, s.maxSize(), tools);
        List<String> smokeFailures = new ArrayList<>();
        if (o.smoke || o.smokeEvents != null) rows = smoke(cfg.lambdaDir, rows, tools, smokeFailures);
        Report.print(spec.commandLine().getOut(), o.json, builder.label(), steps.stream().map(Step::plan).toList(), rows, cache);
        if (!smokeFailures.isEmpty()) {
            throw new Cli.UserError(ExitCode.CHECK_FAILED, smokeFailures.stream().map(f -> "FAIL smoke " + f).collect(Collectors.toList()),
                    Report.plural(smokeFailures.size(), "function") + " failed the smoke check; the bootstraps in " + cfg.lambdaDir
                            + " are installed (they are what was built), and the report and manifest.json mark them");
        }
        return ExitCode.OK.code;
    }

    /** The build compiled: its cache counts are only a report line, and a server that died since gives a warning, not a failure. */
    private CompileCache.Stats cacheSince(CompileCache.Stats before, Path dir, Map<String, String> cacheEnv) {
        try {
            return CompileCache.stats(sccache, dir, cacheEnv).since(before);
        } catch (Cli.UserError e) {
            err.println(me + ": warning: no sccache counts for this build: " + e.getMessage());
            return null;
        }
    }

    private Settings settings() {
        BuildConfig.flagTargets(spec, o);
        o.include.forEach(i -> Include.parse(i, cwd, "--include"));
        tune();
        String maxGlibc = ElfPolicy.parseMaxGlibc(spec, o.maxGlibc, o.runtime);
        long maxSize = o.maxSize == null ? -1 : Sizes.parse(spec, "--max-size", o.maxSize);
        cached = CompileCache.wanted(o.sccache, env);
        if (cached && !builder.inContainer()) sccache = CompileCache.find(env);
        return new Settings(maxGlibc, maxSize, Workspace.findManifest(o.manifestPath, cwd));
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

    /** The release settings the workspace leaves open, and one target's cargo call. */
    private Step plan(Workspace ws, List<Workspace.Function> selected, Target target, Tune tune, BuildConfig cfg) {
        List<String> configs = CargoConfig.files(ws.root, env).stream().map(CargoConfig::read).toList();
        Map<String, Map<String, String>> profiles = Profiles.read(ws.root.resolve("Cargo.toml"), configs);
        Map<String, String> added = new java.util.TreeMap<>();
        List<String> cargoArgs = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, String> want : tune.settings().entrySet()) {
            Map.Entry<String, String> e = Profiles.defaultSetting(profiles, cfg.profile, env, want.getKey(), want.getValue());
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
        Map<String, String> planEnv = new HashMap<>(env);
        planEnv.putAll(added);
        // In a container the wrapper is the image's sccache, found by name; the workspace is mounted at its own path.
        if (cached) planEnv.putAll(CompileCache.env(sccache != null ? sccache.toString() : "sccache", ws.root, env));
        String line = shown.isEmpty() ? "the workspace sets every release setting itself; nothing added"
                : "added where the workspace leaves them open (" + tune.word + (tune == Tune.NONE ? ", --no-tune" : "") + "): "
                + String.join(", ", shown);
        cargoArgs.addAll(o.cargoArgs);
        return new Step(new Builder.Plan(ws, selected, target, cfg.profile, List.copyOf(cargoArgs), Map.copyOf(planEnv), cfg.lambdaDir),
                line, java.util.Collections.unmodifiableMap(added));
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
        if (o.tune == null) return Tune.SPEED;
        return switch (o.tune) {
            case "speed" -> Tune.SPEED;
            case "size" -> Tune.SIZE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown --tune '" + o.tune + "' (use speed or size, or --no-tune)");
        };
    }

    private void clean(List<Step> steps) {
        Path lambdaDir = steps.get(0).plan().lambdaDir();
        List<Path> cargoOut = steps.stream().map(st -> st.plan().workspace().targetDir.resolve(st.plan().target().cargoTriple)).toList();
        err.println(me + ": --clean: removing " + lambdaDir + " and " + cargoOut.stream().map(Path::toString).collect(Collectors.joining(" and ")));
        Install.deleteTree(lambdaDir);
        cargoOut.forEach(Install::deleteTree);
    }

    /**
     * The one cargo call, streamed live; with --json, stdout carries only the report, so cargo's goes to stderr.
     * Where the command does not need prepare()'s value, cargo starts at once and its output is held back
     * until the prerequisites pass (a no-op build then does not wait for the zig probe).
     */
    private void build(List<Step> steps, int index, CompletableFuture<T> prepared) {
        Builder.Plan plan = steps.get(index).plan();
        // --clean removes files: only once the prerequisites are known to be there.
        boolean early = index == 0 && !builder.commandNeedsPrepared() && !o.clean;
        T known = early ? null : await(prepared);
        if (o.clean && index == 0) clean(steps);
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
        err.println(me + ": " + steps.get(index).settingsLine());
        err.println(me + ": building " + Report.plural(plan.functions().size(), "function") + " for " + plan.target().triple
                + " (" + plan.profile() + ") with " + builder.label() + (o.verbose ? ": " + String.join(" ", command) : ""));
        Map<String, String> added = steps.get(index).added();
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
    private List<Built> verify(Builder.Plan plan, BuildConfig cfg, String maxGlibc, List<String> failures) {
        Target t = plan.target();
        ElfPolicy policy = new ElfPolicy(t.machine, !t.staticExpected, false, -1).withMaxGlibc(maxGlibc);
        String suffix = cfg.targets.size() > 1 ? " (" + Layout.archName(t) + ")" : "";
        List<Built> built = new ArrayList<>();
        for (BuildConfig.Packaged p : cfg.functions) {
            Workspace.Function f = p.function();
            Path output = plan.output(f);
            if (!Files.isRegularFile(output)) {
                failures.add(f.name() + suffix + ": cargo reported success but " + output + " is missing");
                continue;
            }
            ElfInfo info;
            try {
                info = ElfReader.read(output);
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + output + ": " + e.getMessage());
            }
            List<String> problems = policy.problems(info);
            if (!problems.isEmpty()) failures.add(f.name() + suffix + ": " + String.join("; ", problems));
            built.add(new Built(p, plan, output, info));
        }
        return built;
    }

    /**
     * Binaries, included files, zips and the manifest staged next to their places, sizes checked, then all renamed
     * into place; included files an earlier build copied and this one does not are removed after that.
     */
    private List<Report.Row> install(BuildConfig cfg, List<Built> built, long maxSize, CompletableFuture<Map<String, String>> tools) {
        Path lambdaDir = cfg.lambdaDir;
        boolean severalArches = cfg.targets.size() > 1;
        List<Report.Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String epoch = env.get("SOURCE_DATE_EPOCH");
        Map<String, BuildState.Entry> before = BuildState.read(lambdaDir), after = new HashMap<>(before);
        // Staged files keep their inode and mtime through the rename: their identities are recorded once all are in place.
        Map<String, Path[]> staged = new java.util.LinkedHashMap<>();
        Map<String, List<String>> copied = new HashMap<>();
        Map<String, String> zipEntryOf = new HashMap<>();
        try (Install.Staging staging = new Install.Staging()) {
            for (Built b : built) {
                BuildConfig.Packaged p = b.packaged();
                String name = p.function().name();
                Layout.Place place = Layout.of(lambdaDir, severalArches, b.plan().target(), name, p.kind(), p.internal());
                Path dest = place.binary(), zipDest = place.zip();
                String key = lambdaDir.relativize(dest).toString();
                zipEntryOf.put(key, place.entry());
                BuildState.Entry prev = before.get(key);
                Report.Row row;
                if (prev != null && prev.sha256() != null && p.included().isEmpty() && prev.included().isEmpty()
                        && prev.stillInstalled(b.output(), dest, zipDest, p.zip(), epoch, place.entry())) {
                    // cargo changed nothing and nobody touched what was installed: keep it as it is.
                    Report.Zip zip = p.zip() ? new Report.Zip(zipDest, prev.zip().size(), prev.zipSha256()) : null;
                    row = new Report.Row(p, b.plan().target(), dest, b.info(), prev.sha256(), zip, List.of(), null);
                } else {
                    Fresh f = stageFresh(staging, b, place, lambdaDir, epoch);
                    row = f.row();
                    copied.put(key, f.copied());
                    staged.put(key, new Path[]{b.output(), f.bootstrap(), f.zip()});
                }
                SizeLimits.Verdict size = SizeLimits.judge(name, b.info().size, row.zipSize(), maxSize);
                size.warnings().forEach(w -> err.println(me + ": warning: " + w));
                failures.addAll(size.failures());
                rows.add(row);
            }
            if (!failures.isEmpty()) throw rejected(failures, "are too large", lambdaDir);
            stageManifest(staging, lambdaDir, rows, tools.join());
            for (Report.Row r : rows) {
                String key = lambdaDir.relativize(r.bootstrap()).toString();
                Path[] s = staged.get(key);
                if (s == null) continue;
                after.put(key, new BuildState.Entry(BuildState.Identity.of(s[0]), BuildState.Identity.of(s[1]), r.sha256(),
                        s[2] == null ? null : BuildState.Identity.of(s[2]), r.zip() == null ? null : r.zip().sha256(), epoch,
                        zipEntryOf.get(key), copied.getOrDefault(key, List.of())));
            }
            String state = BuildState.render(after);
            staging.stage(lambdaDir.resolve(BuildState.FILE), tmp -> Files.writeString(tmp, state));
            staging.commit();
        }
        for (Map.Entry<String, List<String>> now : copied.entrySet()) {
            BuildState.Entry prev = before.get(now.getKey());
            if (prev == null) continue;
            for (String old : prev.included()) {
                if (!now.getValue().contains(old)) Install.deleteQuietly(lambdaDir.resolve(old));
            }
        }
        return rows;
    }

    /** What stageFresh staged: the row, the staged bootstrap and zip (null without one), the files copied next to it. */
    private record Fresh(Report.Row row, Path bootstrap, Path zip, List<String> copied) {}

    /** One binary staged afresh: itself (0755), a function's included files next to it, and its zip. */
    private Fresh stageFresh(Install.Staging staging, Built b, Layout.Place place, Path lambdaDir, String epoch) {
        BuildConfig.Packaged p = b.packaged();
        Path boot = staging.stageExecutable(b.output(), place.binary());
        List<String> copied = new ArrayList<>();
        if (place.folder() != null) {
            for (LambdaZip.Entry e : p.included()) {
                Path to = place.folder().resolve(e.name());
                if (e.isFolder()) {
                    Install.createFolder(to);
                } else {
                    staging.stageCopy(e.source(), to, e.executable());
                    copied.add(lambdaDir.relativize(to).toString());
                }
            }
        }
        Report.Zip zip = null;
        Path zipTmp = null;
        if (p.zip()) {
            List<LambdaZip.Entry> entries = new ArrayList<>(p.included());
            entries.add(new LambdaZip.Entry(place.entry(), boot, true));
            int slash = place.entry().lastIndexOf('/');
            if (slash > 0) entries.add(LambdaZip.Entry.folder(place.entry().substring(0, slash)));
            zipTmp = staging.stage(place.zip(), tmp -> LambdaZip.write(entries.stream().distinct().toList(), tmp, epoch));
            zip = new Report.Zip(place.zip(), zipTmp.toFile().length(), sha256(zipTmp));
        }
        List<String> included = p.included().stream().filter(e -> !e.isFolder()).map(LambdaZip.Entry::name).toList();
        Report.Row row = new Report.Row(p, b.plan().target(), place.binary(), b.info(), sha256(boot), zip, included, null);
        return new Fresh(row, boot, zipTmp, copied);
    }

    /**
     * --smoke: each installed bootstrap started against its own Runtime API (qemu where needed): init must reach
     * GET invocation/next, and with --smoke-event an event it has must be answered without an error. The results
     * go into the rows and a rewritten manifest.json; failures are collected for one line each. Extensions are
     * not functions: they are not started.
     */
    private List<Report.Row> smoke(Path lambdaDir, List<Report.Row> rows, CompletableFuture<Map<String, String>> tools,
                                   List<String> failures) {
        Invoker.Settings settings = new Invoker.Settings(128, "neoverse-n1", (long) (o.smokeTimeout * 1000), Map.of());
        Path events = o.smokeEvents == null ? null : cwd.resolve(o.smokeEvents).normalize();
        List<Report.Row> out = new ArrayList<>();
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        for (Report.Row r : rows) {
            if (r.packaged().kind() != Layout.Kind.FUNCTION) {
                out.add(r);
                continue;
            }
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
            stageManifest(staging, lambdaDir, out, tools.join());
            staging.commit();
        }
        return out;
    }

    /** manifest.json: this build's rows, and the entries of binaries not built now that are still in place. */
    private static void stageManifest(Install.Staging staging, Path lambdaDir, List<Report.Row> rows, Map<String, String> versions) {
        Manifest.Entries kept = Manifest.kept(lambdaDir, rows.stream().map(r -> lambdaDir.relativize(r.bootstrap()).toString()).collect(Collectors.toSet()),
                rows.stream().filter(r -> !r.isExtension()).map(r -> r.function().name()).collect(Collectors.toSet()),
                rows.stream().filter(Report.Row::isExtension).map(r -> r.function().name()).collect(Collectors.toSet()));
        List<String> functions = new ArrayList<>(), extensions = new ArrayList<>();
        for (Report.Row r : rows) (r.packaged().kind() == Layout.Kind.FUNCTION ? functions : extensions).add(r.toJson(lambdaDir));
        functions.addAll(kept.functions());
        extensions.addAll(kept.extensions());
        String manifest = Manifest.render(functions, extensions, versions);
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
