import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** What every build script is: the shared options, then the pipeline with its own Builder. */
abstract class BuildCommand implements Callable<Integer> {
    @Mixin
    BuildOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The one thing a build script decides: how cargo runs. */
    abstract Builder<?> builder();

    @Override
    public Integer call() {
        return Pipeline.run(spec, options, builder());
    }
}
