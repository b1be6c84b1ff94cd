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
 * verify-elf's command: the options, then the ELF reader and policy over each bootstrap found. verify-elf.java
 * is only its entry point, so the tests and the docs generator run the same command in-process.
 */
@Command(name = "verify-elf", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Check Lambda bootstraps the way `file` sees them: ELF, 64-bit, little-endian, the "
                + "expected arch, an executable, statically linked, stripped.",
                "A directory is searched for files named `bootstrap` (e.g. target/lambda)."})
@ExitCodes({ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.INTERNAL})
class VerifyElfCommand implements Callable<Integer> {
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
        return Cli.commandLine(new VerifyElfCommand()).execute(args);
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
                List<Path> found = Bootstraps.find(p);
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
}
