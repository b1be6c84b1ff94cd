import picocli.CommandLine;

/** The Rust target triple and the ELF machine a Lambda function is built for. */
final class Target {
    final String triple;
    /**
     * The triple as cargo and rustup know it: cargo-zigbuild's glibc suffix (".2.34") dropped. It names
     * cargo's output folder and the std `rustup target add` installs.
     */
    final String cargoTriple;
    final int machine;
    /** musl builds are expected static; glibc builds link glibc dynamically, as Lambda's provided.al2023 allows. */
    final boolean staticExpected;

    private Target(String triple, int machine) {
        this.triple = triple;
        this.cargoTriple = triple.replaceFirst("^(.*-gnu[a-z]*)\\.[0-9.]+$", "$1");
        this.machine = machine;
        this.staticExpected = !cargoTriple.contains("-gnu");
    }

    /** From --target when given (any triple Lambda can run), else from --arch (arm64, x86_64). */
    static Target of(CommandLine.Model.CommandSpec spec, String arch, String triple) {
        if (triple != null) {
            Integer m = ElfPolicy.machineOf(triple.split("-", 2)[0]);
            if (m == null || !triple.contains("-")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unsupported --target '" + triple
                        + "': Lambda runs aarch64 and x86_64 (e.g. aarch64-unknown-linux-musl, x86_64-unknown-linux-gnu.2.34)");
            }
            return new Target(triple, m);
        }
        Integer m = ElfPolicy.machineOf(arch);
        if (m == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --arch '" + arch + "' (use arm64 or x86_64)");
        }
        return new Target(m == ElfReader.EM_AARCH64 ? "aarch64-unknown-linux-musl" : "x86_64-unknown-linux-musl", m);
    }

    /** cargo's output folder for a profile: dev builds land in debug/, the rest in a folder of their name. */
    static String profileDir(String profile) {
        return profile.equals("dev") || profile.equals("test") ? "debug" : profile.equals("bench") ? "release" : profile;
    }
}
