import java.nio.file.Path;

/**
 * Where each built binary goes in the lambda folder. One arch keeps the layout cargo-lambda users know:
 * <lambda dir>/<name>/bootstrap (+ bootstrap.zip) for a function, <lambda dir>/extensions/<name> (+ <name>.zip,
 * the layer) for an extension. Several arches in one build each get a folder of their own, named as Lambda names
 * architectures: <lambda dir>/arm64/..., <lambda dir>/x86_64/..., so no arch overwrites another.
 */
final class Layout {
    enum Kind {
        FUNCTION, EXTENSION;

        String word() {
            return this == FUNCTION ? "function" : "extension";
        }
    }

    /**
     * binary: the installed file; zip: its zip; folder: where a function's included files are copied (null for an
     * extension: its includes go into its layer zip only); entry: the binary's name in the zip.
     */
    record Place(Path binary, Path zip, Path folder, String entry) {}

    private Layout() {}

    /** Lambda's name for the target's architecture: arm64 or x86_64. */
    static String archName(Target t) {
        return t.machine == ElfReader.EM_AARCH64 ? "arm64" : "x86_64";
    }

    static Place of(Path lambdaDir, boolean severalArches, Target t, String name, Kind kind, boolean internal) {
        Path base = severalArches ? lambdaDir.resolve(archName(t)) : lambdaDir;
        if (kind == Kind.FUNCTION) {
            Path dir = base.resolve(name);
            return new Place(dir.resolve(LambdaZip.ENTRY), dir.resolve(LambdaZip.ENTRY + ".zip"), dir, LambdaZip.ENTRY);
        }
        // A layer unpacks into /opt: Lambda starts external extensions from /opt/extensions; an internal one is
        // started by the runtime (a wrapper script), so cargo-lambda puts it at the layer's root.
        Path dir = base.resolve("extensions");
        return new Place(dir.resolve(name), dir.resolve(name + ".zip"), null, internal ? name : "extensions/" + name);
    }
}
