import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * options -> workspace -> plan -> build -> verify -> install -> smoke -> report. Every build script runs this;
 * they differ only in the Builder they hand in. Each step is its own class (Selection, Planner, CargoBuild,
 * Verification, Installer, SmokeCheck, Report). Every failure is an exception (Cli.UserError) with its exit
 * code (docs/reference/exit-codes.md), else cargo's own code.
 */
final class Pipeline<T> {
    private final Builder<T> builder;
    private final CommandLine.Model.CommandSpec spec;
    private final BuildOptions o;
    private final Path cwd;
    private final Map<String, String> env = new HashMap<>(System.getenv());
    /** Made once the options are checked (finding sccache is one of the checks). */
    private PipelineContext c;
    /** Started by main() itself, not a rebuild inside --reproduce. */
    private final boolean topLevel;

    /** What the options ask for, every one checked before cargo runs. */
    private record Settings(String maxGlibc, long maxSize, CpuCheck.Cpu cpu, Path manifest) {}

    private Pipeline(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<T> builder, Path cwd, Map<String, String> envSet,
                     boolean topLevel) {
        this.spec = spec;
        this.topLevel = topLevel;
        this.o = o;
        this.builder = builder;
        this.cwd = cwd;
        env.putAll(envSet);
    }

    static int run(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<?> builder) {
        if (o.reproduce != null) {
            EarlyCargo.stopUnadopted();
            Replay.forget();
            return Reproduce.run(spec, o, builder);
        }
        return new Pipeline<>(spec, o, builder, Path.of("").toAbsolutePath(), Map.of(), true).run();
    }

    /** A build as if started in cwd with these variables set (--reproduce's rebuild in its copy). */
    static int run(CommandLine.Model.CommandSpec spec, BuildOptions o, Builder<?> builder, Path cwd, Map<String, String> envSet) {
        return new Pipeline<>(spec, o, builder, cwd, envSet, false).run();
    }

    private int run() {
        Settings s = settings();
        // Finding the builder's tools (a python start for zig, the engine's answers) overlaps with cargo metadata.
        Map<String, String> probeEnv = Map.copyOf(c.env());
        Prerequisites<T> prepared = new Prerequisites<>(() -> builder.prepare(probeEnv));
        // With last time's cargo call already running, the check waits to see whether it is needed (CargoBuild).
        if (!(topLevel && EarlyCargo.pending())) prepared.start();
        // cargo metadata where the build runs it (the container build: in its image when the host has no cargo): the
        // workspace's, and the crate lists' and their licences'.
        UnaryOperator<List<String>> metadata = command -> builder.metadataCommand(s.manifest(), command, c.env(), prepared::await);
        Workspace ws = workspace(s.manifest(), metadata, prepared);
        List<Workspace.Function> selected = Selection.select(spec, o, ws);
        BuildConfig cfg = BuildConfig.resolve(spec, o, ws, selected, c.cwd());
        cfg.warnings().forEach(c::warn);
        Tune tune = Tune.of(spec, o, cfg.disableOptimizations());
        boolean auditable = Sbom.auditable(c, builder);
        DepList.Writer lists = Sbom.writtenByTheBuild(c, auditable) ? new DepList.Writer(ws, c.env(), o.cargoArgs, metadata) : null;
        List<Planner.Step> steps = new ArrayList<>();
        for (Target t : cfg.targets()) steps.add(Planner.plan(c, ws, selected, t, tune, cfg, auditable));
        Map<String, String> toolEnv = Map.copyOf(steps.get(0).plan().env());
        ToolVersions tools = new ToolVersions(() -> prepared.future().thenApplyAsync(found -> builder.toolVersions(ws.root, toolEnv, found)),
                builder.toolNames()).startLater();

        CompileCache.Stats cache = cacheCounted(steps, ws, () -> {
            CargoBuild<T> cargo = new CargoBuild<>(c, builder, prepared, topLevel);
            for (int i = 0; i < steps.size(); i++) cargo.run(steps, i);
        });

        try (LambdaDirLock installing = LambdaDirLock.acquire(c, cfg.lambdaDir())) {
            return install(s, cfg, steps, lists, tools, metadata, tune, ws, cache);
        }
    }

    /** verify -> install -> smoke -> report, under the lambda folder's lock: what the last build left is read and written again. */
    private int install(Settings s, BuildConfig cfg, List<Planner.Step> steps, DepList.Writer lists, ToolVersions tools,
                        UnaryOperator<List<String>> metadata, Tune tune, Workspace ws, CompileCache.Stats cache) {
        List<Verification.Built> built = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, BuildState.Entry> state = BuildState.read(cfg.lambdaDir()); // what the last build installed, read once
        for (Planner.Step step : steps) built.addAll(Verification.verify(step.plan(), cfg, s.maxGlibc(), s.cpu(), state, lists, failures));
        if (!failures.isEmpty()) throw rejected(failures, "failed verification", cfg.lambdaDir());

        String record = BuildRecord.json(spec, cfg.lambdaDir(), ws.root, s.manifest(), c.cwd(), cfg.profile(), cfg.targets(), tune, steps);
        Installer.Installed installed = Installer.install(c, cfg, built, state, s.maxSize(), tools, record, metadata);
        List<Report.Row> rows = installed.rows();
        List<String> smokeFailures = new ArrayList<>();
        if (o.smoke || o.smokeEvents != null) rows = SmokeCheck.run(c, cfg.lambdaDir(), rows, tools, record, smokeFailures);

        Report.print(spec.commandLine().getOut(), o.output.json, builder.label(), steps.stream().map(Planner.Step::plan).toList(), rows, cache);
        if (topLevel && installed.unchanged() && smokeFailures.isEmpty() && replayable(steps, cache)) {
            Replay.save(replayInputs(s.manifest(), ws), s.manifest(), ws.metadataJson, built.stream().map(Verification.Built::output).toList(),
                    cfg.lambdaDir());
        }
        if (!smokeFailures.isEmpty()) {
            throw new Cli.UserError(ExitCode.CHECK_FAILED, smokeFailures.stream().map(f -> "FAIL smoke " + f).collect(Collectors.toList()),
                    Report.plural(smokeFailures.size(), "function") + " failed the smoke check; the bootstraps in " + cfg.lambdaDir()
                            + " are installed (they are what was built), and the report and manifest.json mark them");
        }
        return ExitCode.OK.code;
    }

