import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The example workspace (lambda_runtime, lambda_http, the AWS SDK: minutes to compile on 2 cores) built once
 * per test run, as a user runs it (`./jbang build-lambda@. ...`), into a target folder the tests share so the
 * crates compile once; a later run reuses what cargo already built there. --clean is tested on LiteBuild.
 */
final class ExampleBuild {
    static final List<String> FUNCTIONS = List.of("backend", "ws-broadcast", "ws-connect", "ws-default", "ws-disconnect");
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/shared-target");
    static final Path LAMBDA = TARGET.resolve("lambda");

    private static Proc result;

    private ExampleBuild() {}

    static Map<String, String> env() {
        return Map.of("CARGO_TARGET_DIR", TARGET.toString(), "NO_COLOR", "1");
    }

    static synchronized Proc get() {
        if (result == null) {
            result = Proc.jbang(env(), "build-lambda@.", "--manifest-path", "examples/Cargo.toml", "--json");
        }
        return result;
    }

    static Path bootstrap(String function) {
        return LAMBDA.resolve(function).resolve("bootstrap");
    }
}
