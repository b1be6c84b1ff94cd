import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** doctor's output: a table with a fix line under each row that is not ok, or a JSON array. */
final class DoctorReport {
    private DoctorReport() {}

    static void print(PrintWriter out, boolean json, BuildKind mode, List<Check> rows) {
        if (json) {
            out.println(JsonWriter.array(rows.stream().map(Check::toJson).collect(Collectors.toList())));
            out.flush();
            return;
        }
        TextTable t = new TextTable(5).row("CHECK", "STATUS", "VERSION", "REQUIRED", "FIX / NOTE");
        for (Check c : rows) {
            String status = c.ok() ? c.status.word : c.status.word.toUpperCase(java.util.Locale.ROOT);
            t.row(c.label, status, c.version == null ? "-" : c.version, c.need.word, c.detail == null ? "" : c.detail);
            // A row the chosen build does not need keeps its fix in --json only: the table stays about this build.
            if (!c.ok() && c.fix != null && c.need != Check.Need.NOT_NEEDED) t.row("", "", "", "", "fix: " + c.fix);
        }
        t.print(out);
        out.println();
        out.println(summary(mode, rows));
        out.flush();
    }

    static String summary(BuildKind mode, List<Check> rows) {
        String build = "the " + mode.word + " build (" + mode.script + ")";
        List<Check> blocking = rows.stream().filter(Check::blocking).collect(Collectors.toList());
        long warnings = rows.stream().filter(c -> c.status == Check.Status.WARN && c.need != Check.Need.NOT_NEEDED).count();
        if (blocking.isEmpty()) {
            return "Ready for " + build + ": every required check passes" + (warnings > 0 ? " (" + warnings + (warnings == 1 ? " warning" : " warnings") + " above)" : "") + ".";
        }
        String names = blocking.stream().map(c -> c.label).collect(Collectors.joining(", "));
        List<String> auto = blocking.stream().filter(c -> c.fixCommand != null).map(c -> c.label).collect(Collectors.toList());
        return "Not ready for " + build + ": missing " + names + "; the fix line under each says how."
                + (auto.isEmpty() ? "" : " `jbang doctor@. --fix` can install: " + String.join(", ", auto) + ".");
    }

    static int exitCode(List<Check> rows) {
        return (rows.stream().anyMatch(Check::blocking) ? ExitCode.CHECK_FAILED : ExitCode.OK).code;
    }
}
