import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A command's result for the program that started it, as data: with BUILD_LAMBDA_OUTCOME=FILE in its environment,
 * every command writes {"command", "exit", "message"} there as it ends (message: the one line it printed, null
 * on success; a build that repeated a recorded no-op adds "replayed": true). build-lambda-smart decides from this and the exit code, never from the words on stderr.
 */
final class Outcome {
    static final String ENV = "BUILD_LAMBDA_OUTCOME";

    private Outcome() {}

    static void write(String command, int exit, String message) {
        write(command, exit, message, false);
    }

    /** replayed: a build that repeated a recorded no-op (docs/guides/building.md) says so with "replayed": true. */
    static void write(String command, int exit, String message, boolean replayed) {
        String to = System.getenv(ENV);
        if (to == null || to.isEmpty()) return;
        Path file = Path.of(to);
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".outcome-", ".tmp");
            JsonWriter.Obj o = new JsonWriter.Obj().put("command", command).put("exit", exit).put("message", message);
            if (replayed) o.put("replayed", true);
            Files.writeString(tmp, o + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // The caller then has the exit code alone, and says it has no more.
        }
    }
}
