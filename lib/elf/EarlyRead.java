import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * verify-elf's files read, and their arm64 code CPU-checked, on a thread of their own from the first line of main,
 * while picocli builds the command from its annotations (about as long as the check of one bootstrap). The command
 * then takes each file's result instead of reading it again. Nothing here decides anything: the arguments are only
 * guessed at (each one naming an existing file or folder, and the CPU of the last --cpu), the command parses them
 * for real, and a file it names that was not read early, or that changed since (size, modification time, file
 * key), or whose early reading failed in any way, is read by the command as without this class. A guessed CPU that
 * is not the parsed one leaves the report unused (ElfPolicy checks again for its own CPU).
 * BUILD_LAMBDA_NO_EARLY_READ=1 turns it off (the benchmarks' comparison).
 */
final class EarlyRead {
    private EarlyRead() {}

    /** One file's early reading: what it was when read, and the reading itself. */
    private record Read(Object key, long size, FileTime modified, FutureTask<ElfInfo> task) {}

    private static final Map<String, Read> READS = new ConcurrentHashMap<>();

    /** Starts reading what args seem to name, on one daemon thread; returns at once. */
    static void start(String... args) {
        if (System.getenv("BUILD_LAMBDA_NO_EARLY_READ") != null) return;
        CpuCheck.Cpu cpu = CpuCheck.Cpu.NEOVERSE_N1;
        List<String> names = new ArrayList<>();
        boolean positional = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!positional && a.equals("--")) {
                positional = true;
            } else if (!positional && (a.equals("--cpu") || a.startsWith("--cpu="))) {
                String v = a.equals("--cpu") ? (i + 1 < args.length ? args[++i] : null) : a.substring("--cpu=".length());
                Parsed<CpuCheck.Cpu> p = CpuCheck.parse(v);
                cpu = p.problem() == null ? p.value() : null;
            } else if (positional || !a.startsWith("-")) {
                names.add(a);
            }
        }
        if (names.isEmpty()) return;
        CpuCheck.Cpu guess = cpu;
        Thread t = new Thread(() -> {
            for (String n : names) {
                try {
                    Path p = Path.of(n);
                    if (Files.isDirectory(p)) {
                        for (Path f : Bootstraps.find(p)) read(f, guess);
                    } else if (Files.isRegularFile(p)) {
                        read(p, guess);
                    }
                } catch (IOException | RuntimeException e) {
                    // Not a path, or not one that can be read: the command finds that out itself, and says so.
                }
            }
        }, "verify-elf early read");
        t.setDaemon(true);
        t.start();
    }

    /** Reads f now, on this thread, unless the command has already taken it over. */
    private static void read(Path f, CpuCheck.Cpu cpu) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        FutureTask<ElfInfo> task = new FutureTask<>(() -> {
            ElfInfo info = ElfReader.read(f);
            if (cpu != null && info.machine == ElfReader.EM_AARCH64 && info.endian == ElfInfo.Endian.LITTLE) {
                info.cpuReport = CpuCheck.run(info, cpu);
            }
            return info;
        });
        Read r = new Read(a.fileKey(), a.size(), a.lastModifiedTime(), task);
        if (READS.putIfAbsent(f.toString(), r) == null) task.run();
    }

    /**
     * The command's reading of path: the early one when it was started for this path and the file is as it was
     * then (waiting for it, or running it here when its thread has not reached it yet), else ElfReader.read(path).
     */
    static ElfInfo read(Path path) throws IOException {
        Read r = READS.remove(path.toString());
        if (r != null) {
            try {
                r.task.run();
                ElfInfo info = r.task.get();
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                if (Objects.equals(r.key, a.fileKey()) && r.size == a.size() && r.modified.equals(a.lastModifiedTime())
                        && info.size == a.size()) {
                    return info;
                }
            } catch (ExecutionException | IOException | RuntimeException e) {
                // Read again below: any error is then the command's own, said as it says it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ElfReader.read(path);
    }

    /** Whether an early reading of path is waiting for the command (tests). */
    static boolean holds(Path path) {
        return READS.containsKey(path.toString());
    }

    /** The early reading of path once it has ended, or null when there is none or it failed (tests). */
    static ElfInfo awaitForTest(Path path) throws InterruptedException {
        Read r = READS.get(path.toString());
        if (r == null) return null;
        try {
            return r.task.get();
        } catch (ExecutionException e) {
            return null;
        }
    }
}
