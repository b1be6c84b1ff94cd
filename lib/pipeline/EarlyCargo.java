import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The cargo call a build makes, started before the options are parsed: when the last build run in the same folder,
 * with the same words and the same environment, made exactly one cargo call, main() starts that call at once and
 * holds its output back. Once the build has planned its own call (after picocli, cargo metadata and the settings),
 * CargoBuild adopts the early one if it is the same program, arguments, folder and environment, and stops it
 * otherwise (then the planned call runs, and is recorded for next time). A no-op build then waits for cargo once,
 * not for the JVM's planning and then cargo. The record lives in the user's cache folder (one small file per folder,
 * argument list and environment); BUILD_LAMBDA_NO_EARLY_CARGO=1 turns this off. An early start only ever saves time: whatever
 * goes wrong with it (no record, an unreadable one, a program that does not start) leaves the build as it would
 * have been without it.
 */
final class EarlyCargo {
    private static final int FORMAT = 1;

    /** The early cargo's process, and its exit code and stderr once it and its output have ended. */
    record Started(Process process, java.util.concurrent.CompletableFuture<Exec.Streamed> done) {}
    /** This run's key, set by start(); null when this script or this run does not start cargo early. */
    private static volatile Key key;
    /** The early cargo while nobody has adopted or stopped it. */
    private static EarlyCargo running;

    private record Key(Path file, String cwd, List<String> args, Map<String, String> baseEnv) {}

    private record Call(Path dir, List<String> command, Map<String, String> env, boolean outToErr) {
        boolean same(Call o) {
            return dir.equals(o.dir) && command.equals(o.command) && env.equals(o.env) && outToErr == o.outToErr;
        }
    }

    final OutputGate out, err;
    final Started started;
    /** System.nanoTime() when it started. */
    final long startedAt;
    private final Call call;

    private EarlyCargo(Call call, OutputGate out, OutputGate err, Started started, long startedAt) {
        this.call = call;
        this.startedAt = startedAt;
        this.out = out;
        this.err = err;
        this.started = started;
    }

    /** Reads the record and starts cargo, beside the main thread's parsing; adopt and stop wait for it. */
    private static Thread starting;

    /**
     * From a build script's main(), first thing: starts the recorded cargo call when this run is the recorded one.
     * The record is read and cargo started on a thread of its own, while picocli reads the options on this one.
     */
    static void start(String me, String... args) {
        if (System.getenv("BUILD_LAMBDA_NO_EARLY_CARGO") != null) return;
        Thread t = new Thread(new Starter(me, args), "early-cargo");
        t.setDaemon(true);
        synchronized (EarlyCargo.class) {
            starting = t;
        }
        t.start();
    }

    /**
     * Everything on the way to cargo's start is plain code: no lambda, no string `+`, no record equals (each is an
     * invokedynamic whose first link costs tens of milliseconds while picocli links its own on the main thread).
     */
    private static final class Starter implements Runnable {
        private final String me;
        private final String[] args;

        Starter(String me, String[] args) {
            this.me = me;
            this.args = args;
        }

        @Override
        public void run() {
            startNow(me, args);
        }
    }

    private static void startNow(String me, String... args) {
        try {
            String cwd = Path.of("").toAbsolutePath().toString();
            Map<String, String> base = new TreeMap<>(System.getenv());
            long h = 1125899906842597L;
            for (String s : concat(cwd, args)) h = 31 * h + s.hashCode() * 17L + s.length();
            // The environment too: runs that differ only in it (a pnpm script and a shell, a setting tried) keep a record each.
            for (Map.Entry<String, String> e : base.entrySet()) h = 31 * h + e.getKey().hashCode() * 17L + e.getValue().hashCode();
            Key k = new Key(cacheDir(base).resolve(new StringBuilder(me).append('-').append(Long.toHexString(h)).toString()), cwd,
                    List.of(args), base);
            key = k;
            if (!Files.isRegularFile(k.file())) return;
            Call c = read(k);
            if (c == null || !Files.isDirectory(c.dir())) return;
            OutputGate out = new OutputGate(c.outToErr() ? System.err : System.out), err = new OutputGate(System.err);
            long at = System.nanoTime();
            Started s = launch(c, out, err);
            synchronized (EarlyCargo.class) {
                running = new EarlyCargo(c, out, err, s, at);
            }
        } catch (RuntimeException | IOException e) {
            // No early start: the build runs cargo itself, as it would have anyway.
        }
    }

