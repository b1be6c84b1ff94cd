import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The built functions invoke-lambda can start: <lambda dir>/NAME/bootstrap. */
final class Functions {
    private Functions() {}

    /** --lambda-dir, else <target dir>/lambda of the workspace (--manifest-path, or the nearest Cargo.toml; loaded by the caller). */
    static Path lambdaDir(Path given, Workspace ws) {
        Path cwd = Path.of("").toAbsolutePath();
        if (given != null) {
            Path d = cwd.resolve(given).normalize();
            if (!Files.isDirectory(d)) throw new Cli.UserError(ExitCode.USAGE, "no folder " + given + " (--lambda-dir): build first");
            return d;
        }
        Path d = ws.targetDir.resolve("lambda");
        if (!Files.isDirectory(d)) {
            throw new Cli.UserError(ExitCode.USAGE, "no built functions in " + d + ": build first (`jbang build-lambda@.`), or pass --lambda-dir");
        }
        return d;
    }

    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("bootstrap"))).map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    static String list(Path dir) {
        List<String> n = names(dir);
        return n.isEmpty() ? "no function is built in " + dir : "functions in " + dir + ": " + String.join(", ", n);
    }

    static ExitCode exitCode(Invoker.Outcome o) {
        if (o instanceof Invoker.Answered || o instanceof Invoker.Ready) return ExitCode.OK;
        if (o instanceof Invoker.Failed) return ExitCode.CHECK_FAILED;
        if (o instanceof Invoker.Streamed s) return s.errorType() == null ? ExitCode.OK : ExitCode.CHECK_FAILED;
        if (o instanceof Invoker.TimedOut) return ExitCode.TIMED_OUT;
        return ExitCode.FUNCTION_CRASHED;
    }
}
