///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/pipeline/*.java lib/invoke/*.java
//MAIN BuildLambdaNative
//CDS
//DESCRIPTION The same build with plain cargo build --target and the host's own linker setup (ARM64 hosts, or a linker named in cargo config)

import picocli.CommandLine.Command;

@Command(name = "build-lambda-native", description = {"The build of build-lambda (one cargo call per target for every function, verified bootstraps, a report) with "
                + "plain `cargo build --release --target <triple>` and the host's own linker setup: an ARM64 Linux host "
                + "(a Graviton CodeBuild runner) building for itself, or a host whose cargo config names a linker for the target.",
                BuildCommand.JSON_OUTPUT})
class BuildLambdaNative extends BuildCommand {
    public static void main(String... args) {
        System.exit(runEarly("build-lambda-native", new BuildLambdaNative(), args));
    }

    @Override
    Builder<?> builder() {
        return new NativeBuilder();
    }
}
