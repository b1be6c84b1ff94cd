import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Real ELF files to test against, built once per JVM: small C programs compiled with
 * aarch64-linux-gnu-gcc and gcc (static, static-pie, dynamic, no-pie, debug info, shared, relocatable,
 * 32-bit, big-endian), a few copies patched in one field to reach corners of `file`'s rules, and a
 * capped list of the machine's own executables and shared libraries.
 */
final class ElfSamples {
    /** Names of the built samples (files in {@link #dir}). */
    static final String A64_STATIC = "aarch64-static",
            A64_STATIC_STRIPPED = "aarch64-static-stripped",
            A64_STATIC_PIE = "aarch64-static-pie",
            A64_NEEDED_AFTER_NULL = "aarch64-static-pie-needed-after-dt-null",
            A64_DYNAMIC = "aarch64-dynamic",
            A64_NO_PIE = "aarch64-no-pie",
            A64_DEBUG = "aarch64-debug",
            A64_DEBUG_ONLY = "aarch64-debug-info-no-symtab",
            A64_STATIC_INTERP = "aarch64-static-with-interp",
            A64_SHARED = "aarch64-shared.so",
            A64_SHARED_NO_NEEDED = "aarch64-flags1-no-needed.so",
            A64_OBJECT = "aarch64-object.o",
            A64_TINY = "aarch64-tiny",
            A64_TINY_STRIPPED = "aarch64-tiny-stripped",
            A64_ETDYN_X = "aarch64-etdyn-no-dynamic-x",
            A64_ETDYN_NOX = "aarch64-etdyn-no-dynamic-nox",
            A64_NO_SECTIONS = "aarch64-no-section-headers",
            A64_BE_STATIC = "aarch64be-static",
            A64_BE_OBJECT = "aarch64be-object.o",
            I386_STATIC = "i386-static",
            I386_OBJECT = "i386-object.o",
            X32_STATIC = "x32-static",
            X64_STATIC = "x86_64-static",
            X64_STATIC_STRIPPED = "x86_64-static-stripped",
            X64_DYNAMIC = "x86_64-dynamic",
            X64_DYNAMIC_STRIPPED = "x86_64-dynamic-stripped";

    static final int SYSTEM_BIN_CAP = 150, SYSTEM_X64_LIB_CAP = 100, SYSTEM_A64_LIB_CAP = 100;

    private static ElfSamples instance;

    final Path dir;
    /** Built samples by name, in build order. */
    final Map<String, Path> built;
    /** The machine's own ELF files (deduplicated by real path, symlinks skipped). */
    final List<Path> system;

    private ElfSamples(Path dir, Map<String, Path> built, List<Path> system) {
        this.dir = dir;
        this.built = Collections.unmodifiableMap(built);
        this.system = Collections.unmodifiableList(system);
    }

    static synchronized ElfSamples get() {
        if (instance == null) instance = build();
        return instance;
    }

    Path path(String name) {
        Path p = built.get(name);
        if (p == null) throw new IllegalArgumentException("no sample named " + name);
        return p;
    }

    /** Every sample: built ones first, then the system's files. */
    List<Path> all() {
        List<Path> all = new ArrayList<>(built.values());
        all.addAll(system);
        return all;
    }

