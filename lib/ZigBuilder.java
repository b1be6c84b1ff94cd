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
        if (!zigFound(env)) {
            throw new Cli.UserError(3, "zig not found (cargo zigbuild links with it): install it with `pip install ziglang` "
                    + "(or put zig on PATH, or set CARGO_ZIGBUILD_ZIG_PATH), or run `jbang doctor@. --fix`");
        }
    }

    /**
     * Looks where cargo-zigbuild looks (its zig.rs): CARGO_ZIGBUILD_ZIG_PATH, then python's ziglang
     * module, then zig on PATH. The cheap PATH look comes first here; any hit means a zig exists.
     */
    static boolean zigFound(Map<String, String> env) {
        String explicit = env.get("CARGO_ZIGBUILD_ZIG_PATH");
        if (explicit != null) return Files.isExecutable(Path.of(explicit)) || Exec.onPath(explicit, env).isPresent();
        if (Exec.onPath("zig", env).isPresent()) return true;
        String python = env.getOrDefault("CARGO_ZIGBUILD_PYTHON_PATH", "python3");
        if (!python.contains("/") && Exec.onPath(python, env).isEmpty()) return false;
        return Exec.capture(Path.of("").toAbsolutePath(), List.of(python, "-c", "import ziglang"), env, 30).exit == 0;
    }

    @Override
    public Map<String, String> toolVersions(Path dir, Map<String, String> env) {
        Map<String, String> v = Builder.super.toolVersions(dir, env);
        v.put("cargo-zigbuild", Builder.version(dir, env, "cargo-zigbuild", "--version"));
        String zig = env.get("CARGO_ZIGBUILD_ZIG_PATH");
        String python = env.getOrDefault("CARGO_ZIGBUILD_PYTHON_PATH", "python3");
        String found = zig != null ? Builder.version(dir, env, zig, "version") : Builder.version(dir, env, python, "-m", "ziglang", "version");
        v.put("zig", found != null ? found : Builder.version(dir, env, "zig", "version"));
        return v;
    }

    @Override
    public List<String> command(Plan plan) {
        List<String> c = new ArrayList<>(List.of("cargo", "zigbuild"));
        c.addAll(plan.cargoSelection());
        return c;
    }
}
