import java.util.List;
import java.util.Map;

/** --tune's rustc flag: Graviton2/3 cores (Neoverse N1 and newer) for arm64, unless the user chose a CPU. */
final class TargetCpu {
    private TargetCpu() {}

    /**
     * A cargo --config that adds -C target-cpu=neoverse-n1 to the target's rustflags (cargo joins
     * config arrays, so rustflags from config files stay). Nothing when RUSTFLAGS-style variables
     * are set (they replace config rustflags entirely) or already name a target-cpu.
     */
    static List<String> flags(Target target, Map<String, String> env) {
        if (target.machine != ElfReader.EM_AARCH64) return List.of();
        String var = "CARGO_TARGET_" + target.cargoTriple.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_RUSTFLAGS";
        for (String k : List.of("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS", var)) {
            if (env.containsKey(k)) return List.of();
        }
        return List.of("--config", "target.'" + target.cargoTriple + "'.rustflags = [\"-C\", \"target-cpu=neoverse-n1\"]");
    }
}
