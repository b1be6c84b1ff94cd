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
 * not for the JVM's planning and then cargo. The record lives in the user's cache folder (one small file per folder
 * and argument list); BUILD_LAMBDA_NO_EARLY_CARGO=1 turns this off. An early start only ever saves time: whatever
 * goes wrong with it (no record, an unreadable one, a program that does not start) leaves the build as it would
 * have been without it.
 */
final class EarlyCargo {
    private static final int FORMAT = 1;
    /** This run's key, set by start(); null when this script or this run does not start cargo early. */
    private static volatile Key key;
    /** The early cargo while nobody has adopted or stopped it. */
    private static EarlyCargo running;

    private record Key(Path file, String cwd, List<String> args, Map<String, String> baseEnv) {}

    private record Call(Path dir, List<String> command, Map<String, String> env, boolean outToErr) {}

    final OutputGate out, err;
    final Exec.Started started;
    private final Call call;

    private EarlyCargo(Call call, OutputGate out, OutputGate err, Exec.Started started) {
        this.call = call;
        this.out = out;
        this.err = err;
        this.started = started;
    }

    /** From a build script's main(), first thing: starts the recorded cargo call when this run is the recorded one. */
    static void start(String me, String... args) {
        try {
            if (System.getenv("BUILD_LAMBDA_NO_EARLY_CARGO") != null) return;
            String cwd = Path.of("").toAbsolutePath().toString();
            Map<String, String> base = new TreeMap<>(System.getenv());
            long h = 1125899906842597L;
            for (String s : concat(cwd, args)) h = 31 * h + s.hashCode() * 17L + s.length();
            Key k = new Key(cacheDir(base).resolve(me + "-" + Long.toHexString(h)), cwd, List.of(args), base);
            key = k;
            if (!Files.isRegularFile(k.file())) return;
            Call c = read(k);
            if (c == null || !Files.isDirectory(c.dir())) return;
            OutputGate out = new OutputGate(c.outToErr() ? System.err : System.out), err = new OutputGate(System.err);
            Exec.Started s = Exec.start(c.dir(), c.command(), c.env(), out, err);
            synchronized (EarlyCargo.class) {
                running = new EarlyCargo(c, out, err, s);
            }
        } catch (RuntimeException | IOException e) {
            // No early start: the build runs cargo itself, as it would have anyway.
        }
    }

    /** Whether start() ran for this process (a script that starts cargo early, not turned off). */
    static boolean on() {
        return key != null;
    }

    /**
     * The early cargo, if it is exactly the call the build planned; otherwise it is stopped, and null comes back. The
     * planned call is recorded for the next run unless it is the one that was adopted.
     */
    static Adoption adopt(Path dir, List<String> command, Map<String, String> env, boolean outToErr) {
        Call planned = new Call(dir, List.copyOf(command), new TreeMap<>(env), outToErr);
        EarlyCargo e = take();
        if (e != null && e.call.equals(planned)) return new Adoption(e, false);
        if (e != null) e.stop();
        write(planned);
        return new Adoption(null, e != null);
    }

    /** cargo: the early call, adopted; else null, and stopped says whether one had started (and was not this build's). */
    record Adoption(EarlyCargo cargo, boolean stopped) {
        String said() {
            if (cargo != null) return "cargo was started before the options were read (last time's call, and this build's)";
            return stopped ? "the cargo call started before the options were read was last time's, not this build's: stopped it" : null;
        }
    }

    /** Stops an early cargo nobody adopted: the build failed before its cargo call, or took another path. */
    static void stopUnadopted() {
        EarlyCargo e = take();
        if (e != null) e.stop();
    }

    private static synchronized EarlyCargo take() {
        EarlyCargo e = running;
        running = null;
        return e;
    }

    private void stop() {
        Process p = started.process();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
            started.done().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // it was killed; its exit or its reader's end is not news
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
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
        } catch (IOException | RuntimeException e) {
            // Not recorded: the next run plans before it starts cargo, as this one did.
        }
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

    private static void str(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static String str(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > (1 << 24)) throw new IOException("not a record");
        return new String(d.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void list(DataOutputStream d, List<String> l) throws IOException {
        d.writeInt(l.size());
        for (String s : l) str(d, s);
    }

    private static List<String> list(DataInputStream d) throws IOException {
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
