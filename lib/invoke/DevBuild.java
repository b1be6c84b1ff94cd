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
    /** cargo-zigbuild's own cargo call (its command and environment), captured once: rebuilds run it directly. */
    private List<String> replay;
    private Map<String, String> replayEnv;

    DevBuild(Workspace ws, Map<String, String> env, PrintStream out) {
        this.ws = ws;
        this.dir = ws.targetDir.resolve("lambda-dev");
        this.out = out;
        Target target = Target.of(null, "arm64", null);
        List<String> configs = CargoConfig.files(ws.root, env).stream().map(CargoConfig::read).toList();
        TargetCpu.Flags cpu = TargetCpu.of(target, env, configs);
        RustFlags.Added rust = RustFlags.append(target, env, configs, cpu.rust());
        Map<String, String> e = new HashMap<>(env);
        e.putAll(cpu.env());
        e.putAll(rust.env());
        String python = realPython(ws.root, e);
        if (python != null) e.put("CARGO_ZIGBUILD_PYTHON_PATH", python);
        this.env = Map.copyOf(e);
        this.cpuArgs = rust.cargoArgs();
    }

    /**
     * cargo-zigbuild starts zig through `python3 -m ziglang` three times per link; where python3 is a version
     * manager's shim (pyenv's is a chain of shell scripts) that costs seconds per rebuild. The interpreter the
     * shim resolves to, asked once, is what CARGO_ZIGBUILD_PYTHON_PATH then names (unless it is set already):
     * the same python, without the shim. Null when there is nothing to resolve.
     */
    static String realPython(Path dir, Map<String, String> env) {
        if (env.containsKey("CARGO_ZIGBUILD_PYTHON_PATH")) return null;
        try {
            Exec.Result r = Exec.capture(dir, List.of("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))"), env, 60);
            String p = r.out.strip();
            return r.exit == 0 && !p.isEmpty() && Files.isExecutable(Path.of(p)) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
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
        if (replay == null) {
            if (Exec.stream(ws.root, command(), env, out, out).exit != 0) return false;
            capture();
        } else if (Exec.stream(ws.root, replay, replayEnv, out, out).exit != 0) {
            return false;
        }
        Path built = ws.targetDir.resolve(TRIPLE).resolve(Target.profileDir(PROFILE));
        for (Workspace.Function f : fs) install(built.resolve(f.name()), dir.resolve(f.name()).resolve("bootstrap"));
        return true;
    }

    /**
     * `cargo zigbuild` spends seconds before cargo starts (finding and probing zig and the C compilers, under a
     * version manager's shim more): that is paid once. cargo-zigbuild runs cargo as $CARGO says; here that is a
     * script that writes down its arguments and environment, which each rebuild then runs with the real cargo:
     * the very command cargo-zigbuild would run (its zig linker wrappers included). When the capture fails,
     * every build runs `cargo zigbuild`.
     */
    private void capture() {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("lambda-dev-cargo");
            Path script = tmp.resolve("cargo");
            Files.writeString(script, "#!/bin/sh\nenv -0 > \"$0.env\"\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$0.args\"\n");
            script.toFile().setExecutable(true, false);
            List<String> cmd = new ArrayList<>(List.of("cargo-zigbuild"));
            cmd.addAll(command().subList(1, command().size()));
            Map<String, String> e = new HashMap<>(env);
            e.put("CARGO", script.toString());
            Exec.Result r = Exec.capture(ws.root, cmd, e, 300);
            Path args = tmp.resolve("cargo.args"), vars = tmp.resolve("cargo.env");
            if (r.exit != 0 || !Files.isRegularFile(args) || !Files.isRegularFile(vars)) return;
            List<String> a = new ArrayList<>(List.of(Exec.which("cargo", env).map(Path::toString).orElse("cargo")));
            a.addAll(List.of(Files.readString(args).split("\0")));
            if (a.size() < 2 || !a.get(1).equals("build")) return;
            Map<String, String> v = new HashMap<>();
            for (String kv : Files.readString(vars).split("\0")) {
                int i = kv.indexOf('=');
                if (i > 0) v.put(kv.substring(0, i), kv.substring(i + 1));
            }
            v.remove("CARGO");
            replay = List.copyOf(a);
            replayEnv = Map.copyOf(v);
        } catch (IOException | RuntimeException e) {
            // every build runs cargo zigbuild
        } finally {
            if (tmp != null) {
                try (var files = Files.list(tmp)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp folder left
                }
            }
        }
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
