import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;

/** `cargo zigbuild`: zig as the cross linker; the default way. */
final class ZigBuilder implements Builder {
    @Override
    public String label() {
        return "cargo zigbuild";
    }

    @Override
    public void checkPrerequisites(Map<String, String> env) {
        if (Exec.onPath("cargo", env).isEmpty()) {
            throw new Cli.UserError(3, "cargo not found on PATH: install Rust with rustup (https://rustup.rs), then run `jbang doctor@.`");
        }
        if (Exec.onPath("cargo-zigbuild", env).isEmpty()) {
            throw new Cli.UserError(3, "cargo-zigbuild not found on PATH: install it with `pip install cargo-zigbuild ziglang` "
                    + "(or `cargo install --locked cargo-zigbuild` and zig), or run `jbang doctor@. --fix`");
        }
        zigVersion = findZig(env);
        if (zigVersion == null) {
            throw new Cli.UserError(3, "zig not found (cargo zigbuild links with it): install it with `pip install ziglang` "
                    + "(or put zig on PATH, or set CARGO_ZIGBUILD_ZIG_PATH), or run `jbang doctor@. --fix`");
        }
    }

    /** What the prerequisite probe found, reused for the manifest: one zig lookup per build. */
    private volatile String zigVersion;

    /**
     * The version of the zig cargo-zigbuild will use, found as it finds it (its zig.rs): `python -m
     * ziglang` (CARGO_ZIGBUILD_PYTHON_PATH, else python3) first, then CARGO_ZIGBUILD_ZIG_PATH, else
     * zig on PATH. Null when there is none.
     */
    static String findZig(Map<String, String> env) {
        Path here = Path.of("").toAbsolutePath();
        String python = env.getOrDefault("CARGO_ZIGBUILD_PYTHON_PATH", "python3");
        if (runnable(python, env)) {
            String v = Builder.version(here, env, python, "-m", "ziglang", "version");
            if (v != null) return v;
        }
        String zig = env.getOrDefault("CARGO_ZIGBUILD_ZIG_PATH", "zig");
        return runnable(zig, env) ? Builder.version(here, env, zig, "version") : null;
    }

    private static boolean runnable(String program, Map<String, String> env) {
        return program.contains("/") ? Files.isExecutable(Path.of(program)) : Exec.onPath(program, env).isPresent();
    }

    @Override
    public Map<String, String> toolVersions(Path dir, Map<String, String> env) {
        Map<String, String> v = Builder.super.toolVersions(dir, env);
        v.put("cargo-zigbuild", Builder.version(dir, env, "cargo-zigbuild", "--version"));
        v.put("zig", zigVersion != null ? zigVersion : findZig(env));
        return v;
    }

    @Override
    public List<String> command(Plan plan) {
        List<String> c = new ArrayList<>(List.of("cargo", "zigbuild"));
        c.addAll(plan.cargoSelection());
        return c;
    }
}
