import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain `cargo build --target`: the host's own linker setup does the rest. That is an ARM64 Linux host
 * (a Graviton CodeBuild runner) building for itself, or any host whose cargo config names a linker for
 * the target.
 */
final class NativeBuilder implements Builder<NativeBuilder.Found> {
    /** The host's cargo: all this build needs before it starts. */
    record Found(Path cargo) {}

    @Override
    public String label() {
        return "cargo build";
    }

    @Override
    public Found prepare(Map<String, String> env) {
        Builder.requireCargo(env);
        return new Found(Exec.which("cargo", env).orElseThrow());
    }

    /** found may be null: the command needs nothing prepare() finds. */
    @Override
    public List<String> command(Plan plan, Found found) {
        return Builder.cargo("build", plan);
    }

    @Override
    public String explainFailure(Plan plan, String stderr) {
        String std = Builder.super.explainFailure(plan, stderr);
        if (std != null) return std;
        boolean linkFailed = stderr.contains("error: linking with `") || stderr.contains("error: linker `")
                || stderr.contains("Relocations in generic ELF") || stderr.contains("file in wrong format")
                || stderr.contains("incompatible with elf") || stderr.contains("error adding symbols");
        if (!linkFailed) return null;
        String t = plan.target().cargoTriple;
        return "cargo build could not link for " + t + " with this host's linker setup: on an "
                + (t.startsWith("aarch64") ? "ARM64" : "x86_64") + " Linux host install a C toolchain (gcc); elsewhere name a cross "
                + "linker in .cargo/config.toml ([target." + t + "] linker = \"...\"), or build with `jbang build-lambda@.` (zig) "
                + "or `jbang build-lambda-docker@.`";
    }
}
