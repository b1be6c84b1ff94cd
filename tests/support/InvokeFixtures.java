import java.nio.file.Path;
import java.util.Map;

/**
 * The functions invoke-lambda's and --smoke's tests run, built once per run with build-lambda into a
 * target folder of their own: tests/fixtures/misbehaving (each function fails one way) and
 * tests/fixtures/real-runtime (the crates.io lambda_runtime and lambda_http crates).
 */
final class InvokeFixtures {
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/invoke-target");
    static final Path LAMBDA = TARGET.resolve("lambda");
    private static Proc misbehaving, realRuntime;

    private InvokeFixtures() {}

    static Map<String, String> env() {
        return Map.of("CARGO_TARGET_DIR", TARGET.toString(), "NO_COLOR", "1");
    }

    static synchronized Path misbehaving() {
        if (misbehaving == null) {
            // --cpu none: sve-fn runs SVE on purpose, for the local run's neoverse-n1 to stop (the build's CPU check
            // would refuse it first: CpuCheckTest)
            misbehaving = Proc.jbang(env(), "build-lambda@.", "--manifest-path", "tests/fixtures/misbehaving/Cargo.toml", "--cpu", "none");
        }
        if (misbehaving.exit != 0) throw new AssertionError("building tests/fixtures/misbehaving failed: " + misbehaving);
        return LAMBDA;
    }

    static synchronized Path realRuntime() {
        if (realRuntime == null) {
            realRuntime = Proc.jbang(env(), "build-lambda@.", "--manifest-path", "tests/fixtures/real-runtime/Cargo.toml");
        }
        if (realRuntime.exit != 0) throw new AssertionError("building tests/fixtures/real-runtime failed: " + realRuntime);
        return LAMBDA;
    }

    /** `./jbang invoke-lambda@. ARGS` from the repository root. */
    static Proc invoke(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "invoke-lambda@.";
        System.arraycopy(args, 0, a, 1, args.length);
        return Proc.jbang(Map.of("NO_COLOR", "1"), a);
    }
}
