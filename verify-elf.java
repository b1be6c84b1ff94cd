///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.6
//DESCRIPTION Check that Lambda bootstraps are 64-bit little-endian ELF executables for the right arch, statically linked and stripped

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * verify-elf: a standalone script (no //SOURCES) so it can be copied or run alone. Every other script
 * includes this file with //SOURCES: the ELF reading (ElfReader, ElfInfo, ElfPolicy), the picocli set-up
 * and exit codes they all share (Cli, ExitCode, ProjectVersion), JsonWriter and Sizes.
 * Exit codes: 0 every file passes, 1 at least one fails, 2 usage error or unreadable path.
 */
@Command(name = "verify-elf", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Check Lambda bootstraps the way `file` sees them: ELF, 64-bit, little-endian, the "
                + "expected arch, an executable, statically linked, stripped.",
                "A directory is searched for files named `bootstrap` (e.g. target/lambda)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file passes", "1:at least one file fails (non-ELF and malformed files fail)",
                "2:usage error, or a path that does not exist or cannot be read"})
class VerifyElf implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "bootstrap files, or directories to search for them")
    List<Path> paths;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "aarch64",
            description = "expected machine: aarch64 (or arm64), x86_64 (or x86-64); default ${DEFAULT-VALUE}")
    String arch;

    @Option(names = "--allow-dynamic", description = "accept dynamically linked executables")
    boolean allowDynamic;

    @Option(names = "--allow-unstripped", description = "accept executables with a symbol table or debug info")
    boolean allowUnstripped;

    @Option(names = "--max-size", paramLabel = "SIZE", description = "fail files larger than SIZE (e.g. 50MB, 250MiB, 1048576)")
    String maxSize;

    @Option(names = "--max-glibc", paramLabel = "VERSION", description = "fail files that need a GLIBC_x.y newer than VERSION (e.g. 2.34)")
    String maxGlibc;

    @Option(names = "--runtime", paramLabel = "RUNTIME", description = "the Lambda runtime whose glibc limits -gnu binaries: provided.al2023 (2.34) or provided.al2 (2.26)")
    String runtime;

    @Option(names = "--json", description = "print a JSON array, one object per file")
    boolean json;

    @Option(names = "--verbose", description = "show stack traces of unexpected errors")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs the command in-process and returns its exit code (tests call this). */
    static int run(String... args) {
        return Cli.commandLine(new VerifyElf()).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        ElfPolicy policy = new ElfPolicy(ElfPolicy.parseArch(spec, "--arch", arch), allowDynamic, allowUnstripped,
                maxSize == null ? -1 : Sizes.parse(spec, "--max-size", maxSize))
                .withMaxGlibc(ElfPolicy.parseMaxGlibc(spec, maxGlibc, runtime));
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new Cli.UserError(ExitCode.USAGE, "no such file or directory: " + p + " (give a bootstrap file, or a folder such as target/lambda)");
            }
            if (!Files.isReadable(p)) {
                throw new Cli.UserError(ExitCode.USAGE, "cannot read " + p + " (check its permissions)");
            }
        }
        List<ElfPolicy.Verdict> verdicts = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> found = findBootstraps(p);
                if (found.isEmpty()) {
                    verdicts.add(ElfPolicy.Verdict.missing(p.toString(),
                            "no file named bootstrap below this directory (build first, or name the file itself)"));
                }
                for (Path f : found) verdicts.add(policy.check(f.toString(), ElfReader.read(f)));
            } else {
                verdicts.add(policy.check(p.toString(), ElfReader.read(p)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonWriter.array(verdicts.stream().map(ElfPolicy.Verdict::toJson).collect(Collectors.toList())));
        } else {
            for (ElfPolicy.Verdict v : verdicts) out.println(v.line());
            if (verdicts.size() > 1) {
                long ok = verdicts.stream().filter(v -> v.ok).count();
                out.printf("%d files checked: %d OK, %d FAIL%n", verdicts.size(), ok, verdicts.size() - ok);
            }
        }
        out.flush();
        return (verdicts.stream().allMatch(v -> v.ok) ? ExitCode.OK : ExitCode.CHECK_FAILED).code;
    }

    static List<Path> findBootstraps(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName() != null && f.getFileName().toString().equals("bootstrap"))
                    .filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }
}

/** One place for the version every script prints with --version. */
class ProjectVersion implements CommandLine.IVersionProvider {
    static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[]{"${COMMAND-NAME} " + VERSION};
    }
}