    /** What an in-process `verify-elf ARGS` returned and printed. */
    static final class Run {
        final int exit;
        final String out, err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /**
     * Runs verify-elf (Cli's command line) in this JVM, its output into writers of its own: System.out is the whole
     * JVM's, and other classes' tests run beside this one.
     */
    static Run verifyElf(String... args) {
        java.io.StringWriter o = new java.io.StringWriter(), e = new java.io.StringWriter();
        picocli.CommandLine cl = Cli.commandLine(new VerifyElfCommand());
        cl.setOut(new java.io.PrintWriter(o, true));
        cl.setErr(new java.io.PrintWriter(e, true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Run(code, o.toString(), e.toString());
    }

    // ------------------------------------------------------------------ building

    private static final String HELLO = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n";
    private static final String LIB = "int add_one(int x) { return x + 1; }\n";
    /** No libc: links for any target the toolchain knows, without that target's C library. */
    private static final String START = "void _start(void) { for (;;) ; }\n";
    private static final String INTERP = "#include <stdio.h>\n"
            + "const char my_interp[] __attribute__((section(\".interp\"))) = \"/lib/ld-sample.so.1\";\n"
            + "int main(void) { puts(\"hello\"); return 0; }\n";

    private static ElfSamples build() {
        Path dir = Repo.scratch("elf-samples");
        try {
            Files.writeString(dir.resolve("hello.c"), HELLO);
            Files.writeString(dir.resolve("lib.c"), LIB);
            Files.writeString(dir.resolve("start.c"), START);
            Files.writeString(dir.resolve("interp.c"), INTERP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String a64 = "aarch64-linux-gnu-gcc", a64strip = "aarch64-linux-gnu-strip";
        // Independent chains of commands; each chain runs in order, chains run side by side.
        List<List<List<String>>> chains = List.of(
                List.of(List.of(a64, "-O2", "-static", "-o", A64_STATIC, "hello.c"),
                        List.of(a64strip, "-o", A64_STATIC_STRIPPED, A64_STATIC)),
                List.of(List.of(a64, "-O2", "-static-pie", "-o", A64_STATIC_PIE, "hello.c")),
                List.of(List.of(a64, "-O2", "-o", A64_DYNAMIC, "hello.c")),
                List.of(List.of(a64, "-O2", "-no-pie", "-o", A64_NO_PIE, "hello.c")),
                List.of(List.of(a64, "-g", "-static", "-o", A64_DEBUG, "hello.c"),
                        List.of(a64strip, "-s", "--keep-section=.debug_info", "-o", A64_DEBUG_ONLY, A64_DEBUG)),
                List.of(List.of(a64, "-O2", "-static", "-o", A64_STATIC_INTERP, "interp.c")),
                List.of(List.of(a64, "-O2", "-shared", "-fPIC", "-o", A64_SHARED, "lib.c")),
                List.of(List.of(a64, "-O2", "-shared", "-fPIC", "-nostdlib", "-Wl,-z,nodelete", "-o", A64_SHARED_NO_NEEDED, "lib.c")),
                List.of(List.of(a64, "-O2", "-c", "-o", A64_OBJECT, "lib.c")),
                List.of(List.of(a64, "-O2", "-static", "-nostdlib", "-o", A64_TINY, "start.c"),
                        List.of(a64strip, "-o", A64_TINY_STRIPPED, A64_TINY)),
                List.of(List.of(a64, "-O2", "-mbig-endian", "-static", "-nostdlib", "-o", A64_BE_STATIC, "start.c")),
                List.of(List.of(a64, "-O2", "-mbig-endian", "-c", "-o", A64_BE_OBJECT, "lib.c")),
                List.of(List.of("gcc", "-O2", "-m32", "-static", "-nostdlib", "-o", I386_STATIC, "start.c")),
                List.of(List.of("gcc", "-O2", "-m32", "-c", "-o", I386_OBJECT, "lib.c")),
                List.of(List.of("gcc", "-O2", "-mx32", "-static", "-nostdlib", "-o", X32_STATIC, "start.c")),
                List.of(List.of("gcc", "-O2", "-static", "-o", X64_STATIC, "hello.c"),
                        List.of("strip", "-o", X64_STATIC_STRIPPED, X64_STATIC)),
                List.of(List.of("gcc", "-O2", "-o", X64_DYNAMIC, "hello.c"),
                        List.of("strip", "-o", X64_DYNAMIC_STRIPPED, X64_DYNAMIC)));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (List<List<String>> chain : chains) {
                running.add(pool.submit(() -> {
                    for (List<String> cmd : chain) {
                        Proc p = Proc.run(dir, null, cmd, 300);
                        if (p.exit != 0) {
                            throw new IllegalStateException("building ELF samples failed (setup.sh installs gcc, "
                                    + "gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, binutils): " + String.join(" ", cmd) + "\n" + p);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }

        try {
            // ET_DYN without PT_DYNAMIC: `file` says "pie executable" or "shared object" from the file's x bits.
            patch(dir.resolve(A64_TINY), dir.resolve(A64_ETDYN_X), b -> b.putShort(16, (short) 3));
            patch(dir.resolve(A64_TINY), dir.resolve(A64_ETDYN_NOX), b -> b.putShort(16, (short) 3));
            Files.setPosixFilePermissions(dir.resolve(A64_ETDYN_X), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dir.resolve(A64_ETDYN_NOX), PosixFilePermissions.fromString("rw-r--r--"));
            // A DT_NEEDED entry after the first DT_NULL: `file` reads on past DT_NULL and says "dynamically linked".
            patch(dir.resolve(A64_STATIC_PIE), dir.resolve(A64_NEEDED_AFTER_NULL), ElfSamples::neededAfterNull);
            // No section header table at all: e_shoff = e_shnum = e_shstrndx = 0.
            patch(dir.resolve(A64_TINY), dir.resolve(A64_NO_SECTIONS), b -> {
                b.putLong(40, 0);
                b.putShort(60, (short) 0);
                b.putShort(62, (short) 0);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Map<String, Path> built = new LinkedHashMap<>();
        for (String name : List.of(A64_STATIC, A64_STATIC_STRIPPED, A64_STATIC_PIE, A64_NEEDED_AFTER_NULL, A64_DYNAMIC, A64_NO_PIE, A64_DEBUG,
                A64_DEBUG_ONLY, A64_STATIC_INTERP, A64_SHARED, A64_SHARED_NO_NEEDED, A64_OBJECT, A64_TINY, A64_TINY_STRIPPED,
                A64_ETDYN_X, A64_ETDYN_NOX, A64_NO_SECTIONS, A64_BE_STATIC, A64_BE_OBJECT, I386_STATIC, I386_OBJECT,
                X32_STATIC, X64_STATIC, X64_STATIC_STRIPPED, X64_DYNAMIC, X64_DYNAMIC_STRIPPED)) {
            Path p = dir.resolve(name);
            if (!Files.isRegularFile(p)) throw new IllegalStateException("sample was not built: " + p);
            built.put(name, p);
        }

        List<Path> system = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        system.addAll(elfFiles(List.of(Path.of("/bin"), Path.of("/usr/bin")), name -> true, SYSTEM_BIN_CAP, seen));
        system.addAll(elfFiles(List.of(Path.of("/usr/lib/x86_64-linux-gnu")), name -> name.contains(".so"), SYSTEM_X64_LIB_CAP, seen));
        system.addAll(elfFiles(List.of(Path.of("/usr/aarch64-linux-gnu/lib"), Path.of("/usr/lib/aarch64-linux-gnu")),
                name -> name.contains(".so"), SYSTEM_A64_LIB_CAP, seen));
        return new ElfSamples(dir, built, system);
    }

    private interface Edit {
        void apply(ByteBuffer b);
    }

    private static void patch(Path from, Path to, Edit edit) throws IOException {
        byte[] bytes = Files.readAllBytes(from);
        edit.apply(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        Files.write(to, bytes);
    }

    /** Writes DT_NEEDED (name offset 0) into the spare entry after the first DT_NULL of PT_DYNAMIC (ELF64 LSB). */
    private static void neededAfterNull(ByteBuffer b) {
        long phoff = b.getLong(32);
        int phnum = Short.toUnsignedInt(b.getShort(56));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) phoff + i * 56;
            if (b.getInt(ph) != 2) continue;
            int off = (int) b.getLong(ph + 8), n = (int) (b.getLong(ph + 32) / 16);
            for (int k = 0; k + 1 < n; k++) {
                if (b.getLong(off + 16 * k) == 0) {
                    b.putLong(off + 16 * (k + 1), 1).putLong(off + 16 * (k + 1) + 8, 0);
                    return;
                }
            }
            throw new IllegalStateException("no spare entry after DT_NULL in the static-pie sample's PT_DYNAMIC");
        }
        throw new IllegalStateException("the static-pie sample has no PT_DYNAMIC");
    }

    /** Regular files (not symlinks) with the ELF magic in dirs, sorted by name, first cap of them. */
    private static List<Path> elfFiles(List<Path> dirs, java.util.function.Predicate<String> nameOk, int cap, Set<Path> seen) {
        List<Path> candidates = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    if (nameOk.test(p.getFileName().toString())) candidates.add(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        candidates.sort(null);
        List<Path> out = new ArrayList<>();
        for (Path p : candidates) {
            if (out.size() >= cap) break;
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(p)) continue;
            try {
                if (!seen.add(p.toRealPath()) || !hasElfMagic(p)) continue;
            } catch (IOException e) {
                continue; // vanished or unreadable: not a sample
            }
            out.add(p);
        }
        return out;
    }

    static boolean hasElfMagic(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0x7f && new String(m, 1, 3, StandardCharsets.US_ASCII).equals("ELF");
        }
    }
}
