///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.6
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS org.slf4j:slf4j-nop:1.7.36
//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5
//SOURCES verify-elf.java
//SOURCES lib/Exec.java
//SOURCES lib/ContainerOptions.java
//SOURCES lib/SmartArgs.java
//MAIN BuildLambdaSmart
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off
//CDS
//DESCRIPTION Try the Docker build, fall back to the native build (order set with --order), through this catalog

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "build-lambda-smart", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs the build scripts of this catalog one after the other, as you would (`jbang build-lambda-docker@DIR "
                + "ARGS`, then `jbang build-lambda-native@DIR ARGS`), until one succeeds, and says in one line which one built "
                + "and why the others did not. Every argument other than its own options goes to each script unchanged; "
                + "--engine, --image and --env go to the docker build only. A usage error (exit 2) stops at once: every "
                + "build would reject the same arguments.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:one of the builds succeeded", "2:usage error (smart's own, or the first build's)",
                "3:jbang or the catalog cannot be found",
                "other:every build failed: the last one's exit code (see build-lambda, -docker and -native)"})
class BuildLambdaSmart implements Callable<Integer> {
    static final Map<String, String> ALIASES = Map.of("zig", "build-lambda", "docker", "build-lambda-docker", "native", "build-lambda-native");

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
        LinkedHashSet<String> names = new LinkedHashSet<>(order);
        for (String n : order) {
            if (!ALIASES.containsKey(n)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown build '" + n + "' in --order (use zig, docker, native)");
            }
        }
        if (names.size() != order.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--order names a build twice: " + String.join(",", order));
        }
        Path cwd = Path.of("").toAbsolutePath();
        Map<String, String> env = new HashMap<>(System.getenv());
        Path dir = SmartArgs.catalogDir(catalog, cwd, args.manifestPath(), names.stream().map(ALIASES::get).toList());
        String jbang = SmartArgs.jbang(dir, env);

        List<String> failures = new ArrayList<>();
        int last = 0;
        for (String n : names) {
            String alias = ALIASES.get(n);
            List<String> cmd = new ArrayList<>(List.of(jbang, alias + "@" + dir));
            if (n.equals("docker")) cmd.addAll(args.dockerOnly);
            cmd.addAll(args.forwarded);
            err.println(me + ": trying " + n + " (" + alias + ")");
            err.flush();
            Exec.Result r = Exec.stream(cwd, cmd, env, System.out, System.err);
            if (r.exit == 0) {
                err.println(me + ": built with " + n + (failures.isEmpty() ? "" : ", after " + String.join("; ", failures)));
                err.flush();
                return 0;
            }
            last = r.exit;
            failures.add(n + " failed: " + SmartArgs.reason(r.err, alias) + " (exit " + r.exit + ")");
            if (r.exit == 2 || r.exit == 130) {
                err.println(me + ": stopped: " + failures.get(failures.size() - 1)
                        + (r.exit == 2 ? "; a usage error is the same for every build, so no other was tried" : ""));
                err.flush();
                return r.exit;
            }
        }
        err.println(me + ": no build succeeded: " + String.join("; ", failures));
        err.flush();
        return last;
    }
}