/**
 * Every exit code the scripts document (the README's table is the same list). A failed build step exits
 * with cargo's own code instead, which is why UserError carries an int.
 */
enum ExitCode {
    OK(0),
    /** A check failed: verification, a size or glibc guard, a smoke run; doctor: a required row is missing. */
    CHECK_FAILED(1),
    /** Bad arguments or input: an unknown option, function or path, no Cargo.toml. */
    USAGE(2),
    /** A tool the build needs is missing, or does not answer. */
    MISSING_PREREQUISITE(3),
    /** build-lambda-docker: the client is there, no engine answers. */
    ENGINE_UNREACHABLE(4),
    /** build-lambda-docker: the image is not present and cannot be pulled. */
    IMAGE_UNAVAILABLE(5),
    /** invoke-lambda: the function exited or was killed during init or the invocation. */
    FUNCTION_CRASHED(6),
    /** invoke-lambda: the function did not answer in time (and was stopped). */
    TIMED_OUT(7),
    /** A bug: an unexpected exception (sysexits' EX_SOFTWARE). Never a reason to try another build. */
    INTERNAL(70),
    /** An output could not be written or read back (sysexits' EX_IOERR). */
    IO_ERROR(74),
    /** Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it. */
    INTERRUPTED(130);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}

/** picocli set-up shared by every script: one-line errors, exit codes, --verbose traces. */
final class Cli {
    private Cli() {}

    /** Thrown for a failure the user can fix; its message is the one line they see. */
    static class UserError extends RuntimeException {
        final int exitCode;
        /** Lines printed before the message, each behind the command's name (one per failed function, say). */
        final List<String> details;

        UserError(ExitCode exit, String message) {
            this(exit.code, message, List.of());
        }

        UserError(ExitCode exit, List<String> details, String message) {
            this(exit.code, message, details);
        }

        private UserError(int exitCode, String message, List<String> details) {
            super(message);
            this.exitCode = exitCode;
            this.details = List.copyOf(details);
        }

        /** The build step failed: exit with the build tool's own code (cargo's 101, a container's status). */
        static UserError buildFailed(int toolExit, String message) {
            return new UserError(toolExit, message, List.of());
        }
    }

    /** A program that did not answer within its time limit. */
    static final class Timeout extends UserError {
        Timeout(String message) {
            super(ExitCode.MISSING_PREREQUISITE, message);
        }
    }

    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandName() + " --help' for usage.");
            c.getErr().flush();
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError) {
                ((UserError) ex).details.forEach(line -> c.getErr().println(c.getCommandName() + ": " + line));
                c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
                c.getErr().flush();
                return ((UserError) ex).exitCode;
            }
            boolean verbose = parsed.hasMatchedOption("--verbose");
            String what = ex instanceof IOException ? "I/O error: " : "unexpected error: ";
            c.getErr().println(c.getCommandName() + ": " + what + ex
                    + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) ex.printStackTrace(c.getErr());
            c.getErr().flush();
            return (ex instanceof IOException ? ExitCode.USAGE : ExitCode.INTERNAL).code;
        });
        return cl;
    }
}

/** What an ELF file says about itself, in the terms `file` uses. Fields are null when unknown. */
final class ElfInfo {
    long size;
    boolean elf;
    Integer elfClass;          // 32 | 64
    String endian;             // little | big
    int machine = -1;
    String type;               // exec | pie | shared | relocatable | core | other
    String linkage;            // static | static-pie | dynamic | none
    String interpreter;
    final List<String> needed = new ArrayList<>();
    /** GLIBC_x.y versions named in .gnu.version_r, oldest first ("2.17", "2.34"). */
    final List<String> glibc = new ArrayList<>();
    Boolean hasSymtab;
    Boolean debugInfo;
    Boolean stripped;
    boolean noSectionHeaders;
    /** Why the file could not be read whole: not ELF, truncated, malformed. */
    final List<String> malformed = new ArrayList<>();

    String arch() {
        return machine < 0 ? null : ElfReader.archName(machine);
    }

