import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The one cargo call per target, streamed live; with --json, stdout carries only the report, so cargo's goes to
 * stderr. Where the command does not need prepare()'s value, cargo starts at once and its output is held back
 * until the prerequisites pass, unless the builder hands cargo what prepare() found (cargo-zigbuild's zig): then
 * cargo starts once the probe has answered. An early cargo (EarlyCargo) runs with last time's handoff: a no-op
 * build then does not wait for the probe at all, and a longer one runs again if the probe finds another zig.
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
        boolean mayAdopt = early && topLevel && !c.cached() && !builder.inContainer();
        EarlyCargo adopted = null;
        String earlySaid = null;
        // The builder's handoff (cargo-zigbuild's zig) the running cargo got: last time's for an adopted one.
        Map<String, String> handoff = Map.of();
        if (mayAdopt) {
            EarlyCargo.Adoption a = EarlyCargo.adopt(plan.workspace().root, command, plan.env(), builder.handoffNames(), o.output.json);
            adopted = a.cargo();
            earlySaid = a.said();
            handoff = a.handoff();
        } else {
            EarlyCargo.stopUnadopted();
        }
        Launched run;
        if (adopted != null) {
            run = new Launched(adopted.out, adopted.err, adopted.started.done());
        } else {
            // A builder with a handoff waits for its probe before cargo starts: what it finds saves cargo more.
            if (!builder.handoffNames().isEmpty()) handoff = builder.handoff(prepared.await(), plan.env());
            run = launch(plan, command, handoff, mayAdopt);
        }
        try {
            // An adopted cargo that ends well at once has shown the prerequisites are there, unless it had no handoff
            // to reuse (the first run of this kind of call): then the probe runs, for the next call's handoff.
            boolean soon = adopted != null && (!handoff.isEmpty() || builder.handoffNames().isEmpty()) && succeededSoon(adopted);
            if (adopted != null && !soon) {
                earlySaid = (earlySaid == null ? "" : earlySaid + "; ") + "it was still running after " + SOON_MS
                        + " ms, or had no handoff: the prerequisites were checked beside it";
                Map<String, String> found = builder.handoff(prepared.await(), plan.env());
                if (!found.equals(handoff)) {
                    // Last time's call got another zig than this build's probe finds (or none): run it with this one.
                    adopted.stop();
                    adopted = null;
                    earlySaid = "the cargo call started before the options were read had another handoff (" + handoff + "): stopped it";
                    handoff = found;
                    run = launch(plan, command, handoff, true);
                }
            } else if (adopted == null) {
                prepared.await();
            }
        } catch (RuntimeException e) {
            // A missing prerequisite: stop the cargo that started early, and say only what is missing.
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            run.running().handle((r, t) -> r).join();
            throw e;
        }
        OutputGate out = run.out(), errs = run.err();
        CompletableFuture<Exec.Streamed> running = run.running();
        c.err().println(c.me() + ": " + steps.get(index).settingsLine());
        c.err().println(c.me() + ": building " + Report.plural(plan.functions().size(), "function") + " for " + plan.target().triple
                + " (" + plan.profile() + ") with " + builder.label() + (o.verbose ? ": " + String.join(" ", command) : ""));
        if (o.verbose && earlySaid != null) c.err().println(c.me() + ": " + earlySaid);
        Map<String, String> added = new java.util.TreeMap<>(steps.get(index).added());
        added.putAll(handoff);
        if (o.verbose && !added.isEmpty()) {
            c.err().println(c.me() + ": with " + added.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
        c.err().flush();
        if (topLevel && index == 0) Replay.cargoShown();
        out.open();
        errs.open();
        Exec.Streamed r = Pipeline.await(running);
        if (r.exit == 0) return;
        String why = builder.explainFailure(plan, r.err);
        if (why != null) throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, why);
        throw Cli.UserError.buildFailed(r.exit, "the build step failed (" + builder.label() + " exited with " + r.exit
                + "); the bootstraps in " + plan.lambdaDir() + " were left as they were");
    }

    private record Launched(OutputGate out, OutputGate err, CompletableFuture<Exec.Streamed> running) {}

    /** Starts the planned call with the builder's handoff added, its output held back; recorded for an early start. */
    private Launched launch(Builder.Plan plan, List<String> command, Map<String, String> handoff, boolean record) {
        Map<String, String> env = new java.util.HashMap<>(plan.env());
        env.putAll(handoff);
        if (record) EarlyCargo.remember(plan.workspace().root, command, env, c.o().output.json);
        OutputGate o1 = new OutputGate(c.o().output.json ? System.err : System.out), e1 = new OutputGate(System.err);
        Runnable stop = () -> builder.stop(plan, prepared.ifFound());
        return new Launched(o1, e1, CompletableFuture.supplyAsync(() -> Exec.stream(plan.workspace().root, command, env, o1, e1, stop)));
    }

    /**
     * Whether an adopted early cargo has already ended well, or does so within SOON_MS of its start: then it has
     * shown that what the build needs is there, and the prerequisites are not probed (a no-op build skips the zig
     * probe's python start). Otherwise they are, as for any build, before its output is shown.
     */
    private static boolean succeededSoon(EarlyCargo adopted) {
        Exec.Streamed r = adopted.endedBy(adopted.startedAt + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SOON_MS));
        return r != null && r.exit == 0;
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
