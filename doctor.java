///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/doctor/*.java
//MAIN Doctor
//CDS
//DESCRIPTION Check every prerequisite of the Lambda builds and say exactly how to fix what is missing (--fix installs it)

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "doctor", description = {"Check what the Lambda builds need (Java, JBang, rustc, cargo, the target's std, zig, cargo-zigbuild, "
                + "a linker, docker client and engine, podman, the container image, qemu-user) and the bootstraps already built; print one row "
                + "each with the version found and, for what is missing, the command that fixes it on this system.",
                "With --json: a JSON array, one object per check (name, status, version, required, fix, detail)."})
@ExitCodes({ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.INTERNAL})
class Doctor implements Callable<Integer> {
    @Option(names = "--for", paramLabel = "BUILD", defaultValue = "zig",
            description = "the build to check for: zig (build-lambda, default), docker, native, or smart (docker, else native)")
    String forBuild;

    @CommandLine.Mixin
    ArchOption arch;

    @Option(names = "--target", paramLabel = "TRIPLE", description = "any Rust target triple instead of --arch")
    String target;

    @Option(names = "--manifest-path", paramLabel = "PATH", description = "the workspace to check (default: the nearest Cargo.toml, as cargo finds it)")
    Path manifestPath;

    @Option(names = "--sccache", description = "the build will use sccache (as RUSTC_WRAPPER=sccache says too): check it, and that "
            + "its backend (SCCACHE_* settings) takes a compile")
    boolean sccache;

    @Option(names = "--fix", description = "install what is missing where a non-interactive way exists (pip, cargo install, "
            + "rustup; apt-get only as root; never sudo), showing each command, then check again")
    boolean fix;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "longest wait for any one probe (default: ${DEFAULT-VALUE})")
    long timeout;

    @CommandLine.Mixin
    JsonOption output;

    @CommandLine.Mixin
    CommonOptions cli;

    public static void main(String... args) {
        System.exit(Cli.run(new Doctor(), args));
    }

    @Override
    public Integer call() {
        BuildKind mode = BuildKind.parse(forBuild);
        if (mode == null) {
            throw cli.usage("unknown --for '" + forBuild + "' (use zig, docker, native or smart)");
        }
        if (timeout < 1) {
            throw cli.usage("--timeout must be at least 1 second, not " + timeout);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        Checkup checks = new Checkup(mode, Target.of(cli.spec, arch.arch, target), manifestPath, Path.of("").toAbsolutePath(), env, timeout,
                Platform.detect());
        checks.sccache = sccache;
        PrintWriter out = cli.out(), err = cli.err();

        List<Check> rows = checks.run();
        if (!fix) {
            DoctorReport.print(out, output.json, mode, rows);
            return DoctorReport.exitCode(rows);
        }
        if (!output.json) DoctorReport.print(out, false, mode, rows);
        List<Check> todo = rows.stream().filter(c -> c.blocking() && c.fixCommand != null).collect(Collectors.toList());
        rows.stream().filter(c -> c.blocking() && c.fixCommand == null)
                .forEach(c -> err.println("doctor: --fix cannot install " + c.label + " by itself: " + (c.fix != null ? c.fix : c.detail)));
        if (todo.isEmpty()) {
            err.println("doctor: --fix: nothing missing can be installed automatically");
            err.flush();
            if (output.json) DoctorReport.print(out, true, mode, rows);
            return DoctorReport.exitCode(rows);
        }
        Map<String, String> fixEnv = new HashMap<>(env);
        fixEnv.put("DEBIAN_FRONTEND", "noninteractive");
        for (Check c : todo) {
            err.println("doctor: running: " + c.fix);
            err.flush();
            // Installs take as long as they take: no timeout, output streamed to stderr (stdout stays the report).
            try {
                Exec.Streamed r = Exec.stream(Path.of("").toAbsolutePath(), c.fixCommand, fixEnv, System.err, System.err);
                if (r.exit != 0) {
                    err.println("doctor: `" + c.fix + "` failed (exit " + r.exit + ")" + (c.name.equals("std")
                            ? "; without a download from rustup, build std from source (README: The target's standard library)" : ""));
                }
            } catch (Cli.UserError e) {
                err.println("doctor: `" + c.fix + "` failed: " + e.getMessage());
            }
            err.flush();
        }
        err.println("doctor: checking again");
        err.flush();
        rows = checks.run();
        DoctorReport.print(out, output.json, mode, rows);
        return DoctorReport.exitCode(rows);
    }
}
