import picocli.CommandLine;
import picocli.CommandLine.Option;

/** invoke-lambda's options for how a function's process runs (a picocli @Mixin): the sandbox, a container, or neither. */
final class RunnerOptions {
    @Option(names = "--runner", paramLabel = "RUNNER",
            description = "how the bootstrap runs: sandbox (Linux namespaces through bubblewrap: its folder read-only at /var/task, "
                    + "a writable /tmp, nothing else of this host, as on Lambda; the default on Linux), container (podman or docker, "
                    + "the same layout; the default on macOS), process (a plain process that sees this host: no sandbox)")
    String runner;

    @Option(names = "--ephemeral-storage", paramLabel = "MB",
            description = "the size of the sandbox's or container's /tmp, 512 to 10240 MB as on Lambda (default: 512)")
    Integer ephemeralStorage;

    @Option(names = "--engine", paramLabel = "PROGRAM",
            description = "--runner container's client: podman, docker or a path to either "
                    + "(default: $CONTAINER_ENGINE, else podman when installed, else docker)")
    String engine;

    @Option(names = "--container-image", paramLabel = "IMAGE",
            description = "--runner container's image (default: " + ContainerRunner.IMAGE + ", an empty root made here on first use; "
                    + "e.g. public.ecr.aws/lambda/provided:al2023 for Lambda's own OS)")
    String image;

    /** The runner these options name; hostBuild: --host (this host's binaries, which need this host's libc). */
    Runner runner(CommandLine cl, boolean hostBuild) {
        Runner.Kind kind;
        if (runner == null) {
            kind = hostBuild && Runner.defaultKind() == Runner.Kind.CONTAINER ? Runner.Kind.PROCESS : Runner.defaultKind();
        } else {
            kind = switch (runner) {
                case "sandbox" -> Runner.Kind.SANDBOX;
                case "container" -> Runner.Kind.CONTAINER;
                case "process" -> Runner.Kind.PROCESS;
                default -> throw new CommandLine.ParameterException(cl, "--runner is sandbox, container or process, not '" + runner + "'");
            };
        }
        if (ephemeralStorage != null && (ephemeralStorage < 512 || ephemeralStorage > 10240)) {
            throw new CommandLine.ParameterException(cl, "--ephemeral-storage is from 512 to 10240 MB, as on Lambda");
        }
        if (ephemeralStorage != null && kind == Runner.Kind.PROCESS) {
            throw new CommandLine.ParameterException(cl, "--ephemeral-storage sizes the sandbox's /tmp: a plain process (--runner process) uses this host's");
        }
        if ((engine != null || image != null) && kind != Runner.Kind.CONTAINER) {
            throw new CommandLine.ParameterException(cl, (engine != null ? "--engine" : "--container-image") + " goes with --runner container");
        }
        if (hostBuild && kind == Runner.Kind.CONTAINER) {
            throw new CommandLine.ParameterException(cl, "--host runs this host's binaries, which a container cannot: use --runner sandbox or process");
        }
        return new Runner(kind, ephemeralStorage == null ? Runner.DEFAULT_EPHEMERAL_MB : ephemeralStorage, engine, image);
    }
}
