import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The zig cargo-zigbuild will use, found as it finds it (its zig.rs): `python -m ziglang` (the python is
 * CARGO_ZIGBUILD_PYTHON_PATH, else python3) first, then CARGO_ZIGBUILD_ZIG_PATH, else zig on PATH; a zig
 * older than 0.9 is skipped. The build (for the manifest) and doctor (for its row) both ask here.
 */
final class ZigLookup {
    private ZigLookup() {}

    /**
     * One place cargo-zigbuild looks. version: what `... version` printed, null when it did not answer; zig: the zig
     * binary that answered (for `python -m ziglang`, the one the ziglang package execs), null when none did.
     */
    record Candidate(String shown, Path tool, String version, String problem, Path zig) {
        Candidate(String shown, Path tool, String version, String problem) {
            this(shown, tool, version, problem, null);
        }

        boolean answered() {
            return version != null;
        }

        /** Older than 0.9: cargo-zigbuild passes it over. */
        boolean tooOld() {
            int[] v = majorMinor(version);
            return v != null && v[0] == 0 && v[1] < 9;
        }
    }

    /** chosen: the one cargo-zigbuild uses, or null; tried: every place looked, in order. */
    record Result(Candidate chosen, List<Candidate> tried) {
        /** Why nothing was chosen, in a user's words. */
        String whyNone() {
            List<String> parts = new ArrayList<>();
            for (Candidate c : tried) {
                parts.add(c.tooOld() ? c.shown() + " is zig " + c.version() + ", cargo-zigbuild needs 0.9 or later"
                        : "`" + c.shown() + "`: " + c.problem());
            }
            return String.join("; ", parts);
        }
    }

    static String python(Map<String, String> env) {
        return env.getOrDefault("CARGO_ZIGBUILD_PYTHON_PATH", "python3");
    }

    static Result find(Path dir, Map<String, String> env, long timeoutSeconds) {
        String python = python(env);
        List<Candidate> tried = new ArrayList<>();
        // What `python -m ziglang version` does (ziglang's __main__ execs the zig beside it), saying which zig first.
        tried.add(ask(dir, env, timeoutSeconds, python + " -m ziglang", true, python, "-c", ZIGLANG));
        String zig = env.getOrDefault("CARGO_ZIGBUILD_ZIG_PATH", "zig");
        tried.add(ask(dir, env, timeoutSeconds, zig, false, zig, "version"));
        Candidate chosen = tried.stream().filter(c -> c.answered() && !c.tooOld()).findFirst().orElse(null);
        return new Result(chosen, tried);
    }

    private static final String ZIGLANG = "import os, ziglang; z = os.path.join(os.path.dirname(ziglang.__file__), 'zig'); "
            + "print(z, flush=True); os.execv(z, [z, 'version'])";

    /** named: the command prints the zig it runs on a line before the version (else the program is that zig). */
    private static Candidate ask(Path dir, Map<String, String> env, long timeoutSeconds, String shown, boolean named, String program, String... args) {
        Path tool = Exec.which(program, env).orElse(null);
        if (tool == null) return new Candidate(shown, null, null, program + " not found" + (program.contains("/") ? "" : " on PATH"));
        List<String> cmd = new ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        try {
            Exec.Result r = Exec.captureRetried(dir, cmd, env, timeoutSeconds);
            List<String> lines = r.out.strip().lines().toList();
            String line = lines.size() > (named ? 1 : 0) ? lines.get(named ? 1 : 0) : "";
            Path zig = named ? (lines.isEmpty() ? null : Path.of(lines.get(0))) : tool;
            if (r.exit == 0 && majorMinor(line) != null) return new Candidate(shown, tool, line, null, zig);
            String said = Workspace.lastErrorLine(r.err.isBlank() ? r.out : r.err);
            return new Candidate(shown, tool, null, "exited with " + r.exit + ": " + said);
        } catch (Cli.UserError e) {
            return new Candidate(shown, tool, null, e.getMessage());
        }
    }

    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

    static int[] majorMinor(String version) {
        if (version == null) return null;
        Matcher m = MAJOR_MINOR.matcher(version);
        return m.find() ? new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }
}
