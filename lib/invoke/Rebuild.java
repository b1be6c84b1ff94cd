import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The builds invoke-lambda runs itself: for this host (--host), or build-lambda again (--watch). Output goes to stderr. */
final class Rebuild {
    private Rebuild() {}

    /** The packages to build for a change: those given, unless one is a library (every function may use it). */
    static List<String> packages(Workspace ws, Set<String> changed) {
        boolean lib = changed.stream().anyMatch(p -> ws.functions.stream().noneMatch(f -> f.pkg().equals(p)));
        if (changed.isEmpty() || lib) return List.of();
        return new ArrayList<>(changed);
    }

    /** `cargo build --bins [-p P]...` for this host, in the workspace root; true when it built. */
    static boolean host(Workspace ws, Set<String> changed) {
        List<String> cmd = new ArrayList<>(List.of("cargo", "build", "--bins"));
        packages(ws, changed).forEach(p -> cmd.addAll(List.of("-p", p)));
        return Exec.stream(ws.root, cmd, System.getenv(), System.err, System.err).exit == 0;
    }

    /** The host builds as a Source: target/debug/<name>. */
    static FunctionSource hostSource(Workspace ws) {
        Path debug = ws.targetDir.resolve("debug");
        List<String> names = ws.functions.stream().map(Workspace.Function::name).collect(Collectors.toList());
        return new FunctionSource() {
            public List<String> names() {
                return names;
            }

            public Path executable(String name) {
                return debug.resolve(name);
            }

            public String describe() {
                return "host builds in " + debug + ": " + String.join(", ", names.stream().filter(n -> Files.isRegularFile(debug.resolve(n))).toList());
            }
        };
    }

    /** build-lambda again, through this catalog, for the changed packages; true when it built and verified. */
    static boolean lambda(Path manifest, Workspace ws, Set<String> changed, Path lambdaDir) {
        Path cwd = Path.of("").toAbsolutePath();
        Path catalog = Catalog.dir(null, cwd, manifest, List.of("build-lambda"));
        List<String> cmd = new ArrayList<>(List.of(Catalog.jbang(catalog, System.getenv()), "build-lambda@" + catalog,
                "--manifest-path", manifest.toString()));
        if (lambdaDir != null) cmd.addAll(List.of("--lambda-dir", lambdaDir.toString()));
        packages(ws, changed).forEach(p -> cmd.addAll(List.of("-p", p)));
        return Exec.stream(cwd, cmd, System.getenv(), System.err, System.err).exit == 0;
    }
}
