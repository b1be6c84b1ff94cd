import picocli.CommandLine;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A no-op build repeated without planning it again. When a build changed nothing in its lambda folder (a no-op), it
 * records, beside its early cargo call (EarlyCargo, same folder, words and environment), what it read and left: the
 * code that ran (java, its class path, every jar's identity), the files the plan reads (the manifest, the root
 * Cargo.toml, Cargo.lock, every cargo config file cargo would look for, present or not, rust-toolchain files),
 * the answer of cargo metadata, the identities (size, mtime, ctime, inode) of cargo's binaries and their folders
 * and of everything in the lambda folder, and what it printed. The next run with the same words starts cargo at
 * once (EarlyCargo), asks cargo metadata again beside it, and checks all of that; if cargo then ends well within
 * CargoBuild.SOON_MS of its start and every identity and the answer are as recorded, it prints cargo's output
 * between the recorded lines, as the build did, and exits 0: the same bytes on stdout and stderr, and the same
 * files (none is written), that planning, verifying and installing again would have given. Anything else (no
 * record, one that differs in one byte, cargo still running or failing, the lambda folder locked by another build)
 * drops the record and runs the whole build, which records again. Never for --verbose, --clean, --smoke, a
 * compile cache, several targets or a container build. BUILD_LAMBDA_NO_REPLAY=1 turns it off.
 */
final class Replay {
    private static final int FORMAT = 1;
    static final String NO_REPLAY = "BUILD_LAMBDA_NO_REPLAY";

    /** What this run printed through picocli's writers (stdout, stderr), and how much of it before cargo's output. */
    private static ByteArrayOutputStream outCopy, errCopy;
    private static PrintWriter outWriter, errWriter;
    private static int outMark = -1, errMark = -1;

    private Replay() {}

    /**
     * The recorded run, in the order written: texts (the code, the early call's record's identity, cargo metadata's
     * folder, the lambda folder), lists (cargo metadata's command, the inputs, the outputs, the lambda folder's tree,
     * each a path then its identity) and blobs (cargo metadata's answer, then what was printed: stdout and stderr
     * before cargo's output, stderr and stdout after it).
     */
    private static final class Record {
        static final int CODE = 0, EARLY = 1, META_DIR = 2, LAMBDA_DIR = 3;
        static final int META_COMMAND = 0, INPUTS = 1, OUTPUTS = 2, TREE = 3;
        static final int META_JSON = 0, OUT_BEFORE = 1, ERR_BEFORE = 2, ERR_AFTER = 3, OUT_AFTER = 4;
        final String[] texts = new String[4];
        final List<List<String>> lists = new ArrayList<>();
        final byte[][] blobs = new byte[5][];
    }

