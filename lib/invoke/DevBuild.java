import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dev build of `--serve --watch`: the Lambda target (aarch64-unknown-linux-musl, cargo zigbuild, the release
 * build's target-cpu=neoverse-n1 and -mcpu for C) in cargo's dev profile (debug, incremental), installed into
 * <target dir>/lambda-dev/NAME/bootstrap, never over target/lambda's release bootstraps. It runs under the same
 * qemu CPU model and environment; it is not what build-lambda verifies and --smoke checks (--watch --release is).
 * A bootstrap is replaced (copy, then an atomic move) only after its build succeeded, so a failed build leaves
 * the previous one in place to serve.
 */
final class DevBuild {
    static final String TRIPLE = "aarch64-unknown-linux-musl";
    static final String PROFILE = "dev";

    final Workspace ws;
    final Path dir;
    private final Map<String, String> env;
    private final List<String> cpuArgs;
    private final PrintStream out;

    DevBuild(Workspace ws, Map<String, String> env, PrintStream out) {
        this.ws = ws;
        this.dir = ws.targetDir.resolve("lambda-dev");
        this.out = out;
        Target target = Target.of(null, "arm64", null);
        List<String> configs = CargoConfig.files(ws.root, env).stream().map(CargoConfig::read).toList();
        TargetCpu.Flags cpu = TargetCpu.of(target, env, configs);
        Map<String, String> e = new HashMap<>(env);
        e.putAll(cpu.env());
        this.env = Map.copyOf(e);
        this.cpuArgs = cpu.cargoArgs();
    }

    /** What is served, for the log line at start. */
    String describe() {
        return "the dev build (cargo zigbuild --target " + TRIPLE + ", profile " + PROFILE + ", target-cpu=" + TargetCpu.CPU
                + "; --release serves build-lambda's release bootstraps instead)";
    }

    /** The functions the build of these changed packages makes (every one when a library changed, or for none). */
    List<Workspace.Function> functionsFor(Set<String> changed) {
        List<String> pkgs = Rebuild.packages(ws, changed);
        return ws.functions.stream().filter(f -> pkgs.isEmpty() || pkgs.contains(f.pkg())).toList();
    }

    /**
     * `cargo zigbuild` for the Lambda target, dev profile, every function: the same selection each time, so cargo
     * resolves the dependencies' features once (`-p` of one package would build them again with that package's
     * features alone) and compiles only what changed; unchanged functions are not linked again.
     */
    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("cargo", "zigbuild", "--profile", PROFILE, "--target", TRIPLE));
        ws.functions.stream().map(Workspace.Function::pkg).distinct().forEach(p -> cmd.addAll(List.of("-p", p)));
        ws.functions.forEach(f -> cmd.addAll(List.of("--bin", f.name())));
        cmd.addAll(cpuArgs);
        return cmd;
    }

    /**
     * Builds, then installs the functions of the changed packages (all for an empty set, or when a library changed);
     * true when it built. Cargo's output goes to out.
     */
    boolean build(Set<String> changed) {
        List<Workspace.Function> fs = functionsFor(changed);
        if (fs.isEmpty()) return true;
        if (Exec.which("cargo-zigbuild", env).isEmpty()) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "cargo-zigbuild not found on PATH (the dev build runs `cargo zigbuild`): "
                    + "install it with `pip install cargo-zigbuild ziglang`, or run `jbang doctor@. --fix`; --host builds for this machine instead");
        }
        if (Exec.stream(ws.root, command(), env, out, out).exit != 0) return false;
        Path built = ws.targetDir.resolve(TRIPLE).resolve(Target.profileDir(PROFILE));
        for (Workspace.Function f : fs) install(built.resolve(f.name()), dir.resolve(f.name()).resolve("bootstrap"));
        return true;
    }

    private static void install(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Path tmp = to.resolveSibling(".bootstrap.tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().setExecutable(true, false);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot install the dev build " + from + " as " + to + ": " + e.getMessage());
        }
    }

    /** The dev bootstraps as a Source: <target dir>/lambda-dev/NAME/bootstrap, the workspace's functions only. */
    FunctionSource source() {
        List<String> names = ws.functions.stream().map(Workspace.Function::name).collect(Collectors.toList());
        return new FunctionSource() {
            public List<String> names() {
                return names.stream().filter(n -> Files.isRegularFile(executable(n))).toList();
            }

            public Path executable(String name) {
                return dir.resolve(name).resolve("bootstrap");
            }

            public String describe() {
                List<String> n = names();
                return "dev builds in " + dir + ": " + (n.isEmpty() ? "none" : String.join(", ", n));
            }
        };
    }

    /** The first build, before serving: everything; when it fails, the previous dev build if every function has one. */
    FunctionSource start() {
        if (build(Set.of())) return source();
        FunctionSource s = source();
        if (s.names().size() == ws.functions.size()) {
            out.println("invoke-lambda: the dev build failed (above); serving the previous dev build until a change builds");
            return s;
        }
        throw new Cli.UserError(ExitCode.CHECK_FAILED, "the dev build failed (above) and there is no previous one to serve: fix it and run again");
    }
}
