import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Workspaces and PATHs that several test classes build on. */
final class Fixtures {
    private Fixtures() {}

    /** A workspace of one package with one binary, src/main.rs. */
    static void writeCrate(Path ws, String name, String main) throws IOException {
        writePackage(ws, name, "[workspace]\n", "src/main.rs", main);
    }

    /** A package in dir: its Cargo.toml (name, version 0.1.0, edition 2021, then moreToml) and one source file. */
    static void writePackage(Path dir, String name, String moreToml, String sourceFile, String source) throws IOException {
        Files.createDirectories(dir.resolve(sourceFile).getParent());
        Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n" + moreToml);
        Files.writeString(dir.resolve(sourceFile), source);
    }

    /** A workspace of two std-only functions, alpha and beta, each printing its name. */
    static void twoStdFunctions(Path ws) throws IOException {
        Files.createDirectories(ws);
        Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"alpha\", \"beta\"]\n");
        for (String f : java.util.List.of("alpha", "beta")) writePackage(ws.resolve(f), f, "", "src/main.rs", "fn main() { println!(\"" + f + "\"); }\n");
    }

    static Path realCargoZigbuild() {
        // pyenv puts a shim on PATH; the real program sits beside the python that installed it.
        Proc w = Proc.run(Repo.ROOT, "python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))");
        Path p = Path.of(w.out.trim(), "cargo-zigbuild");
        if (Files.isExecutable(p)) return p;
        Proc c = Proc.run(Repo.ROOT, "/bin/sh", "-c", "command -v cargo-zigbuild");
        return Path.of(c.out.trim());
    }

    /** One folder of links to every program on PATH except those named: PATH as usual, minus them. */
    static Path pathWithout(String... names) throws IOException {
        Path bin = Repo.scratch("path-without-" + String.join("-", names));
        for (String dir : System.getenv("PATH").split(":")) {
            if (dir.isEmpty() || !Files.isDirectory(Path.of(dir))) continue;
            try (java.util.stream.Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (List.of(names).contains(n) || Files.exists(bin.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) Files.createSymbolicLink(bin.resolve(n), p);
                }
            }
        }
        return bin;
    }

    /**
     * The native build's set-up. This x86_64 host has no native ARM64 linker, so the workspace names one in
     * its own .cargo/config.toml, as users of build-lambda-native do: aarch64-unknown-linux-gnu, Debian's
     * cross gcc, crt-static, and Debian's prebuilt std for that target (Debian's cargo and rustc first on PATH).
     */
    static final class Native {
        private Native() {}

        static final String TARGET = "aarch64-unknown-linux-gnu";
        static final String LINKER_CONFIG = "[target.aarch64-unknown-linux-gnu]\nlinker = \"aarch64-linux-gnu-gcc\"\n"
                + "rustflags = [\"-C\", \"target-feature=+crt-static\"]\n";

        /** Outside the repository, so that only the workspace's own cargo config applies. */
        static Path workspace(String name, String main, boolean linkerConfig) throws IOException {
            Path ws = Files.createTempDirectory("bl-native-");
            writeCrate(ws, name, main);
            if (linkerConfig) {
                Files.createDirectories(ws.resolve(".cargo"));
                Files.writeString(ws.resolve(".cargo/config.toml"), LINKER_CONFIG);
            }
            return ws;
        }

        /** Debian's Rust (it has the aarch64-unknown-linux-gnu std) ahead of rustup's. */
        static Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("PATH", "/usr/bin:" + System.getenv("PATH"));
            env.put("NO_COLOR", "1");
            env.put("CARGO_TARGET_DIR", null);
            return env;
        }
    }
}
