import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One build at a time installs into a lambda folder. Installing reads what the last build left (.build-state.json,
 * manifest.json's entries for functions not built now) and writes it again: two builds doing that at once (two pnpm
 * scripts, a watch and a build by hand, CI jobs sharing a target folder) would each drop the other's entries. So the
 * install, the smoke check and the manifest happen under an exclusive lock on <lambda dir>/.build-lambda.lock, as
 * cargo locks its target folder: a second build says it waits and goes on when the first is done. The operating
 * system releases the lock when the process ends, however it ends; the empty file stays.
 */
final class LambdaDirLock implements AutoCloseable {
    static final String FILE = ".build-lambda.lock";

    /** A file lock is held by a whole process: builds run in one JVM (the tests, smart's fallbacks) wait here first. */
    private static final java.util.Map<Path, java.util.concurrent.locks.ReentrantLock> IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.locks.ReentrantLock inProcess;
    private final FileChannel channel;
    private final FileLock lock;

    private LambdaDirLock(java.util.concurrent.locks.ReentrantLock inProcess, FileChannel channel, FileLock lock) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.lock = lock;
    }

    static LambdaDirLock acquire(PipelineContext c, Path lambdaDir) {
        FileChannel ch = null;
        java.util.concurrent.locks.ReentrantLock mine = IN_PROCESS.computeIfAbsent(lambdaDir.toAbsolutePath().normalize(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        mine.lock();
        try {
            Files.createDirectories(lambdaDir);
            ch = FileChannel.open(lambdaDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                c.err().println(c.me() + ": waiting for another build to finish installing into " + lambdaDir);
                c.err().flush();
                l = ch.lock();
            }
            return new LambdaDirLock(mine, ch, l);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(ch);
            mine.unlock();
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot lock " + lambdaDir.resolve(FILE) + " (" + e.getMessage()
                    + "); check that the lambda folder is writable");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        inProcess.unlock();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
