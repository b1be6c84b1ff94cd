import java.nio.file.Path;
import java.util.Map;

/**
 * tests/fixtures/managed (lambda_runtime's run_concurrent, and the extensions on the lambda-extension crate), built
 * once per run with build-lambda into a target folder of its own: its lambda folder holds extensions/, which every
 * function run from that folder starts, so the other fixtures stay apart.
 */
final class ManagedFixtures {
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/managed-target");
    static final Path LAMBDA = TARGET.resolve("lambda");
    /** The same function with the extension beside it (extensions/probe-ext), as build-lambda --extension lays it out. */
    static final Path WITH_EXTENSION = TARGET.resolve("lambda-ext");
    private static Proc functions, extended, extension, internal;

    private ManagedFixtures() {}

    static Map<String, String> env() {
        return Map.of("CARGO_TARGET_DIR", TARGET.toString(), "NO_COLOR", "1");
    }

    private static final String MANIFEST = "tests/fixtures/managed/Cargo.toml";

    /** The function alone (build-lambda --bin concurrent-fn). */
    static synchronized Path lambda() {
        if (functions == null) functions = Proc.jbang(env(), "build-lambda@.", "--manifest-path", MANIFEST, "--bin", "concurrent-fn");
        if (functions.exit != 0) throw new AssertionError("building tests/fixtures/managed failed: " + functions);
        return LAMBDA;
    }

    /** The function with an internal extension (build-lambda --bin internal-ext-fn), beside concurrent-fn: no extensions/ there. */
    static synchronized Path internal() {
        if (internal == null) internal = Proc.jbang(env(), "build-lambda@.", "--manifest-path", MANIFEST, "--bin", "internal-ext-fn");
        if (internal.exit != 0) throw new AssertionError("building tests/fixtures/managed failed: " + internal);
        return LAMBDA;
    }

    /** The function, then the extension (build-lambda --extension --bin probe-ext) into the same lambda folder of their own. */
    static synchronized Path withExtension() {
        if (extended == null) {
            extended = Proc.jbang(env(), "build-lambda@.", "--manifest-path", MANIFEST, "--bin", "concurrent-fn",
                    "--lambda-dir", WITH_EXTENSION.toString());
        }
        if (extended.exit != 0) throw new AssertionError("building tests/fixtures/managed failed: " + extended);
        if (extension == null) {
            extension = Proc.jbang(env(), "build-lambda@.", "--manifest-path", MANIFEST, "--extension", "--bin", "probe-ext",
                    "--lambda-dir", WITH_EXTENSION.toString());
        }
        if (extension.exit != 0) throw new AssertionError("building the extension of tests/fixtures/managed failed: " + extension);
        return WITH_EXTENSION;
    }
}
