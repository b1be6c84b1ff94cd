import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tuned build's CPU: Graviton2 (Neoverse N1, the oldest CPU Lambda's arm64 runs on) for Rust and C
 * alike, added to the flags the user already has, never replacing them.
 *  - Rust: the flag goes to the rustflags source cargo will use (RustFlags).
 *  - C and C++ (the cc crate): it reads the first of CFLAGS_<target>, CFLAGS_<target_underscored>,
 *    TARGET_CFLAGS, CFLAGS: -mcpu is appended to that one (cargo-zigbuild passes it to zig cc).
 * Nothing is added where the user already chose a CPU. x86_64 builds are left alone.
 */
final class TargetCpu {
    static final String CPU = "neoverse-n1";

    private TargetCpu() {}

    /** rust: flags to add to rustc's (RustFlags appends them); env: the C and C++ variables to set; shown: what was added. */
    record Flags(List<String> rust, Map<String, String> env, List<String> shown) {}

    static Flags of(Target target, Map<String, String> env, List<String> configTexts) {
        List<String> rust = new ArrayList<>();
        Map<String, String> set = new LinkedHashMap<>();
        List<String> shown = new ArrayList<>();
        if (target.machine != ElfReader.EM_AARCH64) return new Flags(rust, set, shown);
        String t = target.cargoTriple, tu = t.replace('-', '_');
        boolean userCpu = RustFlags.userTexts(target, env, configTexts).stream().anyMatch(c -> c.contains("target-cpu"));
        if (!userCpu) {
            rust.addAll(List.of("-C", "target-cpu=" + CPU));
            shown.add("-C target-cpu=" + CPU);
        }
        boolean c = appendC(env, set, "CFLAGS", t, tu), cxx = appendC(env, set, "CXXFLAGS", t, tu);
        if (c || cxx) shown.add("-mcpu=" + CPU + " for C" + (cxx ? " and C++" : ""));
        return new Flags(rust, set, shown);
    }

    /**
     * target-cpu=native builds for the CPU of the machine that compiles (a Graviton3 or 4 CI runner, an x86_64 laptop):
     * the bootstrap may then hold instructions the Lambda host lacks and die with SIGILL after deploy. Refused, with the fix.
     */
    static void refuseNative(Target target, Map<String, String> env, List<String> configTexts) {
        boolean nativeCpu = RustFlags.userTexts(target, env, configTexts).stream()
                .anyMatch(c -> c.replaceAll("(?m)#.*$", "").matches("(?s).*target-cpu\\s*=\\s*native.*"));
        if (!nativeCpu) return;
        String fix = target.machine == ElfReader.EM_AARCH64 ? "-C target-cpu=" + CPU + " (Graviton2, the oldest CPU Lambda's arm64 runs on)"
                : "no target-cpu (x86_64's baseline) or one the Lambda fleet has, e.g. -C target-cpu=x86-64-v2";
        throw new Cli.UserError(ExitCode.USAGE, "target-cpu=native in the rustflags builds for this machine's CPU, not Lambda's: "
                + "a bootstrap built so may die with SIGILL on a Lambda host; use " + fix + ", or drop it and let the tuned build add "
                + (target.machine == ElfReader.EM_AARCH64 ? "-C target-cpu=" + CPU : "nothing"));
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
