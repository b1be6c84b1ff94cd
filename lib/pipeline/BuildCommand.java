import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** What every build script is: the shared options, then the pipeline with its own Builder; its exit codes but the container build's. */
@ExitCodes(value = {ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.MISSING_PREREQUISITE, ExitCode.IO_ERROR, ExitCode.INTERNAL, ExitCode.INTERRUPTED}, other = "the build step failed: cargo's own exit code (usually 101), after cargo's own output")
abstract class BuildCommand implements Callable<Integer> {
    /** What --json prints, for each build script's description. */
    static final String JSON_OUTPUT = "With --json: the report on stdout, {builder, target, targets, profile, lambda_dir, functions, "
            + "extensions, total_size, sccache}, each function the object manifest.json lists (docs/reference/manifest.md); "
            + "cargo's output goes to stderr.";

    @Mixin
    BuildOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * main() of a build script whose cargo call runs on the host: starts last time's cargo call at once when this
     * run is the same as that one (EarlyCargo); repeats a no-op build's report when nothing it read changed (Replay);
     * else parses the options and builds.
     */
    static int runEarly(String me, BuildCommand command, String... args) {
        EarlyCargo.start(me, args);
        try {
            int replayed = Replay.tryReplay(me);
            if (replayed >= 0) return replayed;
            CommandLine cl = Cli.commandLine(command);
            Replay.capture(cl);
            return cl.execute(args);
        } finally {
            EarlyCargo.stopUnadopted();
        }
    }

    /** The one thing a build script decides: how cargo runs. */
    abstract Builder<?> builder();

    @Override
    public Integer call() {
        return Pipeline.run(spec, options, builder());
    }
}
