import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * What every command but the build scripts mixes in (a picocli @Mixin): --verbose, which Cli's error handler
 * reads, and the command's own spec, for its output streams and its usage errors. The build scripts declare
 * --verbose in BuildOptions, where it also shows the commands they run.
 */
final class CommonOptions {
    @Option(names = "--verbose", description = "show stack traces of unexpected errors")
    boolean verbose;

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A usage error (exit 2): throw what this returns. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
