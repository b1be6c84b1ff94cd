import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a bootstrap's process is started: in Lambda's sandbox made of Linux namespaces (Sandbox, bubblewrap), in a
 * container (ContainerRunner, podman or docker), or as a plain process of this host (as before the sandbox).
 * The first two give the function what Lambda gives it: its folder read-only at /var/task, a writable /tmp of
 * ephemeralMb, and nothing else of this host. engine and image are the container's (null: the defaults).
 */
record Runner(Kind kind, int ephemeralMb, String engine, String image) {
    enum Kind {
        SANDBOX, CONTAINER, PROCESS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String TASK_ROOT = "/var/task";
    static final String RUNTIME_DIR = "/var/runtime";
    /** Lambda's default /tmp; the service allows 512 to 10240 MB. */
    static final int DEFAULT_EPHEMERAL_MB = 512;
    /** The uid and gid a function runs as on Lambda (sbx_user1051). */
    static final int UID = 993, GID = 990;

    static Runner process() {
        return new Runner(Kind.PROCESS, DEFAULT_EPHEMERAL_MB, null, null);
    }

    static Runner sandbox(int ephemeralMb) {
        return new Runner(Kind.SANDBOX, ephemeralMb, null, null);
    }

    /** The default where none is named: the sandbox on Linux; elsewhere (macOS) a container, as bubblewrap is Linux's. */
    static Kind defaultKind() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") ? Kind.SANDBOX : Kind.CONTAINER;
    }

    boolean isolated() {
        return kind != Kind.PROCESS;
    }

    /** How it runs, for the "ran ..." line. */
    String describe() {
        return switch (kind) {
            case SANDBOX -> "in the sandbox (bwrap: read-only " + TASK_ROOT + ", " + ephemeralMb + " MB /tmp)";
            case CONTAINER -> "in a container (" + ContainerRunner.engineName(this) + ": read-only " + TASK_ROOT + ", " + ephemeralMb + " MB /tmp)";
            case PROCESS -> "as a plain process of this host (no sandbox)";
        };
    }

    /**
     * What starting one bootstrap takes: the command, its environment and folder; cleanup stops what the
     * command leaves behind (a container the engine runs); memoryRoot is the process whose peak memory is the
     * function's ("Max Memory Used"), when this host can see it.
     */
    record Plan(List<String> command, Map<String, String> env, Path directory, Runnable cleanup,
                java.util.function.Function<ProcessHandle, Optional<ProcessHandle>> memoryRoot) {}

    /** qemu: the qemu-user prefix (empty when the bootstrap runs natively); env: Lambda's environment for it. */
    Plan plan(Path bootstrap, List<String> qemu, Map<String, String> env) {
        Path taskRoot = bootstrap.toAbsolutePath().getParent();
        if (kind == Kind.PROCESS) {
            List<String> cmd = new java.util.ArrayList<>(qemu);
            cmd.add(bootstrap.toString());
            return new Plan(cmd, env, taskRoot, () -> {}, Optional::of);
        }
        Map<String, String> inside = new LinkedHashMap<>(env);
        // The code is at /var/task inside, whatever its folder is here.
        inside.replace("LAMBDA_TASK_ROOT", taskRoot.toString(), TASK_ROOT);
        inside.replace("LAMBDA_RUNTIME_DIR", taskRoot.toString(), RUNTIME_DIR);
        String inner = TASK_ROOT + "/" + bootstrap.getFileName();
        List<Path> shown = awsFiles(env);
        return kind == Kind.SANDBOX ? Sandbox.plan(this, taskRoot, qemu, inner, inside, shown)
                : ContainerRunner.plan(this, taskRoot, qemu, inner, inside, shown);
    }

    /**
     * The one exception to "nothing of this host": with --aws the function gets the caller's HOME (and maybe
     * AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) to resolve a profile, so those files are shown read-only at their
     * own paths. Without --aws no HOME is passed and nothing is shown.
     */
    static List<Path> awsFiles(Map<String, String> env) {
        List<Path> shown = new java.util.ArrayList<>();
        if (env.get("HOME") != null) shown.add(Path.of(env.get("HOME"), ".aws"));
        for (String v : List.of("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")) {
            if (env.get(v) != null) shown.add(Path.of(env.get(v)));
        }
        return shown.stream().filter(p -> p.isAbsolute() && java.nio.file.Files.exists(p)).distinct().toList();
    }
}
