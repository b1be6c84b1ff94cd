import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
@Command(name = "verify-elf", description = {"Check Lambda bootstraps the way `file` sees them: ELF, 64-bit, little-endian, the "
                + "expected arch, an executable, statically linked, stripped.",
                "A directory is searched for files named `bootstrap` (e.g. target/lambda).",
                "On arm64 the code is decoded too: an instruction the --cpu lacks (Graviton2 by default) fails the file, unless its "
                        + "function runs only after a runtime CPU test, which is reported as guarded (docs/guides/cpu-check.md).",
                "With --json: a JSON array, one object per file (path, ok, elf, class, endian, arch, type, linkage, interpreter, "
                        + "needed, glibc, stripped, debug_info, size, cpu_check, problems); cpu_check: the CPU, the words decoded, and per "
                        + "function holding instructions beyond it: the first one's address, bytes and name, counts by feature, guarded "
                        + "and the evidence."})
@ExitCodes({ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.INTERNAL})
class VerifyElfCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "bootstrap files, or directories to search for them")
    List<Path> paths;

    @Mixin
    ArchOption arch;

    @Option(names = "--allow-dynamic", description = "accept dynamically linked executables")
    boolean allowDynamic;

    @Option(names = "--allow-unstripped", description = "accept executables with a symbol table or debug info")
    boolean allowUnstripped;

    @Mixin
    LimitOptions limits;


    @Mixin
    JsonOption output;

    @Mixin
    CommonOptions cli;

    @Override
    public Integer call() throws IOException {
        ElfPolicy policy = new ElfPolicy(arch.machine().orUsage(cli.spec), allowDynamic, allowUnstripped, limits.size().orUsage(cli.spec))
                .withMaxGlibc(limits.glibc().orUsage(cli.spec));
        CpuCheck.Cpu cpu = limits.cpu().orUsage(cli.spec);
        policy = policy.withCpu(policy.machine() == ElfReader.EM_AARCH64 ? cpu : null);
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
                for (Path f : found) verdicts.add(policy.check(f.toString(), EarlyRead.read(f)));
            } else {
                verdicts.add(policy.check(p.toString(), EarlyRead.read(p)));
            }
        }
        PrintWriter out = cli.out();
        if (output.json) {
            out.println(JsonWriter.array(verdicts.stream().map(ElfPolicy.Verdict::toJson).collect(Collectors.toList())));
        } else {
            for (ElfPolicy.Verdict v : verdicts) out.println(v.line());
            if (verdicts.size() > 1) {
                long ok = verdicts.stream().filter(ElfPolicy.Verdict::ok).count();
                out.printf("%d files checked: %d OK, %d FAIL%n", verdicts.size(), ok, verdicts.size() - ok);
            }
        }
        out.flush();
        return (verdicts.stream().allMatch(ElfPolicy.Verdict::ok) ? ExitCode.OK : ExitCode.CHECK_FAILED).code;
    }
}
