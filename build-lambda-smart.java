///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/smart/*.java
//MAIN BuildLambdaSmart
//CDS
//DESCRIPTION Try the Docker build, fall back to the native build (order set with --order), through this catalog

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "build-lambda-smart", description = {"Runs the build scripts of this catalog one after the other, as you would (`jbang build-lambda-docker@DIR "
                + "ARGS`, then `jbang build-lambda-native@DIR ARGS`), until one succeeds, and says in one line which one built "
                + "and why the others did not. Every argument other than its own options goes to each script unchanged; "
                + "--engine, --image and --env go to the docker build only. A usage error (exit 2) stops at once: every "
                + "build would reject the same arguments.", ""})
@ExitCodes(value = {ExitCode.OK, ExitCode.USAGE, ExitCode.MISSING_PREREQUISITE, ExitCode.INTERNAL}, other = "every build failed: the last one's exit code (see build-lambda, -docker and -native)")
class BuildLambdaSmart implements Callable<Integer> {
    @Option(names = "--order", paramLabel = "NAMES", split = ",", defaultValue = "docker,native",
            description = "the builds to try, in order, from zig (build-lambda), docker and native (default: ${DEFAULT-VALUE})")
    List<String> order;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "the folder of the jbang-catalog.json defining the build scripts (default: the nearest one above "
                    + "the current folder, else above --manifest-path)")
    Path catalog;

    @CommandLine.Parameters(paramLabel = "BUILD-ARGS", description = "every other argument: the options of build-lambda "
            + "(see `jbang build-lambda@. --help`), passed to each build unchanged")
    List<String> documentedOnly = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private SmartArgs args;

    public static void main(String... args) {
        System.exit(run(args));
    }

    static int run(String... argv) {
        BuildLambdaSmart smart = new BuildLambdaSmart();
        CommandLine cl = Cli.commandLine(smart);
        smart.args = SmartArgs.split(argv, cl.getCommandSpec());
        return cl.execute(smart.args.own.toArray(new String[0]));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.name();
        LinkedHashSet<BuildKind> kinds = new LinkedHashSet<>();
        for (String n : order) {
            BuildKind k = BuildKind.parse(n);
            if (k == null || k == BuildKind.SMART) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown build '" + n + "' in --order (use zig, docker, native)");
            }
            kinds.add(k);
        }
        if (kinds.size() != order.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--order names a build twice: " + String.join(",", order));
        }
        Path cwd = Path.of("").toAbsolutePath();
        Map<String, String> env = new HashMap<>(System.getenv());
        Path dir = Catalog.dir(catalog, cwd, args.manifestPath(), kinds.stream().map(k -> k.script).toList());
        String jbang = Catalog.jbang(dir, env);

        List<String> failures = new ArrayList<>();
        int last = 0;
        for (BuildKind kind : kinds) {
            String n = kind.word, alias = kind.script;
            List<String> cmd = new ArrayList<>(List.of(jbang, alias + "@" + dir));
            if (kind == BuildKind.DOCKER) cmd.addAll(args.dockerOnly);
            cmd.addAll(args.forwarded);
            err.println(me + ": trying " + n + " (" + alias + ")");
            err.flush();
            Path outcome = outcomeFile();
            Map<String, String> childEnv = new HashMap<>(env);
            childEnv.put(Outcome.ENV, outcome.toString());
            Exec.Streamed r = Exec.stream(cwd, cmd, childEnv, System.out, System.err);
            String said = SmartArgs.outcomeMessage(outcome, alias, r.exit);
            if (r.exit == ExitCode.OK.code) {
                err.println(me + ": built with " + n + (failures.isEmpty() ? "" : ", after " + String.join("; ", failures)));
                err.flush();
                return ExitCode.OK.code;
            }
            last = r.exit;
            failures.add(n + " failed: " + said + " (exit " + r.exit + ")");
            // Some outcomes are the same whichever way cargo runs: trying the next build would only repeat them.
            String stop = r.exit == ExitCode.USAGE.code ? "; a usage error is the same for every build, so no other was tried"
                    : r.exit == ExitCode.INTERNAL.code ? "; an internal error is a bug in these scripts, not in the way of building, so no other was tried"
                    : r.exit == ExitCode.INTERRUPTED.code ? "" : null;
            if (stop != null) {
                err.println(me + ": stopped: " + failures.get(failures.size() - 1) + stop);
                err.flush();
                return r.exit;
            }
        }
        err.println(me + ": no build succeeded: " + String.join("; ", failures));
        err.flush();
        return last;
    }

    /** A fresh, empty-named place for one child's outcome (removed when this JVM ends). */
    private static Path outcomeFile() {
        try {
            Path dir = Files.createTempDirectory("build-lambda-smart-");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve("outcome.json");
            f.toFile().deleteOnExit();
            return f;
        } catch (java.io.IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot create a temporary folder for the builds' outcomes: " + e.getMessage());
        }
    }
}
