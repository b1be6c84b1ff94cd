import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The one cargo call per target, streamed live; with --json, stdout carries only the report, so cargo's goes to
 * stderr. Where the command does not need prepare()'s value, cargo starts at once and its output is held back
 * until the prerequisites pass (a no-op build then does not wait for the zig probe).
 */
final class CargoBuild<T> {
    private final PipelineContext c;
    private final Builder<T> builder;
    private final Prerequisites<T> prepared;
    /** The build main() started, not a rebuild inside another (--reproduce): it may adopt an early cargo. */
    private final boolean topLevel;

    CargoBuild(PipelineContext c, Builder<T> builder, Prerequisites<T> prepared, boolean topLevel) {
        this.c = c;
        this.topLevel = topLevel;
        this.builder = builder;
        this.prepared = prepared;
    }

    void run(List<Planner.Step> steps, int index) {
        BuildOptions o = c.o();
        Builder.Plan plan = steps.get(index).plan();
        // --clean removes files: only once the prerequisites are known to be there.
        boolean early = index == 0 && !builder.commandNeedsPrepared() && !o.clean;
        T known = early ? null : prepared.await();
        if (o.clean && index == 0) clean(steps);
        List<String> command = builder.command(plan, known);
        // The same call started before the options were parsed (EarlyCargo): only a host build without the compile
        // cache (whose counts are taken before cargo) in the folder main() started in.
        EarlyCargo adopted = null;
        String earlySaid = null;
        if (early && topLevel && !c.cached() && !builder.inContainer()) {
            EarlyCargo.Adoption a = EarlyCargo.adopt(plan.workspace().root, command, plan.env(), o.output.json);
            adopted = a.cargo();
            earlySaid = a.said();
        } else {
            EarlyCargo.stopUnadopted();
        }
        OutputGate out, errs;
        CompletableFuture<Exec.Streamed> running;
        if (adopted != null) {
            out = adopted.out;
            errs = adopted.err;
            running = adopted.started.done();
        } else {
            OutputGate o1 = new OutputGate(o.output.json ? System.err : System.out), e1 = new OutputGate(System.err);
            Runnable stop = () -> builder.stop(plan, prepared.ifFound());
            running = CompletableFuture.supplyAsync(() -> Exec.stream(plan.workspace().root, command, plan.env(), o1, e1, stop));
            out = o1;
            errs = e1;
        }
        try {
            if (adopted == null || !succeededSoon(adopted)) prepared.await();
        } catch (RuntimeException e) {
            // A missing prerequisite: stop the cargo that started early, and say only what is missing.
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            running.handle((r, t) -> r).join();
            throw e;
        }
        c.err().println(c.me() + ": " + steps.get(index).settingsLine());
        c.err().println(c.me() + ": building " + Report.plural(plan.functions().size(), "function") + " for " + plan.target().triple
                + " (" + plan.profile() + ") with " + builder.label() + (o.verbose ? ": " + String.join(" ", command) : ""));
        if (o.verbose && earlySaid != null) c.err().println(c.me() + ": " + earlySaid);
        Map<String, String> added = steps.get(index).added();
        if (o.verbose && !added.isEmpty()) {
            c.err().println(c.me() + ": with " + added.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
        c.err().flush();
        out.open();
        errs.open();
        Exec.Streamed r = Pipeline.await(running);
        if (r.exit == 0) return;
        String why = builder.explainFailure(plan, r.err);
        if (why != null) throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, why);
        throw Cli.UserError.buildFailed(r.exit, "the build step failed (" + builder.label() + " exited with " + r.exit
                + "); the bootstraps in " + plan.lambdaDir() + " were left as they were");
    }

    /**
     * Whether an adopted early cargo has already ended well, or does so within SOON_MS of its start: then it has
     * shown that what the build needs is there, and the prerequisites are not probed (a no-op build skips the zig
     * probe's python start). Otherwise they are, as for any build, before its output is shown.
     */
    private static boolean succeededSoon(EarlyCargo adopted) {
        long left = SOON_MS - (System.nanoTime() - adopted.startedAt) / 1_000_000;
        try {
            return adopted.started.done().get(Math.max(0, left), java.util.concurrent.TimeUnit.MILLISECONDS).exit == 0;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    /** How long an adopted cargo may run (from its start) before the prerequisites are checked beside it. */
    static final long SOON_MS = 1000;

    private void clean(List<Planner.Step> steps) {
        Path lambdaDir = steps.get(0).plan().lambdaDir();
        List<Path> cargoOut = steps.stream().map(st -> st.plan().workspace().targetDir.resolve(st.plan().target().cargoTriple)).toList();
        c.err().println(c.me() + ": --clean: removing " + lambdaDir + " and " + cargoOut.stream().map(Path::toString).collect(Collectors.joining(" and ")));
        Install.deleteTree(lambdaDir);
        cargoOut.forEach(Install::deleteTree);
    }
}
