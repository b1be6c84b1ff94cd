import picocli.CommandLine.Option;

/** --arch for a command that looks at one machine (verify-elf, doctor); the build scripts take several (BuildOptions). */
final class ArchOption {
    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "arm64",
            description = "the machine the bootstraps are for: arm64 (or aarch64; the default) or x86_64 (or x86-64)")
    String arch;

    /** Its ELF e_machine, or why --arch names none. */
    Parsed<Integer> machine() {
        Integer m = ElfPolicy.machineOf(arch);
        return m != null ? Parsed.ok(m) : Parsed.bad("unknown --arch '" + arch + "' (use aarch64 or arm64, x86_64 or x86-64)");
    }
}
