import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every output read and checked before anything is installed: a failing build changes no bootstrap. */
final class Verification {
    private Verification() {}

    /** One binary cargo built, read and checked, with how it is packaged; cpuChecked: the CPU it passed the CPU check for, or null. */
    record Built(BuildConfig.Packaged packaged, Builder.Plan plan, Path output, ElfInfo info, String cpuChecked) {}

    /**
     * cpu: what arm64 code is checked against (CpuCheck; the tuned build's own neoverse-n1 by default), null for none;
     * state: the build state, whose outputs that passed for cpu and are unchanged are not decoded again;
     * lists: writes the dependency list into an output that has none (a build through sccache), or null.
     */
    static List<Built> verify(Builder.Plan plan, BuildConfig cfg, String maxGlibc, CpuCheck.Cpu cpu, java.util.Map<String, BuildState.Entry> state,
                              DepList.Writer lists, List<String> failures) {
        Target t = plan.target();
        CpuCheck.Cpu checked = t.machine == ElfReader.EM_AARCH64 ? cpu : null;
        ElfPolicy policy = new ElfPolicy(t.machine, !t.staticExpected, false, -1).withMaxGlibc(maxGlibc), decoding = policy.withCpu(checked);
        String suffix = cfg.targets().size() > 1 ? " (" + Layout.archName(t) + ")" : "";
        List<Built> built = new ArrayList<>();
        for (BuildConfig.Packaged p : cfg.functions()) {
            Workspace.Function f = p.function();
            Path output = plan.output(f);
            if (!Files.isRegularFile(output)) {
                failures.add(f.name() + suffix + ": cargo reported success but " + output + " is missing");
                continue;
            }
            ElfInfo info;
            try {
                info = ElfReader.read(output);
                if (lists != null && info.depList == null) {
                    lists.embed(output, f.pkg(), t.cargoTriple);
                    info = ElfReader.read(output);
                }
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + output + ": " + e.getMessage());
            }
            boolean known = checked != null && BuildState.cpuChecked(state, output, checked.llvm);
            List<String> problems = (known ? policy : decoding).problems(info);
            if (!problems.isEmpty()) failures.add(f.name() + suffix + ": " + String.join("; ", problems));
            built.add(new Built(p, plan, output, info, checked == null ? null : checked.llvm));
        }
        return built;
    }
}