    /** A build whose no-op the next run may repeat from its record (Replay): one host cargo call, nothing asked beside it. */
    private boolean replayable(List<Planner.Step> steps, CompileCache.Stats cache) {
        return steps.size() == 1 && !c.cached() && cache == null && !builder.inContainer() && !builder.commandNeedsPrepared() && !o.verbose
                && !o.clean && !o.smoke && o.smokeEvents == null;
    }

    /**
     * What the plan read beside cargo metadata's answer: the manifest and those a search from here would have found
     * instead, the root's Cargo.toml (its profiles), Cargo.lock, cargo's config files here and at the root (present or
     * not), the root's rust-toolchain files.
     */
    private List<Path> replayInputs(Path manifest, Workspace ws) {
        List<Path> in = new ArrayList<>(List.of(manifest, ws.root.resolve("Cargo.toml"), ws.root.resolve("Cargo.lock"),
                ws.root.resolve("rust-toolchain.toml"), ws.root.resolve("rust-toolchain")));
        if (o.manifestPath == null) {
            for (Path d = cwd.toAbsolutePath().normalize(); d != null && !d.equals(manifest.getParent()); d = d.getParent()) in.add(d.resolve("Cargo.toml"));
        }
        in.addAll(CargoConfig.candidates(cwd, c.env()));
        in.addAll(CargoConfig.candidates(ws.root, c.env()));
        in.addAll(CargoConfig.candidates(manifest.getParent(), c.env()));
        return in.stream().distinct().toList();
    }

    private Settings settings() {
        BuildConfig.flagTargets(spec, o);
        o.include.forEach(i -> Include.parse(i, cwd, "--include"));
        Tune.of(spec, o, false);
        String maxGlibc = o.limits.glibc().orUsage(spec);
        long maxSize = o.limits.size().orUsage(spec);
        CpuCheck.Cpu cpu = o.limits.cpu().orUsage(spec);
        boolean cached = CompileCache.wanted(o.sccache, env);
        Path sccache = cached && !builder.inContainer() ? CompileCache.find(env) : null;
        c = new PipelineContext(spec, o, spec.commandLine().getErr(), spec.name(), cwd, env, cached, sccache, builder.inContainer());
        return new Settings(maxGlibc, maxSize, cpu, Workspace.findManifest(o.manifestPath, cwd));
    }

    private Workspace workspace(Path manifest, UnaryOperator<List<String>> metadata, Prerequisites<T> prepared) {
        try {
            return Workspace.load(manifest, c.env(), metadata);
        } catch (Cli.UserError e) {
            // A missing tool explains a failed cargo metadata better than cargo's own words: report it first.
            prepared.await();
            throw e;
        }
    }

    /** Runs the cargo calls and counts the compile cache around them: the host's sccache, or each container's own. */
    private CompileCache.Stats cacheCounted(List<Planner.Step> steps, Workspace ws, Runnable cargo) {
        Map<String, String> cacheEnv = steps.get(0).plan().env();
        CompileCache.Stats before = c.sccache() == null ? null : CompileCache.stats(c.sccache(), ws.root, cacheEnv);
        cargo.run();
        CompileCache.Stats cache = before == null ? null : cacheSince(before, ws.root, cacheEnv);
        if (c.cached() && c.sccache() == null) {
            for (Planner.Step step : steps) {
                CompileCache.Stats s1 = builder.cacheStats(step.plan());
                if (s1 != null) cache = cache == null ? s1 : cache.plus(s1);
            }
        }
        return cache;
    }

    /** The build compiled: its cache counts are only a report line, and a server that died since gives a warning, not a failure. */
    private CompileCache.Stats cacheSince(CompileCache.Stats before, Path dir, Map<String, String> cacheEnv) {
        try {
            return CompileCache.stats(c.sccache(), dir, cacheEnv).since(before);
        } catch (Cli.UserError e) {
            c.warn("no sccache counts for this build: " + e.getMessage());
            return null;
        }
    }

    static Cli.UserError rejected(List<String> failures, String what, Path lambdaDir) {
        return new Cli.UserError(ExitCode.CHECK_FAILED, failures.stream().map(f -> "FAIL " + f).collect(Collectors.toList()),
                Report.plural(failures.size(), "function") + " " + what + "; the bootstraps in " + lambdaDir + " were left as they were");
    }

    static <V> V await(CompletableFuture<V> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
            throw e;
        }
    }
}