    /**
     * The early cargo, if it is exactly the call the build planned; otherwise it is stopped, and null comes back.
     * handoffNames: variables the plan leaves to the builder's handoff (Builder.handoff); the early call's values
     * for them count as planned, and come back in the adoption. The build records the call it runs (remember).
     */
    static Adoption adopt(Path dir, List<String> command, Map<String, String> env, java.util.Set<String> handoffNames, boolean outToErr) {
        EarlyCargo e = take();
        if (e == null) return new Adoption(null, false, Map.of());
        Map<String, String> planned = new TreeMap<>(env), handoff = new TreeMap<>();
        for (String n : handoffNames) {
            String v = e.call.env().get(n);
            if (v != null && !env.containsKey(n)) {
                planned.put(n, v);
                handoff.put(n, v);
            }
        }
        if (e.call.same(new Call(dir, List.copyOf(command), planned, outToErr))) return new Adoption(e, false, handoff);
        e.stop();
        return new Adoption(null, true, Map.of());
    }

    /** Records the call this build runs, for the next run's early start (only where adopt() was asked). */
    static void remember(Path dir, List<String> command, Map<String, String> env, boolean outToErr) {
        write(new Call(dir, List.copyOf(command), new TreeMap<>(env), outToErr));
    }

    /**
     * cargo: the early call, adopted, with handoff (its values of the builder's handoff variables); else null, and
     * stopped says whether one had started (and was not this build's).
     */
    record Adoption(EarlyCargo cargo, boolean stopped, Map<String, String> handoff) {
        String said() {
            if (cargo != null) return "cargo was started before the options were read (last time's call, and this build's)";
            return stopped ? "the cargo call started before the options were read was last time's, not this build's: stopped it" : null;
        }
    }

    /** Whether an early cargo is running and not yet adopted or stopped (waits for start() to have decided). */
    static boolean pending() {
        joinStarting();
        synchronized (EarlyCargo.class) {
            return running != null;
        }
    }

    /** The file this run's call is recorded in (whether or not it exists yet); null when there is no early start. */
    static Path recordFile() {
        joinStarting();
        Key k = key;
        return k == null ? null : k.file();
    }

    /** The early cargo still waiting for adoption, left where it is (Replay looks before it takes); null when none. */
    static EarlyCargo peek() {
        joinStarting();
        synchronized (EarlyCargo.class) {
            return running;
        }
    }

    /** Takes the early cargo for a repeated report (Replay), as adopt() would: nobody else adopts or stops it then. */
    static EarlyCargo takeForReplay() {
        return take();
    }

