import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The bootstrap in a container (podman or docker), the way on macOS, where podman machine and Docker Desktop run
 * Linux aarch64 natively on Apple silicon. The same layout as the sandbox: a read-only root, the function's folder
 * read-only at /var/task, a tmpfs /tmp of the configured size, Lambda's uid. On Linux the container shares this
 * host's network (the Runtime API stays on 127.0.0.1); elsewhere the engine runs a VM, so the container uses its
 * default network and reaches this host by the engine's name for it (host.containers.internal,
 * host.docker.internal). Where the bootstrap is not this host's architecture, this host's qemu-user goes in
 * read-only. The container is named, run with --rm, and killed and removed when the function is stopped, also
 * from a shutdown hook on Ctrl-C. The variables go in through an --env-file (0600, deleted at the end), never on
 * a command line.
 */
final class ContainerRunner {
    private ContainerRunner() {}

    /** The image when none is given: an empty root made here once (no registry is needed; the bootstrap is static). */
    static final String IMAGE = "localhost/invoke-lambda-runner:2";
    static final String NAME_PREFIX = "invoke-lambda-";
    /** Where the engine's own commands run (any folder will do). */
    private static final Path HERE = Path.of(System.getProperty("java.io.tmpdir"));

    static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /** --engine, else $CONTAINER_ENGINE, else podman when installed, else docker. */
    static String engineName(Runner r) {
        if (r.engine() != null) return r.engine();
        String env = System.getenv("CONTAINER_ENGINE");
        if (env != null && !env.isBlank()) return env;
        return Exec.which("podman", System.getenv()).isPresent() ? "podman" : "docker";
    }

    static Path engine(Runner r) {
        String name = engineName(r);
        return Exec.which(name, System.getenv()).orElseThrow(() -> new Cli.UserError(ExitCode.MISSING_PREREQUISITE,
                "--runner container needs a container client: no " + name + " found (install podman or docker; "
                        + "on macOS start `podman machine` or Docker Desktop), or pass --engine PROGRAM"));
    }

