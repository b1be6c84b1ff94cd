import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The example workspace (lambda_runtime, lambda_http, the AWS SDK: minutes to compile on 2 cores) built once
 * per test run, as a user runs it (`./jbang build-lambda@. ...`). Cargo's target folder is the example's own,
 * the one the README's first command builds into: after that command the tests' build is a no-op instead of a
 * second clean build. What the tests install goes under target/test-work, so a user's own target/lambda is left
 * as their build wrote it. --clean is tested on LiteBuild.
 */
final class ExampleBuild {
    static final List<String> FUNCTIONS = List.of("backend", "ws-broadcast", "ws-connect", "ws-default", "ws-disconnect");
    /** Cargo's, shared with `./jbang build-lambda@. --manifest-path examples/Cargo.toml`. */
    static final Path TARGET = Repo.ROOT.resolve("examples/target");
    static final Path LAMBDA = Repo.ROOT.resolve("target/test-work/example-lambda");

    private static Proc result;

    private ExampleBuild() {}

    static Map<String, String> env() {
        return Map.of("CARGO_TARGET_DIR", TARGET.toString(), "NO_COLOR", "1");
    }

    /** build-lambda's arguments for the example, installing into LAMBDA, then extra. */
    static String[] args(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("build-lambda@.", "--manifest-path", "examples/Cargo.toml", "--lambda-dir", LAMBDA.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    static synchronized Proc get() {
        if (result == null) result = Proc.jbang(env(), args("--json"));
        return result;
    }

    static Path bootstrap(String function) {
        return LAMBDA.resolve(function).resolve("bootstrap");
    }
}
