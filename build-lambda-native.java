///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/pipeline/*.java lib/invoke/*.java
//MAIN BuildLambdaNative
//CDS
//DESCRIPTION The same build with plain cargo build --target and the host's own linker setup (ARM64 hosts, or a linker named in cargo config)

import picocli.CommandLine.Command;

@Command(name = "build-lambda-native", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"The build of build-lambda (one cargo call per target for every function, verified bootstraps, a report) with "
                + "plain `cargo build --release --target <triple>` and the host's own linker setup: an ARM64 Linux host "
                + "(a Graviton CodeBuild runner) building for itself, or a host whose cargo config names a linker for the target."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:built and verified", "1:a bootstrap failed verification", "2:usage or input error",
                "3:a prerequisite is missing (cargo, the target's std, a linker for the target)",
                "other:cargo's own exit code when the build step fails"})
class BuildLambdaNative extends BuildCommand {
    public static void main(String... args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return Cli.commandLine(new BuildLambdaNative()).execute(args);
    }

    @Override
    Builder<?> builder() {
        return new NativeBuilder();
    }
}
