import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Puts bootstraps at <lambda dir>/<function>/bootstrap, mode 0755, atomically: each is copied to a
 * temporary file in the same folder and renamed over the old one, so a reader never sees half a file
 * and an interrupted run leaves the previous bootstrap as it was.
 */
final class Layout {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        // Ctrl-C during a copy: remove temporary files; the bootstraps themselves are untouched.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(p -> p.toFile().delete())));
    }

    private Layout() {}

    static Path bootstrap(Path lambdaDir, String function) {
        return lambdaDir.resolve(function).resolve("bootstrap");
    }

    /** Installs every (source, function) pair, all verified beforehand; returns the bootstrap paths. */
    static List<Path> install(Path lambdaDir, List<Path> sources, List<String> functions) {
        List<Path> done = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) done.add(installOne(sources.get(i), bootstrap(lambdaDir, functions.get(i))));
        return done;
    }

    static Path installOne(Path source, Path dest) {
        try {
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempFile(dest.getParent(), ".bootstrap-", ".tmp");
            PENDING.add(tmp);
            try {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                try {
                    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
                PENDING.remove(tmp);
            }
            return dest;
        } catch (IOException e) {
            throw new Cli.UserError(1, "cannot write " + dest + ": " + e.getMessage());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new Cli.UserError(1, "cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
