import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The existing build: every bootstrap below <target dir>/lambda, executable and passing verify-elf's policy. */
final class BuildChecks {
    private BuildChecks() {}

    static Check bootstrap(Checkup c, Checkup.Site site) {
        String label = "existing build";
        if (site.manifest == null) return Check.of(Check.Status.MISSING, "bootstrap", label, null, site.problem);
        Path lambda = site.targetDir.resolve("lambda");
        String build = "jbang " + c.mode.script + "@." + (c.manifestPath != null ? " --manifest-path " + c.manifestPath : "");
        List<Path> found;
        try {
            found = Files.isDirectory(lambda) ? Bootstraps.find(lambda) : List.of();
        } catch (IOException e) {
            return Check.of(Check.Status.FAIL, "bootstrap", label, null, "cannot read " + lambda + ": " + e.getMessage());
        }
        String shown = c.shown(lambda);
        if (found.isEmpty()) {
            return Check.of(Check.Status.MISSING, "bootstrap", label, null, "no bootstrap in " + shown + " yet").fix(build);
        }
        ElfPolicy policy = new ElfPolicy(c.target.machine, !c.target.staticExpected, false, -1);
        List<String> bad = new ArrayList<>();
        for (Path f : found) {
            List<String> problems = new ArrayList<>();
            if (!Files.isExecutable(f)) problems.add("not executable");
            try {
                problems.addAll(policy.problems(ElfReader.read(f)));
            } catch (IOException e) {
                problems.add("cannot read: " + e.getMessage());
            }
            if (!problems.isEmpty()) bad.add(lambda.relativize(f.getParent()) + ": " + String.join("; ", problems));
        }
        String count = found.size() + (found.size() == 1 ? " bootstrap" : " bootstraps");
        if (bad.isEmpty()) {
            return Check.ok("bootstrap", label, count, shown + ": all executable and pass verify-elf (" + ElfReader.archName(c.target.machine)
                    + (c.target.staticExpected ? ", static" : "") + ", stripped)");
        }
        return Check.of(Check.Status.FAIL, "bootstrap", label, count, bad.size() + " of " + found.size() + " fail verify-elf in "
                + shown + ": " + String.join(" | ", bad)).fix("rebuild: " + build + " (details: jbang verify-elf@. " + shown + ")");
    }
}