    /** A `file`-like description: "ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped". */
    String describe() {
        if (!elf) return "not ELF";
        StringBuilder sb = new StringBuilder("ELF");
        if (elfClass != null) sb.append(' ').append(elfClass).append("-bit");
        if (endian != null) sb.append(endian.equals("little") ? " LSB" : " MSB");
        if (type != null) sb.append(' ').append(Map.of("exec", "executable", "pie", "pie executable",
                "shared", "shared object", "relocatable", "relocatable", "core", "core file").getOrDefault(type, "file"));
        if (machine >= 0) sb.append(", ").append(ElfReader.archWords(machine));
        if (linkage != null && !linkage.equals("none")) {
            sb.append(", ").append(Map.of("static", "statically", "static-pie", "static-pie", "dynamic", "dynamically")
                    .get(linkage)).append(" linked");
        }
        if (interpreter != null) sb.append(", interpreter ").append(interpreter);
        if (noSectionHeaders) sb.append(", no section header");
        else if (stripped != null) sb.append(Boolean.TRUE.equals(debugInfo) ? ", with debug_info" : "")
                .append(stripped ? ", stripped" : ", not stripped");
        return sb.toString();
    }
}

/**
 * Reads only the ELF header, program headers, the dynamic segment, section headers and section
 * names, with every offset, size and count checked against the file size before it is read.
 * Linkage and strippedness follow libmagic's readelf.c (file 5.44) so the two never disagree.
 */
final class ElfReader {
    static final int EM_386 = 3, EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183, EM_RISCV = 243;
    static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
    static final int SHT_SYMTAB = 2, SHT_GNU_VERNEED = 0x6ffffffe;
    /** Bounds for the version-needs walk: a real binary names a few dozen versions. */
    static final int MAX_VERNEED_BYTES = 1 << 20, MAX_VERNEED_ENTRIES = 4096;
    static final long DT_NEEDED = 1, DT_STRTAB = 5, DT_FLAGS_1 = 0x6ffffffbL, DF_1_PIE = 0x08000000L;
    /** Bounds on untrusted counts: far above any real binary, low enough to never exhaust memory. */
    static final long MAX_SEGMENTS = 65_536, MAX_SECTIONS = 262_144;
    /** file(1) reads at most BUFSIZ bytes of PT_DYNAMIC and of PT_INTERP; so do we, to agree with it. */
    static final int FILE_BUFSIZ = 8192;

    private final FileChannel ch;
    private final ElfInfo info;
    private ByteOrder order;
    private boolean is64;

    private ElfReader(FileChannel ch, ElfInfo info) {
        this.ch = ch;
        this.info = info;
    }

    static String archName(int machine) {
        switch (machine) {
            case EM_AARCH64: return "aarch64";
            case EM_X86_64: return "x86_64";
            case EM_386: return "i386";
            case EM_ARM: return "arm";
            case EM_RISCV: return "riscv";
            case 8: return "mips";
            case 20: return "ppc";
            case 21: return "ppc64";
            case 22: return "s390";
            case 43: return "sparcv9";
            case 258: return "loongarch";
            default: return "machine-" + machine;
        }
    }

    /** The words `file` prints for a machine. */
    static String archWords(int machine) {
        switch (machine) {
            case EM_AARCH64: return "ARM aarch64";
            case EM_X86_64: return "x86-64";
            case EM_386: return "Intel 80386";
            case EM_ARM: return "ARM";
            case EM_RISCV: return "UCB RISC-V";
            default: return archName(machine);
        }
    }