    /** Its end, if it ends by untilNanos (System.nanoTime()); null if it is still running then. */
    Exec.Streamed endedBy(long untilNanos) {
        long left = Math.max(0, untilNanos - System.nanoTime());
        try {
            return started.done().get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    /** Stops an early cargo nobody adopted: the build failed before its cargo call, or took another path. */
    static void stopUnadopted() {
        EarlyCargo e = take();
        if (e != null) e.stop();
    }

    private static EarlyCargo take() {
        joinStarting();
        synchronized (EarlyCargo.class) {
            EarlyCargo e = running;
            running = null;
            return e;
        }
    }

    private static void joinStarting() {
        Thread t;
        synchronized (EarlyCargo.class) {
            t = starting;
            starting = null;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops it and everything it started, and waits for its end. */
    void stop() {
        Process p = started.process();
        killTree(p);
        try {
            p.waitFor(30, TimeUnit.SECONDS);
            started.done().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // it was killed; its exit or its reader's end is not news
        }
    }

    /** The process and everything it started (listed while it is alive: once it is gone its children are orphans). */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** The call started with its output pumped into the gates (stderr also kept, to explain a failure), stopped at exit. */
    private static Started launch(Call c, OutputGate out, OutputGate err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(c.command()).directory(c.dir().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(c.env());
        Process p = pb.start();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        Pump o = new Pump(p.getInputStream(), out, null), e = new Pump(p.getErrorStream(), err, kept);
        java.util.concurrent.CompletableFuture<Exec.Streamed> done = new java.util.concurrent.CompletableFuture<>();
        Thread po = new Thread(o, "early-cargo-out"), pe = new Thread(e, "early-cargo-err");
        Thread[] threads = {po, pe, new Thread(new Waiter(p, po, pe, kept, done), "early-cargo-wait")};
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(new Killer(p), "stop early cargo"));
        return new Started(p, done);
    }

    /** Copies one of the process's streams into a gate (and a copy), until it ends. */
    private static final class Pump implements Runnable {
        private final java.io.InputStream from;
        private final OutputGate to;
        private final ByteArrayOutputStream copy;

        Pump(java.io.InputStream from, OutputGate to, ByteArrayOutputStream copy) {
            this.from = from;
            this.to = to;
            this.copy = copy;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = from.read(buf)) > 0; ) {
                    to.write(buf, 0, n);
                    if (copy != null) {
                        synchronized (copy) {
                            copy.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException ended) {
                // the process is gone, or its stream was closed: nothing more to copy
            }
        }
    }

    /** Waits for the process and its output, then completes done with its exit code and stderr. */
    private static final class Waiter implements Runnable {
        private final Process p;
        private final Thread out, err;
        private final ByteArrayOutputStream kept;
        private final java.util.concurrent.CompletableFuture<Exec.Streamed> done;

        Waiter(Process p, Thread out, Thread err, ByteArrayOutputStream kept, java.util.concurrent.CompletableFuture<Exec.Streamed> done) {
            this.p = p;
            this.out = out;
            this.err = err;
            this.kept = kept;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                int exit = p.waitFor();
                out.join();
                err.join();
                String text;
                synchronized (kept) {
                    text = kept.toString(StandardCharsets.UTF_8);
                }
                done.complete(new Exec.Streamed(exit, text));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }
    }

    /** At this JVM's exit (Ctrl-C, a failure): an early cargo still running is stopped, with what it started. */
    private static final class Killer implements Runnable {
        private final Process p;

        Killer(Process p) {
            this.p = p;
        }

        @Override
        public void run() {
            if (p.isAlive()) killTree(p);
        }
    }

    private static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("build-lambda").resolve("early-cargo");
    }

    private static List<String> concat(String first, String[] rest) {
        List<String> all = new ArrayList<>(List.of(rest));
        all.add(0, first);
        return all;
    }

    private static void write(Call c) {
        Key k = key;
        if (k == null) return;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            d.writeInt(FORMAT);
            str(d, k.cwd());
            list(d, k.args());
            map(d, k.baseEnv());
            str(d, c.dir().toString());
            list(d, c.command());
            map(d, c.env());
            d.writeBoolean(c.outToErr());
            Files.createDirectories(k.file().getParent());
            Path tmp = Files.createTempFile(k.file().getParent(), ".record", ".tmp");
            try {
                Files.write(tmp, bytes.toByteArray());
                Files.move(tmp, k.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            prune(k.file().getParent());
        } catch (IOException | RuntimeException e) {
            // Not recorded: the next run plans before it starts cargo, as this one did.
        }
    }

    /** At most KEPT records (one per folder and argument list): past that, the older half goes. */
    static final int KEPT = 256;

    private static void prune(Path dir) throws IOException {
        List<Path> all;
        try (java.util.stream.Stream<Path> l = Files.list(dir)) {
            all = new ArrayList<>(l.toList());
        }
        if (all.size() <= KEPT) return;
        all.sort(java.util.Comparator.comparing(p -> p.toFile().lastModified()));
        for (Path p : all.subList(0, all.size() / 2)) Files.deleteIfExists(p);
    }

    /** The recorded call, when the record is for exactly this folder, these words and this environment. */
    private static Call read(Key k) throws IOException {
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(k.file())));
        if (d.readInt() != FORMAT) return null;
        if (!str(d).equals(k.cwd()) || !list(d).equals(k.args()) || !map(d).equals(k.baseEnv())) return null;
        Path dir = Path.of(str(d));
        List<String> command = list(d);
        Map<String, String> env = map(d);
        return new Call(dir, command, env, d.readBoolean());
    }

    static void str(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    static String str(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > (1 << 24)) throw new IOException("not a record");
        return new String(d.readNBytes(n), StandardCharsets.UTF_8);
    }

    static void list(DataOutputStream d, List<String> l) throws IOException {
        d.writeInt(l.size());
        for (String s : l) str(d, s);
    }

    static List<String> list(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > (1 << 16)) throw new IOException("not a record");
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(str(d));
        return l;
    }

    private static void map(DataOutputStream d, Map<String, String> m) throws IOException {
        d.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            str(d, e.getKey());
            str(d, e.getValue());
        }
    }

    private static Map<String, String> map(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > (1 << 16)) throw new IOException("not a record");
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < n; i++) m.put(str(d), str(d));
        return m;
    }
}