    static Runner.Plan plan(Runner r, Path taskRoot, List<String> qemu, String inner, Map<String, String> env, List<Path> shown) {
        Path engine = engine(r);
        String image = r.image() != null ? r.image() : ensureImage(engine);
        boolean podman = engine.getFileName().toString().contains("podman");
        String hostAlias = podman ? "host.containers.internal" : "host.docker.internal";
        String name = NAME_PREFIX + env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "fn").replaceAll("[^A-Za-z0-9_.-]", "-")
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path envFile = envFile(env, linux() ? null : hostAlias);
        List<String> cmd = new ArrayList<>(List.of(engine.toString(), "run", "--rm", "--name", name,
                "--read-only", "--user", Runner.UID + ":" + Runner.GID, "--workdir", Runner.TASK_ROOT,
                "--tmpfs", "/tmp:rw,size=" + r.ephemeralMb() + "m,mode=1777",
                "--volume", taskRoot + ":" + Runner.TASK_ROOT + ":ro",
                "--env-file", envFile.toString(), "--entrypoint", ""));
        // In a VM (podman machine, Docker Desktop) the engine already names this host hostAlias.
        if (linux()) cmd.addAll(List.of("--network", "host"));
        for (Path p : shown) cmd.addAll(List.of("--volume", p + ":" + p + ":ro"));
        // Without qemu-user here (macOS), a foreign bootstrap is left to the engine's VM: native on Apple silicon,
        // its binfmt emulation elsewhere.
        if (!qemu.isEmpty()) cmd.addAll(List.of("--volume", qemu.get(0) + ":" + qemu.get(0) + ":ro"));
        cmd.add(image);
        cmd.addAll(qemu);
        cmd.add(inner);
        Runnable stop = () -> {
            remove(engine, name);
            try {
                Files.deleteIfExists(envFile);
            } catch (IOException ignored) {
                // a temporary file: the OS's to clean
            }
        };
        Thread hook = new Thread(stop, "remove " + name);
        Runtime.getRuntime().addShutdownHook(hook);
        Runnable cleanup = () -> {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it removes the container
            }
        };
        return new Runner.Plan(cmd, System.getenv(), taskRoot, cleanup, client -> hostPid(engine, name));
    }

    /** Kill and remove; either may find it gone already (--rm), which is the point. */
    static void remove(Path engine, String name) {
        for (List<String> c : List.of(List.of("kill", name), List.of("rm", "-f", name))) {
            List<String> cmd = new ArrayList<>(List.of(engine.toString()));
            cmd.addAll(c);
            // Also from a shutdown hook, where zt-exec cannot run (it registers hooks of its own).
            Exec.runWhileExiting(HERE, cmd, System.getenv(), 30);
        }
    }

    /** The container's first process as this host sees it (Linux; in a VM there is none), polled until it runs. */
    static Optional<ProcessHandle> hostPid(Path engine, String name) {
        if (!linux()) return Optional.empty();
        for (int i = 0; i < 50; i++) {
            try {
                Exec.Result res = Exec.capture(HERE, List.of(engine.toString(), "inspect", "--format", "{{.State.Pid}}", name), System.getenv(), 30);
                String pid = res.out.trim();
                if (res.exit == 0 && pid.matches("[1-9][0-9]*")) return ProcessHandle.of(Long.parseLong(pid));
                Thread.sleep(100);
            } catch (RuntimeException notYet) {
                return Optional.empty();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** An --env-file; a value with a line break cannot be written in one, so it is refused with its name. */
    static Path envFile(Map<String, String> env, String hostAlias) {
        StringBuilder sb = new StringBuilder();
        for (var e : env.entrySet()) {
            if (e.getValue().contains("\n") || e.getValue().contains("\r")) {
                throw new Cli.UserError(ExitCode.USAGE, "the variable " + e.getKey() + " holds a line break, which --runner container "
                        + "cannot pass (an --env-file has one variable a line); use --runner sandbox or process");
            }
            String v = e.getValue();
            // In a VM (macOS), this host's 127.0.0.1 is the engine's name for it.
            if (hostAlias != null) v = v.replace("127.0.0.1", hostAlias);
            sb.append(e.getKey()).append('=').append(v).append('\n');
        }
        try {
            Path f = Files.createTempFile("invoke-lambda-env", ".list", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, sb.toString());
            return f;
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot write the container's environment file: " + e.getMessage());
        }
    }

    /**
     * The default image, imported from a tar of a few empty folders when missing: nothing but the mount points,
     * since the bootstrap is static and qemu-user (where needed) is this host's, bound in.
     */
    static synchronized String ensureImage(Path engine) {
        if (Exec.capture(HERE, List.of(engine.toString(), "image", "inspect", IMAGE), System.getenv(), 60).exit == 0) return IMAGE;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("invoke-lambda-image");
            Path root = Files.createDirectories(dir.resolve("root"));
            for (String d : List.of("var/task", "var/runtime", "opt", "tmp", "etc", "dev", "proc", "sys", "usr/bin")) {
                Files.createDirectories(root.resolve(d));
            }
            // The engine copies the image's /tmp mode onto the tmpfs: world-writable and sticky, as Lambda's /tmp.
            Exec.capture(HERE, List.of("chmod", "1777", root.resolve("tmp").toString()), System.getenv(), 30);
            Path tar = dir.resolve("root.tar");
            Exec.Result t = Exec.capture(HERE, List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), System.getenv(), 60);
            if (t.exit != 0) throw new Cli.UserError(ExitCode.IO_ERROR, "cannot make the runner image's tar: " + t.err.trim());
            Exec.Result imp = Exec.capture(HERE, List.of(engine.toString(), "import", tar.toString(), IMAGE), System.getenv(), 300);
            if (imp.exit != 0) {
                String why = imp.err.isBlank() ? "exit " + imp.exit : imp.err.strip().lines().reduce((a, b) -> b).orElse("");
                throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "cannot make the runner image " + IMAGE + " with " + engine
                        + ": " + why + " (is the engine running? `" + engine.getFileName() + " info`)");
            }
            return IMAGE;
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot make the runner image: " + e.getMessage());
        } finally {
            if (dir != null) Exec.capture(HERE, List.of("rm", "-rf", dir.toString()), System.getenv(), 60);
        }
    }
}