    /** Never throws for file content; I/O errors (unreadable file) propagate. */
    static ElfInfo read(Path path) throws IOException {
        ElfInfo info = new ElfInfo();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            info.size = ch.size();
            try {
                new ElfReader(ch, info).parse(path);
            } catch (Malformed m) {
                info.malformed.add(m.getMessage());
            } catch (RuntimeException e) {
                // A bug, not a property of the file: say so rather than crash the whole run.
                info.malformed.add("internal error while reading ELF: " + e);
            }
        }
        return info;
    }

    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private ByteBuffer readAt(long offset, int length, String what) throws IOException {
        if (offset < 0 || length < 0 || offset > info.size || length > info.size - offset) {
            throw new Malformed("truncated: " + what + " end past the end of the file");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) throw new Malformed("truncated: " + what + " (file shrank while read)");
        }
        return b.flip();
    }

    /** Reads up to max bytes at offset, fewer if the file ends first (as pread does). */
    private ByteBuffer readUpTo(long offset, long max) throws IOException {
        long len = (offset < 0 || offset >= info.size) ? 0 : Math.min(max, info.size - offset);
        return readAt(Math.max(0, Math.min(offset, info.size)), (int) len, "data");
    }

    private long word(ByteBuffer b, int pos64, int pos32) {
        return is64 ? b.getLong(pos64) : Integer.toUnsignedLong(b.getInt(pos32));
    }

    /** The ELF header's fields the rest of the reading needs, extended numbering resolved. */
    private record Header(int etype, long phoff, int phentsize, long phnum, long shoff, int shentsize, long shnum, long shstrndx) {}

    /** What the program headers say: PT_INTERP, PT_DYNAMIC's entries, and the loads that map addresses to offsets. */
    private static final class Segments {
        boolean dynamic, flags1, pieFlag;
        int need;
        final List<long[]> loads = new ArrayList<>();
        final List<Long> neededOffsets = new ArrayList<>();
        long strtab = -1;
    }

    /** Identification and header, then segments, then sections: each step reads only what `file` reads. */
    private void parse(Path path) throws IOException {
        Header h = readHeader();
        if (h == null) return;
        boolean execOrDyn = h.etype() == 2 || h.etype() == 3;
        Segments seg = execOrDyn && h.phnum() > 0 ? readSegments(h) : new Segments();
        judgeLinkage(h, seg, path);
        long strtabOff = vaddrToOffset(seg.loads, seg.strtab);
        for (long nameOff : seg.neededOffsets) {
            info.needed.add(strtabOff < 0 ? "?" : cString(readUpTo(strtabOff + nameOff, 256)));
        }
        readSections(h.shoff(), h.shnum(), h.shentsize(), is64 ? 64 : 40, h.shstrndx());
    }

    /** The identification bytes and the ELF header; null (and the verdict noted) when there is no ELF magic. */
    private Header readHeader() throws IOException {
        ByteBuffer ident = readUpTo(0, 16);
        if (ident.remaining() < 4 || ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            info.malformed.add("not an ELF file (no ELF magic)");
            return null;
        }
        info.elf = true;
        if (ident.remaining() < 16) throw new Malformed("truncated: ELF identification ends past the end of the file");
        int cls = ident.get(4), data = ident.get(5);
        if (cls != 1 && cls != 2) throw new Malformed("unknown ELF class " + cls);
        info.elfClass = cls == 2 ? 64 : 32;
        is64 = cls == 2;
        if (data != 1 && data != 2) throw new Malformed("unknown ELF data encoding " + data);
        info.endian = data == 1 ? "little" : "big";
        order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

        ByteBuffer eh = readAt(0, is64 ? 64 : 52, "ELF header");
        int etype = Short.toUnsignedInt(eh.getShort(16));
        info.machine = Short.toUnsignedInt(eh.getShort(18));
        long phoff = word(eh, 32, 28), shoff = word(eh, 40, 32);
        int phentsize = Short.toUnsignedInt(eh.getShort(is64 ? 54 : 42));
        long phnum = Short.toUnsignedInt(eh.getShort(is64 ? 56 : 44));
        int shentsize = Short.toUnsignedInt(eh.getShort(is64 ? 58 : 46));
        long shnum = Short.toUnsignedInt(eh.getShort(is64 ? 60 : 48));
        long shstrndx = Short.toUnsignedInt(eh.getShort(is64 ? 62 : 50));
        info.type = etype == 1 ? "relocatable" : etype == 2 ? "exec" : etype == 3 ? "shared" : etype == 4 ? "core" : "other";
        int wantSh = is64 ? 64 : 40;

        // Extended numbering: the real counts live in section header 0.
        if (shoff != 0 && (shnum == 0 || shstrndx == 0xffff || phnum == 0xffff)) {
            if (shentsize != wantSh) throw new Malformed("bad section header entry size " + shentsize + " (expected " + wantSh + ")");
            ByteBuffer s0 = readAt(shoff, wantSh, "section header 0 (extended numbering)");
            if (shnum == 0) shnum = word(s0, 32, 20);
            if (shstrndx == 0xffff) shstrndx = Integer.toUnsignedLong(s0.getInt(is64 ? 40 : 24));
            if (phnum == 0xffff) phnum = Integer.toUnsignedLong(s0.getInt(is64 ? 44 : 28));
        }
        if (shoff == 0) shnum = 0;
        return new Header(etype, phoff, phentsize, phnum, shoff, shentsize, shnum, shstrndx);
    }

    private Segments readSegments(Header h) throws IOException {
        int wantPh = is64 ? 56 : 32, phentsize = h.phentsize();
        long phnum = h.phnum();
        if (phentsize != wantPh) throw new Malformed("bad program header entry size " + phentsize + " (expected " + wantPh + ")");
        if (phnum > MAX_SEGMENTS) throw new Malformed("too many program headers (" + Long.toUnsignedString(phnum) + ")");
        Segments seg = new Segments();
        ByteBuffer ph = readAt(h.phoff(), (int) (phnum * phentsize), "program headers");
        for (int i = 0; i < phnum; i++) {
            int base = i * phentsize;
            ByteBuffer e = ph.duplicate().order(order).position(base).limit(base + phentsize).slice().order(order);
            int ptype = e.getInt(0);
            long off = word(e, 8, 4), vaddr = word(e, 16, 8), filesz = word(e, 32, 16);
            if (ptype == PT_LOAD) seg.loads.add(new long[]{vaddr, off, filesz});
            if (ptype == PT_INTERP) {
                seg.need++;
                ByteBuffer s = readUpTo(off, Long.compareUnsigned(filesz, FILE_BUFSIZ) < 0 ? filesz : FILE_BUFSIZ);
                String interp = cString(s);
                info.interpreter = interp.isEmpty() ? "*empty*" : interp;
            } else if (ptype == PT_DYNAMIC) {
                readDynamic(off, filesz, seg);
            }
        }
        return seg;
    }

    /** PT_DYNAMIC's entries, as file(1) reads them: the first 8 KiB, every whole entry, DT_NULL does not stop it. */
    private void readDynamic(long off, long filesz, Segments seg) throws IOException {
        seg.dynamic = true;
        seg.pieFlag = false;
        ByteBuffer d = readUpTo(off, Long.compareUnsigned(filesz, FILE_BUFSIZ) < 0 ? filesz : FILE_BUFSIZ);
        int entry = is64 ? 16 : 8;
        for (int p = 0; p + entry <= d.limit(); p += entry) {
            long tag = is64 ? d.getLong(p) : d.getInt(p);
            long val = is64 ? d.getLong(p + 8) : Integer.toUnsignedLong(d.getInt(p + 4));
            if (tag == DT_FLAGS_1) {
                seg.flags1 = true;
                seg.pieFlag = (val & DF_1_PIE) != 0;
            } else if (tag == DT_NEEDED) {
                seg.need++;
                seg.neededOffsets.add(val);
            } else if (tag == DT_STRTAB) {
                seg.strtab = val;
            }
        }
    }

    /** static, static-pie, dynamic or none; and whether a shared object is a pie executable. */
    private void judgeLinkage(Header h, Segments seg, Path path) {
        if (h.etype() != 2 && h.etype() != 3) {
            info.linkage = "none";
            return;
        }
        if (h.phnum() == 0) info.linkage = "none";
        else info.linkage = !seg.dynamic ? "static" : (seg.flags1 && seg.need == 0 ? "static-pie" : "dynamic");
        if (h.etype() == 3) {
            // file(1) prints "pie executable" when DF_1_PIE is set; with no PT_DYNAMIC it falls back to the file's x bits.
            boolean x = seg.dynamic ? seg.pieFlag : anyExecBit(path);
            info.type = x ? "pie" : "shared";
        }
    }

    private void readSections(long shoff, long shnum, int shentsize, int wantSh, long shstrndx) throws IOException {
        if (shnum == 0) {
            info.noSectionHeaders = true;
            info.hasSymtab = false;
            info.debugInfo = false;
            info.stripped = true;
            return;
        }
        if (shentsize != wantSh) throw new Malformed("bad section header entry size " + shentsize + " (expected " + wantSh + ")");
        if (Long.compareUnsigned(shnum, MAX_SECTIONS) > 0) throw new Malformed("too many section headers (" + Long.toUnsignedString(shnum) + ")");
        ByteBuffer sh = readAt(shoff, (int) (shnum * shentsize), "section headers");
        if (Long.compareUnsigned(shstrndx, shnum) >= 0) {
            throw new Malformed("section name table index " + Long.toUnsignedString(shstrndx) + " is out of range (" + shnum + " sections)");
        }
        long namesOff = word(sh, (int) shstrndx * shentsize + 24, (int) shstrndx * shentsize + 16);
        if (Long.compareUnsigned(namesOff, info.size) > 0) throw new Malformed("truncated: section name table starts past the end of the file");
        boolean symtab = false, debug = false;
        byte[] want = ".debug_info\0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < shnum; i++) {
            int base = i * shentsize;
            long nameIdx = Integer.toUnsignedLong(sh.getInt(base));
            if (sh.getInt(base + 4) == SHT_SYMTAB) symtab = true;
            if (!debug && nameIdx <= info.size) {
                ByteBuffer n = readUpTo(namesOff + nameIdx, want.length);
                debug = n.remaining() >= want.length - 1 && java.util.Arrays.equals(
                        java.util.Arrays.copyOf(bytes(n), want.length), want);
            }
        }
        info.hasSymtab = symtab;
        info.debugInfo = debug;
        info.stripped = !symtab && !debug;
        for (int i = 0; i < shnum; i++) {
            if (sh.getInt(i * shentsize + 4) == SHT_GNU_VERNEED) readVersionNeeds(sh, i, shnum, shentsize);
        }
    }

    /** The GLIBC_x.y names of .gnu.version_r (Elf_Verneed and Elf_Vernaux are 16 bytes in both classes). */
    private void readVersionNeeds(ByteBuffer sh, int index, long shnum, int shentsize) throws IOException {
        int base = index * shentsize;
        long off = word(sh, base + 24, base + 16), size = word(sh, base + 32, base + 20);
        long link = Integer.toUnsignedLong(sh.getInt(is64 ? base + 40 : base + 24));
        if (Long.compareUnsigned(link, shnum) >= 0) throw new Malformed(".gnu.version_r links to section " + link + ", which does not exist");
        long strOff = word(sh, (int) link * shentsize + 24, (int) link * shentsize + 16);
        ByteBuffer v = readAt(off, (int) Math.min(Long.compareUnsigned(size, MAX_VERNEED_BYTES) < 0 ? size : MAX_VERNEED_BYTES, info.size), ".gnu.version_r");
        java.util.TreeSet<String> found = new java.util.TreeSet<>(ElfReader::compareVersions);
        int pos = 0, entries = 0;
        while (pos >= 0 && pos + 16 <= v.limit() && entries++ < MAX_VERNEED_ENTRIES) {
            int cnt = Short.toUnsignedInt(v.getShort(pos + 2));
            long aux = pos + Integer.toUnsignedLong(v.getInt(pos + 8));
            for (int a = 0; a < cnt && aux >= 0 && aux + 16 <= v.limit() && entries++ < MAX_VERNEED_ENTRIES; a++) {
                String name = cString(readUpTo(strOff + Integer.toUnsignedLong(v.getInt((int) aux + 8)), 64));
                if (name.matches("GLIBC_\\d+(\\.\\d+)*")) found.add(name.substring(6));
                long next = Integer.toUnsignedLong(v.getInt((int) aux + 12));
                if (next == 0) break;
                aux += next;
            }
            long next = Integer.toUnsignedLong(v.getInt(pos + 12));
            if (next == 0) break;
            pos = next > v.limit() ? -1 : pos + (int) next;
        }
        info.glibc.addAll(found);
    }

    /** Compares dotted versions numerically: 2.9 < 2.17 < 2.34. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0, q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) return Long.compare(p, q);
        }
        return 0;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static long vaddrToOffset(List<long[]> loads, long vaddr) {
        if (vaddr < 0) return -1;
        for (long[] l : loads) {
            if (Long.compareUnsigned(vaddr, l[0]) >= 0 && Long.compareUnsigned(vaddr - l[0], l[2]) < 0) return l[1] + (vaddr - l[0]);
        }
        return -1;
    }

    private static String cString(ByteBuffer b) {
        byte[] a = bytes(b);
        int n = 0;
        while (n < a.length && a[n] != 0) n++;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = a[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString();
    }

    private static boolean anyExecBit(Path p) {
        try {
            var perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}

/** The requirements a Lambda bootstrap must meet, and the verdict for one file. */
final class ElfPolicy {
    final int machine;
    final boolean allowDynamic, allowUnstripped;
    final long maxSize;
    /** The newest GLIBC_x.y a binary may need (the Lambda runtime's glibc), or null for no limit. */
    final String maxGlibc;

