import picocli.CommandLine.Option;

/** --max-size, --max-glibc, --runtime and --cpu: the limits verify-elf and the build scripts hold a bootstrap to (a picocli @Mixin). */
final class LimitOptions {
    @Option(names = "--max-size", paramLabel = "SIZE", description = "fail a bootstrap larger than SIZE (e.g. 50MB, 250MiB, 1048576); "
            + "a build fails a function whose zip is too, and without it only warns past Lambda's limits (zip 50 MB, unzipped 250 MB)")
    String maxSize;

    @Option(names = "--max-glibc", paramLabel = "VERSION", description = "fail a binary that needs a GLIBC_x.y newer than VERSION (e.g. 2.34; -gnu targets)")
    String maxGlibc;

    @Option(names = "--runtime", paramLabel = "RUNTIME", description = "the Lambda runtime whose glibc limits -gnu binaries: provided.al2023 (2.34) or provided.al2 (2.26)")
    String runtime;

    /** --max-size in bytes, -1 without it. */
    Parsed<Long> size() {
        return maxSize == null ? Parsed.ok(-1L) : Sizes.parse("--max-size", maxSize);
    }

    /** The newest GLIBC_x.y allowed (--max-glibc, else --runtime's), null without either. */
    Parsed<String> glibc() {
        return ElfPolicy.maxGlibc(maxGlibc, runtime);
    }

    @Option(names = "--cpu", paramLabel = "CPU", description = "fail an arm64 bootstrap with instructions CPU lacks (SVE, SVE2, SME, "
            + "extensions above its Armv8.x level) unless they run only after a runtime CPU test (reported as guarded): "
            + CpuCheck.NAMES + "; x86_64 bootstraps are not checked")
    String cpu;

    /** The CPU arm64 code is checked against (neoverse-n1 without --cpu), or null for --cpu none. */
    Parsed<CpuCheck.Cpu> cpu() {
        return CpuCheck.parse(cpu);
    }
}
