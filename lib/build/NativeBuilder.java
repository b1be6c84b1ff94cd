import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain `cargo build --target`: the host's own linker setup does the rest. That is an ARM64 Linux host
 * (a Graviton CodeBuild runner) building for itself, or any host whose cargo config names a linker for
 * the target.
 */
final class NativeBuilder implements Builder {
    @Override
    public String label() {
        return "cargo build";
    }

    @Override
    public void checkPrerequisites(Map<String, String> env) {
        if (Exec.onPath("cargo", env).isEmpty()) {
            throw new Cli.UserError(3, "cargo not found on PATH: install Rust with rustup (https://rustup.rs), then run `jbang doctor@.`");
        }
    }

    @Override
    public List<String> command(Plan plan) {
        List<String> c = new ArrayList<>(List.of("cargo", "build"));
        c.addAll(plan.cargoSelection());
        return c;
    }

    @Override
    public String explainFailure(Plan plan, String stderr) {
        String std = Builder.super.explainFailure(plan, stderr);
        if (std != null) return std;
        boolean linkFailed = stderr.contains("error: linking with `") || stderr.contains("error: linker `")
                || stderr.contains("Relocations in generic ELF") || stderr.contains("file in wrong format")
                || stderr.contains("incompatible with elf") || stderr.contains("error adding symbols");
        if (!linkFailed) return null;
        String t = plan.target.dirName;
        return "cargo build could not link for " + t + " with this host's linker setup: on an "
                + (t.startsWith("aarch64") ? "ARM64" : "x86_64") + " Linux host install a C toolchain (gcc); elsewhere name a cross "
                + "linker in .cargo/config.toml ([target." + t + "] linker = \"...\"), or build with `jbang build-lambda@.` (zig) "
                + "or `jbang build-lambda-docker@.`";
    }
}
