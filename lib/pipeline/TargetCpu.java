import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tuned build's CPU: Graviton2 (Neoverse N1, the oldest CPU Lambda's arm64 runs on) for Rust and C
 * alike, added to the flags the user already has, never replacing them.
 *  - Rust: cargo takes rustflags from one source only (CARGO_ENCODED_RUSTFLAGS, else RUSTFLAGS, else the
 *    target's (env or config), else [build]): the flag is appended to the source cargo will use. In config
 *    files that is a --config of the same key, which cargo joins with the files' array.
 *  - C and C++ (the cc crate): it reads the first of CFLAGS_<target>, CFLAGS_<target_underscored>,
 *    TARGET_CFLAGS, CFLAGS: -mcpu is appended to that one (cargo-zigbuild passes it to zig cc).
 * Nothing is added where the user already chose a CPU. x86_64 builds are left alone.
 */
final class TargetCpu {
    static final String CPU = "neoverse-n1";

    private TargetCpu() {}

    /** cargoArgs: --config arguments; env: variables to set (whole new values); shown: what was added, for the output line. */
    record Flags(List<String> cargoArgs, Map<String, String> env, List<String> shown) {}

    static Flags of(Target target, Map<String, String> env, List<String> configTexts) {
        List<String> args = new ArrayList<>();
        Map<String, String> set = new LinkedHashMap<>();
        List<String> shown = new ArrayList<>();
        if (target.machine != ElfReader.EM_AARCH64) return new Flags(args, set, shown);
        String t = target.cargoTriple, tu = t.replace('-', '_');
        String targetVar = "CARGO_TARGET_" + tu.toUpperCase(Locale.ROOT) + "_RUSTFLAGS";
        String rustFlag = "-C target-cpu=" + CPU;

        boolean userCpu = List.of("CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS", targetVar, "CARGO_BUILD_RUSTFLAGS").stream()
                .anyMatch(v -> env.getOrDefault(v, "").contains("target-cpu"))
                || configTexts.stream().anyMatch(c -> c.contains("target-cpu"));
        if (!userCpu) {
            if (env.containsKey("CARGO_ENCODED_RUSTFLAGS")) {
                String v = env.get("CARGO_ENCODED_RUSTFLAGS");
                set.put("CARGO_ENCODED_RUSTFLAGS", (v.isEmpty() ? "" : v + "\u001f") + "-C\u001ftarget-cpu=" + CPU);
            } else if (env.containsKey("RUSTFLAGS")) {
                set.put("RUSTFLAGS", (env.get("RUSTFLAGS") + " " + rustFlag).trim());
            } else if (env.containsKey(targetVar)) {
                set.put(targetVar, (env.get(targetVar) + " " + rustFlag).trim());
            } else if (configTexts.stream().anyMatch(c -> CargoConfig.setsTargetRustflags(c, t))) {
                args.addAll(List.of("--config", "target.'" + t + "'.rustflags = [\"-C\", \"target-cpu=" + CPU + "\"]"));
            } else if (env.containsKey("CARGO_BUILD_RUSTFLAGS")) {
                set.put("CARGO_BUILD_RUSTFLAGS", (env.get("CARGO_BUILD_RUSTFLAGS") + " " + rustFlag).trim());
            } else {
                args.addAll(List.of("--config", "build.rustflags = [\"-C\", \"target-cpu=" + CPU + "\"]"));
            }
            shown.add(rustFlag);
        }
        boolean c = appendC(env, set, "CFLAGS", t, tu), cxx = appendC(env, set, "CXXFLAGS", t, tu);
        if (c || cxx) shown.add("-mcpu=" + CPU + " for C" + (cxx ? " and C++" : ""));
        return new Flags(args, set, shown);
    }

    /** -mcpu appended to the variable the cc crate reads, unless it already names a CPU or an architecture. */
    private static boolean appendC(Map<String, String> env, Map<String, String> set, String kind, String t, String tu) {
        for (String v : List.of(kind + "_" + t, kind + "_" + tu, "TARGET_" + kind, kind)) {
            if (!env.containsKey(v)) continue;
            String value = env.get(v);
            if (value.contains("-mcpu") || value.contains("-march")) return false;
            set.put(v, (value + " -mcpu=" + CPU).trim());
            return true;
        }
        set.put(kind + "_" + tu, "-mcpu=" + CPU);
        return true;
    }
}
