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
        settleClassList(exit);
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

    /** The property by which the ./jbang wrapper tells a run that it records the kept line's class list: the list's path. */
    static final String CLASS_LIST = "jbang.wrapper.classlist";

    /**
     * Every command ends here, so here a run that records the class list of the wrapper's class-data archive (the
     * kept line's first run) drops it when it ended before doing the command's work: a usage error, a missing
     * prerequisite, a build tool's failure, an interruption (any exit but 0 and 1, a check that failed having run
     * every check). Such a run loads a part of the classes, and an archive made from it left the rest (the CPU
     * check's, say) to be read from the jar on every later start; now the next run records the list again.
     */
    private static void settleClassList(int exit) {
        String list = System.getProperty(CLASS_LIST);
        if (exit == 0 || exit == 1 || list == null || !list.contains(".classlist.")) return;
        try {
            Files.deleteIfExists(Path.of(list));
        } catch (IOException | RuntimeException e) {
            // The archive is then made from the part: slower starts, nothing wrong.
        }
    }
}
