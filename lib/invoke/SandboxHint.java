import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line after a failed run in the sandbox or a container that names the sandbox's rule the function met:
 * a write outside /tmp (EROFS), or a file of this host it looked for (ENOENT on a path that exists here but not
 * inside). The function's output is read only to word this hint; the outcome and the exit code never depend on it.
 */
final class SandboxHint {
    private SandboxHint() {}

    private static final Pattern PATH = Pattern.compile("(?<![\\w.])(/[A-Za-z0-9._@%+=~-]+)+");
    /** What the function sees inside: a path under these is the sandbox's own, not this host's. */
    private static final List<String> INSIDE = List.of("/tmp", Runner.TASK_ROOT, Runner.RUNTIME_DIR, "/opt", "/proc", "/dev");

    static Optional<String> of(Invoker.Run r, Runner runner) {
        if (!runner.isolated()) return Optional.empty();
        String text = output(r.outcome());
        if (text.isEmpty()) return Optional.empty();
        if (text.contains("bwrap: ")) {
            return Optional.of("the sandbox could not start (" + line(text, "bwrap: ") + "): this host may not allow user namespaces "
                    + "(a container without --privileged, say); --runner process runs the function without the sandbox");
        }
        if (text.contains("Read-only file system") || text.contains("os error 30") || text.contains("EROFS")) {
            String path = paths(text).stream().filter(p -> !under(p, List.of("/tmp"))).findFirst().orElse(null);
            return Optional.of((path == null ? "the function wrote to a read-only file system" : path + " is read-only")
                    + ": on Lambda, as here, only /tmp is writable (" + Runner.TASK_ROOT + ", the function's code, and the rest are "
                    + "read-only); write to /tmp (its size: --ephemeral-storage)");
        }
        if (text.contains("No such file or directory") || text.contains("os error 2)") || text.contains("ENOENT")) {
            for (String p : paths(text)) {
                if (under(p, INSIDE) || !Files.exists(Path.of(p))) continue;
                return Optional.of(p + " exists on this host but not in the function's sandbox: on Lambda a function sees only "
                        + Runner.TASK_ROOT + " (its zip, with --include's files), /opt (layers), /tmp and the OS, "
                        + "never the machine it was built on (no home, no ~/.aws, no repository)");
            }
        }
        return Optional.empty();
    }

    private static String output(Invoker.Outcome o) {
        if (o instanceof Invoker.Failed f) return new String(f.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (o instanceof Invoker.InitFailed f) return new String(f.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (o instanceof Invoker.Crashed c) return String.join("\n", c.lastLines());
        return "";
    }

    static List<String> paths(String text) {
        Matcher m = PATH.matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) found.add(m.group());
        return found;
    }

    static boolean under(String path, List<String> dirs) {
        return dirs.stream().anyMatch(d -> path.equals(d) || path.startsWith(d + "/"));
    }

    private static String line(String text, String marker) {
        return text.lines().filter(l -> l.contains(marker)).findFirst().map(l -> l.substring(l.indexOf(marker)).trim()).orElse(marker.trim());
    }
}
