///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//MAIN VerifyElf
//CDS
//DESCRIPTION Check that Lambda bootstraps are 64-bit little-endian ELF executables for the right arch, statically linked and stripped

/**
 * verify-elf, run on its own (`jbang verify-elf@. target/lambda`). It needs only picocli: lib/cli (one-line
 * errors, exit codes, JSON) and lib/elf (the reader and the policy), which the build scripts and doctor
 * include too. The command itself is lib/elf/VerifyElfCommand, so tests run it in-process; main first starts reading
 * the files the arguments seem to name (lib/elf/EarlyRead), while picocli builds the command.
 */
class VerifyElf {
    public static void main(String... args) {
        EarlyRead.start(args); // the files, read beside picocli's start (lib/elf/EarlyRead)
        System.exit(Cli.run(new VerifyElfCommand(), args));
    }
}
