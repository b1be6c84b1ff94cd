import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One target's cargo call: the release settings the workspace leaves open, CPU flags, path remaps, the compile cache. */
final class Planner {
    private Planner() {}

    /** One cargo call: its plan, and the release settings it adds (said as it starts). */
    record Step(Builder.Plan plan, String settingsLine, Map<String, String> added) {}

    /** auditable: cargo runs through cargo-auditable (Sbom.auditable decides, once per build). */
    static Step plan(PipelineContext c, Workspace ws, List<Workspace.Function> selected, Target target, Tune tune, BuildConfig cfg,
                     boolean auditable) {
        Map<String, String> env = c.env();
        List<String> configs = CargoConfig.files(ws.root, env).stream().map(CargoConfig::read).toList();
        Map<String, Map<String, String>> profiles = Profiles.read(ws.root.resolve("Cargo.toml"), configs);
        Map<String, String> added = new java.util.TreeMap<>();
        List<String> cargoArgs = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, String> want : tune.settings().entrySet()) {
            Map.Entry<String, String> e = Profiles.defaultSetting(profiles, cfg.profile(), env, want.getKey(), want.getValue());
            if (e == null) continue;
            added.put(e.getKey(), e.getValue());
            shown.add(want.getKey() + "=" + want.getValue());
        }
        TargetCpu.refuseNative(target, env, configs);
        List<String> rust = new ArrayList<>();
        if (tune != Tune.NONE) {
            TargetCpu.Flags cpu = TargetCpu.of(target, env, configs);
            rust.addAll(cpu.rust());
            added.putAll(cpu.env());
            shown.addAll(cpu.shown());
        }
        // With or without tuning: the same source gives the same bytes wherever it is built (PathRemap).
        rust.addAll(PathRemap.flags(PathRemap.pairs(ws.root, ws.targetDir, env, !c.inContainer(), !c.cached(), RustFlags.userTexts(target, env, configs))));
        RustFlags.Added flags = RustFlags.append(target, env, configs, rust);
        cargoArgs.addAll(flags.cargoArgs());
        added.putAll(flags.env());
        Map<String, String> planEnv = new HashMap<>(env);
        planEnv.putAll(added);
        // In a container the wrapper is the image's sccache, found by name; the workspace is mounted at its own path.
        Path sccache = c.sccache();
        if (c.cached()) planEnv.putAll(CompileCache.env(sccache != null ? sccache.toString() : "sccache", ws.root, env));
        String line = shown.isEmpty() ? "the workspace sets every release setting itself; nothing added"
                : "added where the workspace leaves them open (" + tune.word + (tune == Tune.NONE ? ", --no-tune" : "") + "): "
                + String.join(", ", shown);
        cargoArgs.addAll(c.o().cargoArgs);
        return new Step(new Builder.Plan(ws, selected, target, cfg.profile(), List.copyOf(cargoArgs), Map.copyOf(planEnv), cfg.lambdaDir(), auditable),
                line, java.util.Collections.unmodifiableMap(added));
    }
}