    /**
     * From main(), after EarlyCargo.start: the recorded no-op's output, if nothing it depends on changed; returns 0
     * once printed, -1 when the build is to run as usual (the record is then gone).
     */
    static int tryReplay(String me) {
        // The launcher's class-list run (./jbang) loads what a whole build loads, for the class-data archive of every run.
        if (System.getenv(NO_REPLAY) != null || System.getProperty(Outcome.CLASS_LIST) != null) return -1;
        Path early = EarlyCargo.recordFile();
        if (early == null) return -1;
        Path file = fileFor(early);
        if (!Files.isRegularFile(file)) return -1;
        boolean replayed = false;
        try {
            Record r = read(file);
            EarlyCargo cargo = EarlyCargo.peek();
            if (r == null || cargo == null || !r.texts[Record.EARLY].equals(stat(early, true)) || !r.texts[Record.CODE].equals(codeId())) return -1;
            ProcessBuilder pb = new ProcessBuilder(r.lists.get(Record.META_COMMAND)).directory(Path.of(r.texts[Record.META_DIR]).toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process meta = pb.start();
            try {
                boolean same = same(r.lists.get(Record.INPUTS), true);
                byte[] answer = meta.getInputStream().readAllBytes();
                if (!same || meta.waitFor() != 0 || !Arrays.equals(answer, r.blobs[Record.META_JSON])) return -1;
            } finally {
                if (meta.isAlive()) meta.destroyForcibly();
            }
            Exec.Streamed ended = cargo.endedBy(cargo.startedAt + TimeUnit.MILLISECONDS.toNanos(CargoBuild.SOON_MS));
            if (ended == null || ended.exit != 0) return -1;
            Path lambdaDir = Path.of(r.texts[Record.LAMBDA_DIR]);
            try (FileChannel ch = FileChannel.open(lambdaDir.resolve(LambdaDirLock.FILE), StandardOpenOption.WRITE);
                 FileLock lock = ch.tryLock()) {
                if (lock == null || !same(r.lists.get(Record.OUTPUTS), true) || !r.lists.get(Record.TREE).equals(tree(lambdaDir))) return -1;
                EarlyCargo taken = EarlyCargo.takeForReplay();
                if (taken != cargo) return -1;
                PrintStream out = System.out, err = System.err;
                out.write(r.blobs[Record.OUT_BEFORE]);
                err.write(r.blobs[Record.ERR_BEFORE]);
                out.flush();
                err.flush();
                cargo.out.open();
                cargo.err.open();
                err.write(r.blobs[Record.ERR_AFTER]);
                out.write(r.blobs[Record.OUT_AFTER]);
                out.flush();
                err.flush();
                replayed = true;
            }
            Outcome.write(me, ExitCode.OK.code, null, true);
            return ExitCode.OK.code;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            if (!replayed) forget(file);
        }
    }

    /** Copies what the build prints through picocli's writers, for a record (main() of a build script). */
    static void capture(CommandLine cl) {
        String enc = System.getProperty("sun.stdout.encoding");
        Charset cs = enc != null && Charset.isSupported(enc) ? Charset.forName(enc) : Charset.defaultCharset();
        outCopy = new ByteArrayOutputStream();
        errCopy = new ByteArrayOutputStream();
        outWriter = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new Exec.Tee(System.out, outCopy), cs)), true);
        errWriter = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new Exec.Tee(System.err, errCopy), cs)), true);
        cl.setOut(outWriter);
        cl.setErr(errWriter);
    }

    /** Just before cargo's output is shown: what was printed so far comes before it in a replay. */
    static void cargoShown() {
        if (outWriter == null || outMark >= 0) return;
        outWriter.flush();
        errWriter.flush();
        synchronized (outCopy) {
            outMark = outCopy.size();
        }
        synchronized (errCopy) {
            errMark = errCopy.size();
        }
    }

    /**
     * Records this no-op build for the next run with the same words (under the lambda folder's lock, after the report):
     * inputs, the files the plan read; outputs, cargo's binaries; manifestDir and metadataJson, the cargo metadata
     * call's folder and answer.
     */
    static void save(List<Path> inputs, Path manifest, String metadataJson, List<Path> outputs, Path lambdaDir) {
        Path early = EarlyCargo.recordFile();
        if (early == null || outWriter == null || outMark < 0 || !Files.isRegularFile(early)) return;
        try {
            String code = codeId();
            if (code == null) return;
            outWriter.flush();
            errWriter.flush();
            byte[] out, err;
            synchronized (outCopy) {
                out = outCopy.toByteArray();
            }
            synchronized (errCopy) {
                err = errCopy.toByteArray();
            }
            List<Path> outs = new ArrayList<>();
            for (Path o : outputs) {
                if (!outs.contains(o)) outs.add(o);
                if (!outs.contains(o.getParent())) outs.add(o.getParent());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            d.writeInt(FORMAT);
            int o = Math.min(outMark, out.length), e = Math.min(errMark, err.length);
            for (String t : List.of(code, stat(early, true), manifest.getParent().toString(), lambdaDir.toString())) EarlyCargo.str(d, t);
            for (List<String> l : List.of(Workspace.metadataCommand(manifest), stats(inputs), stats(outs), tree(lambdaDir))) EarlyCargo.list(d, l);
            for (byte[] b : List.of(metadataJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), Arrays.copyOfRange(out, 0, o),
                    Arrays.copyOfRange(err, 0, e), Arrays.copyOfRange(err, e, err.length), Arrays.copyOfRange(out, o, out.length))) {
                bytes(d, b);
            }
            Path file = fileFor(early);
            Path tmp = Files.createTempFile(file.getParent(), ".replay", ".tmp");
            try {
                Files.write(tmp, bytes.toByteArray());
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // Not recorded: the next run builds as this one did.
        }
    }

    /** Drops this run's record (a build that was not replayed may change anything it depends on). */
    static void forget() {
        Path early = EarlyCargo.recordFile();
        if (early != null) forget(fileFor(early));
    }

    private static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException ignored) {
            // an unreadable record is not replayed either: its code or identities cannot match
        }
    }

    private static Path fileFor(Path early) {
        return early.resolveSibling(new StringBuilder(early.getFileName().toString()).append(".replay").toString());
    }

    /**
     * The code that runs: java, the class path and the identity of every entry on it; null (never replayed) when an
     * entry is a folder of classes, whose content no identity describes.
     */
    private static String codeId() {
        StringBuilder b = new StringBuilder(System.getProperty("java.home")).append('\n').append(System.getProperty("java.vm.version")).append('\n');
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p)) return null;
            b.append(entry).append('\t').append(stat(p, true)).append('\n');
        }
        return b.toString();
    }

    private static boolean same(List<String> recorded, boolean follow) {
        for (int i = 0; i + 1 < recorded.size(); i += 2) {
            if (!recorded.get(i + 1).equals(stat(Path.of(recorded.get(i)), follow))) return false;
        }
        return true;
    }

    private static List<String> stats(List<Path> paths) {
        List<String> l = new ArrayList<>();
        for (Path p : paths) {
            l.add(p.toString());
            l.add(stat(p, true));
        }
        return l;
    }

    /** Every entry under the lambda folder (but the lock file) and its identity, in name order. */
    static List<String> tree(Path dir) throws IOException {
        List<String> l = new ArrayList<>();
        l.add("");
        l.add(stat(dir, false));
        walk(dir, dir, l);
        return l;
    }

    private static void walk(Path root, Path dir, List<String> l) throws IOException {
        TreeMap<String, Path> names = new TreeMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) names.put(p.getFileName().toString(), p);
        }
        for (Map.Entry<String, Path> e : names.entrySet()) {
            Path p = e.getValue();
            if (dir.equals(root) && e.getKey().equals(LambdaDirLock.FILE)) continue;
            l.add(root.relativize(p).toString());
            l.add(stat(p, false));
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) walk(root, p, l);
        }
    }

    /** size:mtime:ctime:inode:device in nanoseconds, "-" for a missing file, "?" plus a counter for an unreadable one. */
    static String stat(Path p, boolean follow) {
        try {
            Map<String, Object> a = follow ? Files.readAttributes(p, "unix:size,lastModifiedTime,ctime,ino,dev")
                    : Files.readAttributes(p, "unix:size,lastModifiedTime,ctime,ino,dev", LinkOption.NOFOLLOW_LINKS);
            return new StringBuilder().append(a.get("size")).append(':').append(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS))
                    .append(':').append(((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS)).append(':').append(a.get("ino"))
                    .append(':').append(a.get("dev")).toString();
        } catch (NoSuchFileException e) {
            return "-";
        } catch (IOException | RuntimeException e) {
            return new StringBuilder("?").append(System.nanoTime()).toString(); // equal to nothing recorded
        }
    }

    private static Record read(Path file) throws IOException {
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)));
        if (d.readInt() != FORMAT) return null;
        Record r = new Record();
        for (int i = 0; i < r.texts.length; i++) r.texts[i] = EarlyCargo.str(d);
        for (int i = 0; i < 4; i++) r.lists.add(EarlyCargo.list(d));
        for (int i = 0; i < r.blobs.length; i++) r.blobs[i] = bytes(d);
        return r;
    }

    private static void bytes(DataOutputStream d, byte[] b) throws IOException {
        d.writeInt(b.length);
        d.write(b);
    }

    private static byte[] bytes(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > (1 << 26)) throw new IOException("not a record");
        return d.readNBytes(n);
    }

}
