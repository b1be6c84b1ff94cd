import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The example workspace built once per test run, as a user runs it (`./jbang build-lambda@. ...`),
 * into a target folder every build test shares so std and the crates compile once.
 */
final class ExampleBuild {
    static final List<String> FUNCTIONS = List.of("backend", "ws-broadcast", "ws-connect", "ws-default", "ws-disconnect");
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/shared-target");
    static final Path LAMBDA = TARGET.resolve("lambda");
    /** Planted before the first build, which runs with --clean: both must be gone afterwards. */
    static final Path STALE_BOOTSTRAP = LAMBDA.resolve("stale-function/bootstrap");
    static final Path STALE_CARGO_OUTPUT = TARGET.resolve("aarch64-unknown-linux-musl/stale-sentinel");

    private static Proc result;

    private ExampleBuild() {}

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
            result = Proc.jbang(env(), "build-lambda@.", "--manifest-path", "examples/Cargo.toml", "--clean", "--json");
        }
        return result;
    }

    static Path bootstrap(String function) {
        return LAMBDA.resolve(function).resolve("bootstrap");
    }
}