    ElfPolicy(int machine, boolean allowDynamic, boolean allowUnstripped, long maxSize) {
        this(machine, allowDynamic, allowUnstripped, maxSize, null);
    }

    private ElfPolicy(int machine, boolean allowDynamic, boolean allowUnstripped, long maxSize, String maxGlibc) {
        this.machine = machine;
        this.allowDynamic = allowDynamic;
        this.allowUnstripped = allowUnstripped;
        this.maxSize = maxSize;
        this.maxGlibc = maxGlibc;
    }

    /** This policy with a glibc limit (null: none). */
    ElfPolicy withMaxGlibc(String version) {
        return new ElfPolicy(machine, allowDynamic, allowUnstripped, maxSize, version);
    }

    /** The glibc of Lambda's OS-only runtimes: provided.al2023 (Amazon Linux 2023) and provided.al2. */
    static final Map<String, String> RUNTIME_GLIBC = Map.of("provided.al2023", "2.34", "provided.al2", "2.26");

    /** --max-glibc wins over --runtime; either may be null. Bad values are usage errors. */
    static String parseMaxGlibc(CommandLine.Model.CommandSpec spec, String maxGlibc, String runtime) {
        if (maxGlibc != null) {
            if (!maxGlibc.matches("\\d+\\.\\d+(\\.\\d+)?")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid --max-glibc '" + maxGlibc + "' (use a version such as 2.34)");
            }
            return maxGlibc;
        }
        if (runtime == null) return null;
        String v = RUNTIME_GLIBC.get(runtime);
        if (v == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown --runtime '" + runtime
                    + "' (use provided.al2023 (glibc 2.34) or provided.al2 (glibc 2.26))");
        }
        return v;
    }

    /** aarch64 | arm64 | x86_64 | x86-64 | amd64 -> e_machine; anything else is a usage error. */
    static int parseArch(CommandLine.Model.CommandSpec spec, String option, String value) {
        Integer m = machineOf(value);
        if (m == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown " + option + " '" + value + "' (use aarch64 or arm64, x86_64 or x86-64)");
        }
        return m;
    }

    static Integer machineOf(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "aarch64": case "arm64": return ElfReader.EM_AARCH64;
            case "x86_64": case "x86-64": case "amd64": return ElfReader.EM_X86_64;
            default: return null;
        }
    }

    List<String> problems(ElfInfo i) {
        List<String> p = new ArrayList<>(i.malformed);
        if (!i.elf) return p;
        if (i.elfClass != null && i.elfClass != 64) p.add(i.elfClass + "-bit, expected 64-bit");
        if ("big".equals(i.endian)) p.add("big-endian (MSB), expected little-endian");
        if (i.machine >= 0 && i.machine != machine) {
            p.add(ElfReader.archWords(i.machine) + ", expected " + ElfReader.archName(machine));
        }
        if (!i.malformed.isEmpty()) return p;
        if (!"exec".equals(i.type) && !"pie".equals(i.type)) {
            p.add(Map.of("shared", "a shared object", "relocatable", "a relocatable object", "core", "a core file")
                    .getOrDefault(i.type, "not a known ELF type") + ", not an executable");
        } else if ("none".equals(i.linkage)) {
            p.add("no program headers, cannot be loaded");
        }
        if ("dynamic".equals(i.linkage) && !allowDynamic) {
            List<String> why = new ArrayList<>();
            if (i.interpreter != null) why.add("interpreter " + i.interpreter);
            if (!i.needed.isEmpty()) why.add("needs " + String.join(", ", i.needed));
            if (why.isEmpty()) why.add("dynamic section without DF_1_PIE");
            p.add("dynamically linked (" + String.join(", ", why) + ")");
        }
        if (!"dynamic".equals(i.linkage) && i.interpreter != null && !allowDynamic) {
            // `file` calls this "statically linked, interpreter X", yet the kernel needs X to start it.
            p.add("needs an interpreter (" + i.interpreter + ") although it has no dynamic section");
        }
        if (Boolean.FALSE.equals(i.stripped) && !allowUnstripped) {
            String what = Boolean.TRUE.equals(i.hasSymtab) && Boolean.TRUE.equals(i.debugInfo) ? ".symtab and .debug_info present"
                    : Boolean.TRUE.equals(i.hasSymtab) ? ".symtab present" : ".debug_info present";
            p.add("not stripped (" + what + ")");
        }
        if (maxGlibc != null) {
            List<String> newer = i.glibc.stream().filter(v -> ElfReader.compareVersions(v, maxGlibc) > 0).collect(Collectors.toList());
            if (!newer.isEmpty()) {
                p.add("needs GLIBC_" + newer.get(newer.size() - 1) + ", newer than --max-glibc " + maxGlibc
                        + " (it would fail with \"GLIBC_" + newer.get(newer.size() - 1) + " not found\" at its first invoke)");
            }
        }
        if (maxSize >= 0 && i.size > maxSize) {
            p.add(Sizes.human(i.size) + ", larger than --max-size " + Sizes.human(maxSize));
        }
        return p;
    }

    Verdict check(String path, ElfInfo info) {
        List<String> p = problems(info);
        return new Verdict(path, p.isEmpty(), info, p);
    }

    static final class Verdict {
        final String path;
        final boolean ok;
        final ElfInfo info;
        final List<String> problems;

        Verdict(String path, boolean ok, ElfInfo info, List<String> problems) {
            this.path = path;
            this.ok = ok;
            this.info = info;
            this.problems = problems;
        }

        static Verdict missing(String path, String problem) {
            return new Verdict(path, false, null, List.of(problem));
        }

        String line() {
            if (info == null) return path + ": FAIL " + String.join("; ", problems);
            String desc = info.describe() + (info.glibc.isEmpty() ? "" : ", needs GLIBC_" + info.glibc.get(info.glibc.size() - 1))
                    + ", " + Sizes.human(info.size);
            return ok ? path + ": OK " + desc : path + ": FAIL " + String.join("; ", problems) + " [" + desc + "]";
        }

        String toJson() {
            JsonWriter.Obj o = new JsonWriter.Obj().put("path", path).put("ok", ok);
            ElfInfo i = info;
            o.put("elf", i != null && i.elf)
                    .put("class", i == null ? null : i.elfClass)
                    .put("endian", i == null ? null : i.endian)
                    .put("arch", i == null ? null : i.arch())
                    .put("type", i == null ? null : i.type)
                    .put("linkage", i == null ? null : i.linkage)
                    .put("interpreter", i == null ? null : i.interpreter)
                    .put("needed", i == null ? List.of() : i.needed)
                    .put("glibc", i == null ? List.of() : i.glibc)
                    .put("stripped", i == null ? null : i.stripped)
                    .put("debug_info", i == null ? null : i.debugInfo)
                    .put("size", i == null ? null : i.size)
                    .put("problems", problems);
            return o.toString();
        }
    }
}

