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
 * Puts bootstraps (and zips, and the manifest) in place atomically: every file is first written
 * to a temporary file in its final folder (staged); only when all are staged and checked are they
 * renamed over the old ones. A failed check or Ctrl-C before that leaves every previous file as it was.
 */
final class Install {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        // Ctrl-C: remove temporary files; the installed files themselves are untouched.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(p -> p.toFile().delete())));
    }

    private Install() {}

    static Path bootstrap(Path lambdaDir, String function) {
        return lambdaDir.resolve(function).resolve("bootstrap");
    }

    /** Files written next to where they belong, not yet in place. */
    static final class Staging implements AutoCloseable {
        private final List<Path[]> staged = new ArrayList<>();
        private boolean committed;

        /** Writes a temporary file in dest's folder with the given writer; returns the temporary path. */
        Path stage(Path dest, Writer writer) {
            try {
                Files.createDirectories(dest.getParent());
                Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName() + "-", ".tmp");
                PENDING.add(tmp);
                // A temporary file is 0600; what is installed is read by others too (CDK, CI artifacts).
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                staged.add(new Path[]{tmp, dest});
                writer.write(tmp);
                return tmp;
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot write " + dest + ": " + e.getMessage());
            }
        }

        /** A copy of source, mode 0755. */
        Path stageExecutable(Path source, Path dest) {
            return stage(dest, tmp -> {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            });
        }

        /** A copy of an included file, mode 0755 when executable, else 0644 (whatever the source's other bits). */
        Path stageCopy(Path source, Path dest, boolean executable) {
            return stage(dest, tmp -> {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            });
        }

        /** Renames every staged file into place. */
        void commit() {
            for (Path[] s : staged) {
                try {
                    try {
                        Files.move(s[0], s[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(s[0], s[1], StandardCopyOption.REPLACE_EXISTING);
                    }
                    PENDING.remove(s[0]);
                } catch (IOException e) {
                    throw new Cli.UserError(ExitCode.IO_ERROR, "cannot write " + s[1] + ": " + e.getMessage());
                }
            }
            committed = true;
        }

        /** Without commit(): removes what was staged. */
        @Override
        public void close() {
            if (committed) return;
            for (Path[] s : staged) {
                s[0].toFile().delete();
                PENDING.remove(s[0]);
            }
        }
    }

    interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** A folder an include names, 0755. */
    static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** A file an earlier build installed and this one no longer does; a file already gone is fine. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file left behind is reported by nobody and harms nothing the manifest names
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
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
