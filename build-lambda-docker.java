///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/pipeline/*.java lib/invoke/*.java
//MAIN BuildLambdaDocker
//CDS
//DESCRIPTION The same build as build-lambda, inside a container (docker or podman) holding cargo-zigbuild

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "build-lambda-docker", description = {"The build of build-lambda (one `cargo zigbuild` for every function, verified bootstraps, a report), "
                + "with cargo run inside a container: the workspace and the target folder are mounted at their own paths, "
                + "cargo's registry and git caches are the host's ($CARGO_HOME or ~/.cargo), and the container runs as the "
                + "calling user, so target/ stays yours. Only the workspace folder is mounted: put build settings in its "
                + ".cargo/config.toml. Without cargo on the host, cargo metadata runs in the container too.",
                BuildCommand.JSON_OUTPUT})
@ExitCodes(value = {ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.MISSING_PREREQUISITE, ExitCode.ENGINE_UNREACHABLE, ExitCode.IMAGE_UNAVAILABLE, ExitCode.IO_ERROR, ExitCode.INTERNAL, ExitCode.INTERRUPTED}, other = "the build failed inside the container: its exit status (cargo's, usually 101)")
class BuildLambdaDocker extends BuildCommand {
    @Mixin
    ContainerOptions container;

    public static void main(String... args) {
        System.exit(Cli.run(new BuildLambdaDocker(), args));
    }

    @Override
    Builder<?> builder() {
        return new DockerBuilder(container);
    }
}
