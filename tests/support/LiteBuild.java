import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The chat-lite fixture (tests/fixtures/chat-lite: the chat's five functions on a std-only runtime, no
 * crates.io dependencies) built once per run into its own shared target folder. Tests of packaging,
 * reproducible zips, tuning, sccache, container and fresh-HOME builds use it instead of the example,
 * whose AWS SDK crates take minutes to compile: same function names, seconds to build.
 */
final class LiteBuild {
    static final Path WORKSPACE = Repo.ROOT.resolve("tests/fixtures/chat-lite");
    static final Path MANIFEST = WORKSPACE.resolve("Cargo.toml");
    /** Relative to the repository, for commands run from it. */
    static final String MANIFEST_ARG = "tests/fixtures/chat-lite/Cargo.toml";
    static final List<String> FUNCTIONS = ExampleBuild.FUNCTIONS;
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/lite-target");
    static final Path LAMBDA = TARGET.resolve("lambda");
    /** Planted before the first build, which runs with --clean: both must be gone afterwards. */
    static final Path STALE_BOOTSTRAP = LAMBDA.resolve("stale-function/bootstrap");
    static final Path STALE_CARGO_OUTPUT = TARGET.resolve("aarch64-unknown-linux-musl/stale-sentinel");

    private static Proc result;

    private LiteBuild() {}

    static Map<String, String> env() {
        return Map.of("CARGO_TARGET_DIR", TARGET.toString(), "NO_COLOR", "1");
    }

    static synchronized Proc get() {
        if (result == null) {
            try {
                Files.createDirectories(STALE_BOOTSTRAP.getParent());
                Files.writeString(STALE_BOOTSTRAP, "old");
                Files.createDirectories(STALE_CARGO_OUTPUT.getParent());
                Files.writeString(STALE_CARGO_OUTPUT, "old");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result = Proc.jbang(env(), "build-lambda@.", "--manifest-path", MANIFEST_ARG, "--clean", "--json");
        }
        return result;
    }

    static Path bootstrap(String function) {
        return LAMBDA.resolve(function).resolve("bootstrap");
    }
}
