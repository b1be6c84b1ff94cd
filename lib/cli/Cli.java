//DEPS info.picocli:picocli:4.7.6
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off
//JAVAC_OPTIONS -XDstringConcat=inline

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * picocli set-up shared by every script: one-line errors, exit codes, --verbose traces. Every script includes
 * lib/cli, so the JVM options above (JBang reads //JAVA_OPTIONS from included files) are written once, here:
 * they favour a short run (C1 only, the serial collector, no perf data file; the class-data archive each
 * script's own //CDS line asks for is used without a word when it fits and ignored when it does not).
 */
final class Cli {
    private Cli() {}

    /** Thrown for a failure the user can fix; its message is the one line they see. */
    static class UserError extends RuntimeException {
        final int exitCode;
        /** Lines printed before the message, each behind the command's name (one per failed function, say). */
        final List<String> details;

        UserError(ExitCode exit, String message) {
            this(exit.code, message, List.of());
        }

        UserError(ExitCode exit, List<String> details, String message) {
            this(exit.code, message, details);
        }

        private UserError(int exitCode, String message, List<String> details) {
            super(message);
            this.exitCode = exitCode;
            this.details = List.copyOf(details);
        }

        /** The build step failed: exit with the build tool's own code (cargo's 101, a container's status). */
        static UserError buildFailed(int toolExit, String message) {
            return new UserError(toolExit, message, List.of());
        }
    }

    /** A program that did not answer within its time limit. */
    static final class Timeout extends UserError {
        Timeout(String message) {
            super(ExitCode.MISSING_PREREQUISITE, message);
        }
    }

    /** Runs a command in-process and returns its exit code: each script's main passes it to System.exit, tests call it as it is. */
    static int run(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /**
     * The command line of one of the scripts' commands, with what every command has and its @Command leaves out:
     * --help and --version (ProjectVersion), options listed in the order they are declared, the help as wide
     * as the terminal, the exit codes of its @ExitCodes, one-line errors and the outcome file.
     */
    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.getCommandSpec().mixinStandardHelpOptions(true).versionProvider(new ProjectVersion());
        cl.getCommandSpec().usageMessage().sortOptions(false).autoWidth(true);
        ExitCodes codes = command.getClass().getAnnotation(ExitCodes.class);
        if (codes != null) {
            Map<String, String> list = new java.util.LinkedHashMap<>();
            for (ExitCode c : codes.value()) list.put(Integer.toString(c.code), c.meaning);
            if (!codes.other().isEmpty()) list.put("other", codes.other());
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list);
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandName() + " --help' for usage.");
            c.getErr().flush();
            Outcome.write(c.getCommandName(), ExitCode.USAGE.code, ex.getMessage());
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError) {
                ((UserError) ex).details.forEach(line -> c.getErr().println(c.getCommandName() + ": " + line));
                c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
                c.getErr().flush();
                Outcome.write(c.getCommandName(), ((UserError) ex).exitCode, ex.getMessage());
                return ((UserError) ex).exitCode;
            }
            boolean verbose = parsed.hasMatchedOption("--verbose");
            String what = ex instanceof IOException ? "I/O error: " : "unexpected error: ";
            c.getErr().println(c.getCommandName() + ": " + what + ex
                    + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) ex.printStackTrace(c.getErr());
            c.getErr().flush();
            int code = (ex instanceof IOException ? ExitCode.USAGE : ExitCode.INTERNAL).code;
            Outcome.write(c.getCommandName(), code, what + ex);
            return code;
        });
        // A command that returns (success, or a failure it printed itself) reports its exit code.
        cl.setExecutionStrategy(parsed -> {
            int code = new CommandLine.RunLast().execute(parsed);
            Outcome.write(parsed.commandSpec().name(), code, null);
            return code;
        });
        return cl;
    }
}
