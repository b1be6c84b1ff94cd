import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs external programs with argument lists (never a shell string), through zt-exec. */
final class Exec {
    private Exec() {}

    /** A program run to completion: its exit code and everything it printed. */
    static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }

    /** A program whose output was streamed: its exit code, and a copy of its stderr to explain a failure. */
    static final class Streamed {
        final int exit;
        final String err;

        Streamed(int exit, String err) {
            this.exit = exit;
            this.err = err;
        }
    }

    /** Runs to completion and keeps stdout and stderr; a hang past the timeout is a user-facing error. */
    static Result capture(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit = execute(dir, command, env, out, err, timeoutSeconds);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final Object RETRY_ALONE = new Object();

    /**
     * As capture, but a program that does not answer in time is asked once more, one such retry at a time in this
     * JVM. A first start on a machine that has just booted can take longer than the timeout (cold disk, every probe
     * starting at once on two cores); the second start finds its files in the page cache. A hung program costs
     * twice the timeout; the message then says so.
     */
    static Result captureRetried(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            return capture(dir, command, env, timeoutSeconds);
        } catch (Cli.Timeout first) {
            synchronized (RETRY_ALONE) {
                try {
                    return capture(dir, command, env, timeoutSeconds);
                } catch (Cli.Timeout again) {
                    throw new Cli.Timeout(command.get(0) + " did not answer within " + timeoutSeconds
                            + " s, asked twice (" + String.join(" ", command) + "); is it waiting for a lock or the network?");
                }
            }
        }
    }

    /**
     * Streams the program's output live (a person is watching cargo) and also keeps its stderr, so a
     * failure can be explained afterwards. No timeout: a build takes as long as it takes.
     */
    static Streamed stream(Path dir, List<String> command, Map<String, String> env, OutputStream out, OutputStream err) {
        return stream(dir, command, env, out, err, null);
    }

    /**
     * As above; onExit runs if this JVM is shut down (Ctrl-C) while the program runs. The program itself is
     * destroyed then anyway; onExit stops what it started elsewhere (a container the engine runs, say).
     */
    static Streamed stream(Path dir, List<String> command, Map<String, String> env, OutputStream out, OutputStream err,
                         Runnable onExit) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        Thread hook = onExit == null ? null : new Thread(onExit, "stop " + command.get(0));
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
        try {
            int exit = execute(dir, command, env, out, new Tee(err, kept), 0);
            return new Streamed(exit, kept.toString(StandardCharsets.UTF_8));
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run: nothing to remove
                }
            }
        }
    }

    private static int execute(Path dir, List<String> command, Map<String, String> env, OutputStream out,
                               OutputStream err, long timeoutSeconds) {
        ProcessExecutor pe = new ProcessExecutor().command(command).directory(dir.toFile())
                .redirectOutput(out).redirectError(err).exitValueAny().destroyOnExit();
        if (env != null) pe.environment(env);
        if (timeoutSeconds > 0) pe.timeout(timeoutSeconds, TimeUnit.SECONDS);
        try {
            ProcessResult r = pe.execute();
            return r.getExitValue();
        } catch (TimeoutException e) {
            throw new Cli.Timeout(command.get(0) + " did not answer within " + timeoutSeconds
                    + " s (" + String.join(" ", command) + "); is it waiting for a lock or the network?");
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted while running " + command.get(0));
        } catch (InvalidExitValueException e) {
            return e.getExitValue();
        }
    }

    /**
     * Runs a command while this JVM shuts down (from a shutdown hook), output discarded, waiting at most
     * timeoutSeconds; false when it did not run or failed. Not through zt-exec: destroyOnExit registers a
     * shutdown hook, which the JVM refuses once it is exiting.
     */
    static boolean runWhileExiting(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        try {
            Process p = pb.start();
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) return p.exitValue() == 0;
            p.destroyForcibly();
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The program a command names, found as a shell (and cargo-zigbuild's `which`) finds it, without starting
     * anything: a name with a slash is a path, any other name the first executable of that name on PATH.
     */
    static Optional<Path> which(String name, Map<String, String> env) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Writes to both streams. */
    static final class Tee extends OutputStream {
        private final OutputStream a, b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            a.flush();
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }
}
