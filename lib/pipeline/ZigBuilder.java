import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** `cargo zigbuild`: zig as the cross linker; the default way. */
final class ZigBuilder implements Builder<ZigBuilder.Found> {
    /** The zig cargo-zigbuild will use, as it finds it. */
    record Found(ZigLookup.Candidate zig) {}

    @Override
    public String label() {
        return "cargo zigbuild";
    }

    @Override
    public Found prepare(Map<String, String> env) {
        Builder.requireCargo(env);
        if (Exec.which("cargo-zigbuild", env).isEmpty()) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "cargo-zigbuild not found on PATH: install it with "
                    + "`pip install cargo-zigbuild ziglang` (or `cargo install --locked cargo-zigbuild` and zig), or run `jbang doctor@. --fix`");
        }
        ZigLookup.Result zig = ZigLookup.find(Path.of("").toAbsolutePath(), env, 30);
        if (zig.chosen() == null) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "zig not found (cargo zigbuild links with it): " + zig.whyNone()
                    + "; install it with `pip install ziglang` (or put zig on PATH, or set CARGO_ZIGBUILD_ZIG_PATH), or run `jbang doctor@. --fix`");
        }
        return new Found(zig.chosen());
    }

    /** cargo-zigbuild's own names for a zig it has found (its linker wrappers hand them to the cargo-zigbuild they run). */
    static final String ZIG_COMMAND = "CARGO_ZIGBUILD_ZIG_COMMAND", ZIG_VERSION = "CARGO_ZIGBUILD_ZIG_VERSION";

    /**
     * The zig the probe found, handed to cargo-zigbuild: otherwise it runs `python3 -m ziglang version` twice and
     * python again in each C compiler wrapper it tries, about half of a no-op build's cargo call (bench/README.md).
     * Nothing when the caller set any of its zig variables, or the zig is unknown.
     */
    @Override
    public Map<String, String> handoff(Found found, Map<String, String> env) {
        if (found == null || found.zig().zig() == null || env.containsKey(ZIG_COMMAND) || env.containsKey(ZIG_VERSION)
                || env.containsKey("CARGO_ZIGBUILD_ZIG_COMMAND_ARGS")) {
            return Map.of();
        }
        return Map.of(ZIG_COMMAND, found.zig().zig().toString(), ZIG_VERSION, found.zig().version().strip());
    }

    @Override
    public java.util.Set<String> handoffNames() {
        return java.util.Set.of(ZIG_COMMAND, ZIG_VERSION);
    }

    @Override
    public Map<String, String> toolVersions(Path dir, Map<String, String> env, Found found) {
        Map<String, String> v = Builder.super.toolVersions(dir, env, found);
        v.put("cargo-zigbuild", Builder.version(dir, env, "cargo-zigbuild", "--version"));
        v.put("zig", found.zig().version());
        return v;
    }

    @Override
    public List<String> toolNames() {
        return List.of("rustc", "cargo", "cargo-zigbuild", "zig");
    }

    /** found may be null: the command needs nothing prepare() finds. */
    @Override
    public List<String> command(Plan plan, Found found) {
        return Builder.cargo("zigbuild", plan);
    }
}