/** Sizes as people write them (50MB, 250MiB, 1048576) and as they read them (1.2 MiB). */
final class Sizes {
    private Sizes() {}

    static long parse(CommandLine.Model.CommandSpec spec, String option, String text) {
        Long v = parse(text);
        if (v == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid " + option + " '" + text
                    + "' (use a number of bytes or a size such as 50MB, 250MiB; KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024)");
        }
        return v;
    }

    static Long parse(String text) {
        var m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*").matcher(text);
        if (!m.matches()) return null;
        String u = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = Map.of("b", 1L, "k", 1000L, "kb", 1000L, "kib", 1024L, "m", 1_000_000L, "mb", 1_000_000L,
                "mib", 1L << 20, "g", 1_000_000_000L, "gb", 1_000_000_000L, "gib", 1L << 30).get(u);
        double v = Double.parseDouble(m.group(1)) * mult;
        return v > Long.MAX_VALUE ? null : (long) v;
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

/** Just enough JSON writing for reports; values are String, Number, Boolean, null, List or raw Json. */
final class JsonWriter {
    private JsonWriter() {}

    static final class Raw {
        final String text;

        Raw(String text) {
            this.text = text;
        }
    }

    static final class Obj {
        private final StringBuilder sb = new StringBuilder();

        Obj put(String key, Object value) {
            sb.append(sb.length() == 0 ? "" : ",").append(quote(key)).append(':').append(value(value));
            return this;
        }

        @Override
        public String toString() {
            return "{" + sb + "}";
        }
    }

    static String array(List<String> rawItems) {
        return rawItems.isEmpty() ? "[]" : "[\n  " + String.join(",\n  ", rawItems) + "\n]";
    }

    static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof Raw) return ((Raw) v).text;
        if (v instanceof Obj) return v.toString();
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d && Double.isFinite(d)) return d.toString();
        if (v instanceof List) {
            return "[" + ((List<?>) v).stream().map(JsonWriter::value).collect(Collectors.joining(",")) + "]";
        }
        return quote(v.toString());
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
