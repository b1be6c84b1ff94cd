import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The options only the container build has (a picocli @Mixin). build-lambda-smart reads their names
 * from here to hand them to the docker build alone.
 */
final class ContainerOptions {
    static final String DEFAULT_IMAGE = "ghcr.io/rust-cross/cargo-zigbuild:0.24.0";

    @Option(names = "--engine", paramLabel = "PROGRAM", defaultValue = "${env:CONTAINER_ENGINE:-docker}",
            description = "the container client: docker (the default), podman, or a path to either; "
                    + "the environment variable CONTAINER_ENGINE sets the default")
    String engine;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "${env:BUILD_LAMBDA_IMAGE:-" + DEFAULT_IMAGE + "}",
            description = "an image with cargo, cargo-zigbuild, zig and the target's std (default: ${DEFAULT-VALUE}; "
                    + "the environment variable BUILD_LAMBDA_IMAGE sets the default)")
    String image;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]",
            description = "pass this environment variable into the container (repeatable); the release-profile and "
                    + "RUSTFLAGS variables cargo reads are passed already")
    List<String> env = new ArrayList<>();

    @Option(names = "--network", paramLabel = "MODE", description = "the container's network, passed to `run --network` (e.g. host: "
            + "reach a compile cache on this host's 127.0.0.1); default: the engine's")
    String network;
}
