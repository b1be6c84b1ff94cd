///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/pipeline/*.java lib/invoke/*.java
//MAIN BuildLambda
//CDS
//DESCRIPTION Cross-compile every function of a Cargo workspace to target/lambda/<name>/bootstrap with cargo zigbuild (ARM64 by default)

import picocli.CommandLine.Command;

@Command(name = "build-lambda", description = {"Build every bin target of a Cargo workspace for AWS Lambda with ONE `cargo zigbuild --release "
                + "--target <triple>` call per target, put each at <target dir>/lambda/<name>/bootstrap (0755, atomically), verify "
                + "them (arch, static, stripped) and print a report.",
                BuildCommand.JSON_OUTPUT})
class BuildLambda extends BuildCommand {
    public static void main(String... args) {
        System.exit(runEarly("build-lambda", new BuildLambda(), args));
    }

    @Override
    Builder<?> builder() {
        return new ZigBuilder();
    }
}
