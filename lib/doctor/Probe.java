import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One external program asked one question, with a timeout: doctor never waits on a hung `docker info`. tool: the
 * program as found on PATH (or as given with a slash), null when there is none; shown: the command as a person would
 * type it, for messages; answered: it ran and finished within the timeout; problem: why there is no answer (not
 * found, did not start, did not finish in time).
 */
record Probe(Path tool, String shown, boolean answered, int exit, String out, String err, String problem) {
    static Probe run(Path dir, Map<String, String> env, long timeoutSeconds, String program, String... args) {
        String shown = program + (args.length == 0 ? "" : " " + String.join(" ", args));
        Optional<Path> tool = Exec.which(program, env);
        if (tool.isEmpty()) return new Probe(null, shown, false, -1, "", "", program + " not found on PATH");
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.get().toString());
        cmd.addAll(List.of(args));
        try {
            Exec.Result r = Exec.captureRetried(dir, cmd, env, timeoutSeconds);
            return new Probe(tool.get(), shown, true, r.exit, r.out, r.err, null);
        } catch (Cli.Timeout e) {
            return new Probe(tool.get(), shown, false, -1, "", "", "`" + shown + "` did not answer within " + timeoutSeconds + " s, asked twice");
        } catch (Cli.UserError e) {
            String why = e.getMessage();
            return new Probe(tool.get(), shown, false, -1, "", "", why);
        }
    }

    boolean found() {
        return tool != null;
    }

    boolean ok() {
        return answered && exit == 0;
    }

    /** What went wrong, in the program's own words where it said something. */
    String why() {
        if (problem != null) return problem;
        String text = !err.isBlank() ? err : out;
        String line = text.isBlank() ? "(no output)" : Workspace.lastErrorLine(text);
        return "`" + shown + "` exited with " + exit + ": " + line;
    }

    /** The first thing that looks like a version number in the output, e.g. 0.24.0 or 28.2.2. */
    String version() {
        return versionIn(out + "\n" + err);
    }

    static String versionIn(String text) {
        var m = java.util.regex.Pattern.compile("(?<![\\w.])(\\d+\\.\\d+(?:\\.\\d+)?(?:-[0-9A-Za-z.]+)?(?:\\+[0-9A-Za-z.]+)?)").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    String firstLine() {
        return out.strip().lines().findFirst().orElse("");
    }
}
