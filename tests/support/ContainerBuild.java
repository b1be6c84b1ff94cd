import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The container build for real, shared by the docker tests: a two-member workspace (one member uses a
 * crates.io crate) built with `build-lambda-docker --engine podman` against the local test image, twice,
 * with a CARGO_HOME of its own (the host side of the cache mounts) and a target folder outside the
 * workspace that every container build shares, so std is built from source once.
 */
final class ContainerBuild {
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/docker-target");
    static final List<String> FUNCTIONS = List.of("greet-fn", "hello-fn");

    private static Path workspace;
    private static Path cargoHome;
    private static Proc first;
    private static Proc second;

    private ContainerBuild() {}

    /** Outside the repository: only the workspace is mounted, so no cargo config above it may matter. */
    static synchronized Path workspace() {
        if (workspace == null) {
            try {
                workspace = Files.createTempDirectory("bl-docker-ws-");
                cargoHome = Repo.scratch("docker-cargo-home");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writeWorkspace(workspace);
        }
        return workspace;
    }

    static Path cargoHome() {
        workspace();
        return cargoHome;
    }

    static void writeWorkspace(Path ws) {
        try {
            Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"hello\", \"greet\"]\nresolver = \"2\"\n");
            writeMember(ws.resolve("hello"), "hello-fn", "itoa = \"1\"\n",
                    "fn main() { let mut b = itoa::Buffer::new(); println!(\"hello {}\", b.format(42)); }\n");
            writeMember(ws.resolve("greet"), "greet-fn", "", "fn main() { println!(\"greetings\"); }\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new workspace outside the repository with one member, dir/, whose binary is name. */
    static Path oneMemberWorkspace(String dir, String name, String main) throws IOException {
        Path ws = Files.createTempDirectory("bl-docker-" + dir + "-");
        Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"" + dir + "\"]\nresolver = \"2\"\n");
        writeMember(ws.resolve(dir), name, "", main);
        return ws;
    }

    static void writeMember(Path dir, String name, String deps, String main) throws IOException {
        Fixtures.writePackage(dir, name, "[dependencies]\n" + deps, "src/main.rs", main);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(ContainerImage.env());
        env.put("CARGO_TARGET_DIR", TARGET.toString());
        env.put("CARGO_HOME", cargoHome().toString());
        env.put("NO_COLOR", "1");
        return env;
    }

    /** `./jbang build-lambda-docker@. --engine podman --image <test image> --manifest-path <ws> ARGS`. */
    static Proc run(Map<String, String> env, Path ws, String... args) {
        List<String> a = new ArrayList<>(List.of("build-lambda-docker@.", "--engine", "podman", "--image", ContainerImage.tag(),
                "--manifest-path", ws.resolve("Cargo.toml").toString()));
        a.addAll(List.of(args));
        return Proc.jbang(env, a.toArray(new String[0]));
    }

    static synchronized Proc first() {
        if (first == null) first = run(env(), workspace(), "--verbose", "--json");
        return first;
    }

    static synchronized Proc second() {
        first();
        if (second == null) second = run(env(), workspace());
        return second;
    }

    static Path bootstrap(String function) {
        return TARGET.resolve("lambda").resolve(function).resolve("bootstrap");
    }
}
