import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program the way a user would, and keeps what it printed. */
final class Proc {
    final int exit;
    final String out;
    final String err;

    private Proc(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static Proc run(Path dir, Map<String, String> env, List<String> command) {
        return run(dir, env, command, 1200);
    }

    static Proc run(Path dir, Map<String, String> env, List<String> command, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            if (env != null) {
                for (Map.Entry<String, String> e : env.entrySet()) {
                    if (e.getValue() == null) pb.environment().remove(e.getKey());
                    else pb.environment().put(e.getKey(), e.getValue());
                }
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            Thread t1 = pump(p.getInputStream(), out), t2 = pump(p.getErrorStream(), err);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
            }
            t1.join();
            t2.join();
            // JBang's own progress lines ("[jbang] Building jar...") are not the tool's output.
            String e = err.toString(StandardCharsets.UTF_8).replaceAll("(?m)^\\[jbang\\] .*\\R", "");
            return new Proc(p.exitValue(), out.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Proc run(Path dir, String... command) {
        return run(dir, null, List.of(command));
    }

    /** `./jbang ARGS...` from the repo root, as a user types it. */
    static Proc jbang(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Repo.ROOT.resolve("jbang").toString());
        cmd.addAll(List.of(args));
        return run(Repo.ROOT, env, cmd);
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException ignored) {
                // the process died; what it printed so far is kept
            }
        });
        t.start();
        return t;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
