import java.util.ArrayList;
import java.util.List;

/** `cargo zigbuild`: zig as the cross linker; the default way. */
final class ZigBuilder implements Builder {
    @Override
    public String label() {
        return "cargo zigbuild";
    }

    @Override
    public void checkPrerequisites(Plan plan) {
        if (Exec.onPath("cargo", plan.env).isEmpty()) {
            throw new Cli.UserError(3, "cargo not found on PATH: install Rust with rustup (https://rustup.rs), then run `jbang doctor@.`");
        }
        if (Exec.onPath("cargo-zigbuild", plan.env).isEmpty()) {
            throw new Cli.UserError(3, "cargo-zigbuild not found on PATH: install it with `pip install cargo-zigbuild ziglang` "
                    + "(or `cargo install --locked cargo-zigbuild` and zig), or run `jbang doctor@. --fix`");
        }
        if (!zigFound(plan)) {
            throw new Cli.UserError(3, "zig not found (cargo zigbuild links with it): install it with `pip install ziglang` "
                    + "(or put zig on PATH, or set CARGO_ZIGBUILD_ZIG_PATH), or run `jbang doctor@. --fix`");
        }
    }

    /** Looks where cargo-zigbuild looks: CARGO_ZIGBUILD_ZIG_PATH, zig on PATH, then python's ziglang module. */
    static boolean zigFound(Plan plan) {
        if (plan.env.get("CARGO_ZIGBUILD_ZIG_PATH") != null) return true;
        if (Exec.onPath("zig", plan.env).isPresent()) return true;
        String python = plan.env.getOrDefault("CARGO_ZIGBUILD_PYTHON_PATH", "python3");
        if (!python.contains("/") && Exec.onPath(python, plan.env).isEmpty()) return false;
        return Exec.capture(plan.workspace.root, List.of(python, "-c", "import ziglang"), plan.env, 30).exit == 0;
    }

    @Override
    public List<String> command(Plan plan) {
        List<String> c = new ArrayList<>(List.of("cargo", "zigbuild"));
        c.addAll(plan.cargoSelection());
        return c;
    }
}
