import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lambda's sandbox made of Linux namespaces with bubblewrap: the function's folder read-only at /var/task, a tmpfs
 * /tmp of the configured size, the operating system (this host's /usr and /lib, read-only, as Lambda's image is),
 * from /etc only what name resolution and TLS read, a fresh /proc and /dev, and nothing else: no home, no ~/.aws,
 * no repository. The root is read-only, so a write anywhere but /tmp fails with EROFS, as on Lambda. The network
 * namespace is this host's, so the Runtime API (and the local AWS) on 127.0.0.1 stay reachable. It runs as
 * Lambda's uid and gid in a user namespace of its own, and dies with the process that started it.
 */
final class Sandbox {
    private Sandbox() {}

    /** The OS folders bound read-only (or re-made as the symlinks they are here, on a merged-/usr host). */
    static final List<String> OS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    /** What a runtime reads from /etc: name resolution and the trust store. */
    static final List<String> ETC = List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf",
            "/etc/ssl", "/etc/ca-certificates", "/etc/pki");

    static Path bwrap() {
        return Exec.which("bwrap", System.getenv()).orElseThrow(() -> new Cli.UserError(ExitCode.MISSING_PREREQUISITE,
                "the sandbox (--runner sandbox, the default on Linux) needs bubblewrap: apt-get install bubblewrap; "
                        + "or run with --runner container (podman or docker) or --runner process (no sandbox)"));
    }

    static Runner.Plan plan(Runner r, Path taskRoot, List<String> qemu, String inner, Map<String, String> env, List<Path> shown) {
        List<String> cmd = new ArrayList<>(List.of(bwrap().toString(),
                "--unshare-user", "--uid", Integer.toString(Runner.UID), "--gid", Integer.toString(Runner.GID),
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "localhost",
                "--die-with-parent", "--new-session"));
        for (String d : OS) {
            Path p = Path.of(d);
            if (Files.isSymbolicLink(p)) {
                try {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), d));
                } catch (java.io.IOException unreadable) {
                    // leave it out: the sandbox has less of the OS, never more of the host
                }
            } else if (Files.isDirectory(p)) {
                cmd.addAll(List.of("--ro-bind", d, d));
            }
        }
        for (String e : ETC) cmd.addAll(List.of("--ro-bind-try", e, e));
        cmd.addAll(List.of("--dev", "/dev", "--proc", "/proc",
                "--ro-bind", taskRoot.toString(), Runner.TASK_ROOT,
                "--dir", Runner.RUNTIME_DIR, "--dir", "/opt",
                "--perms", "1777", "--size", Long.toString(r.ephemeralMb() * 1024L * 1024L), "--tmpfs", "/tmp"));
        for (Path p : shown) cmd.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        if (!qemu.isEmpty() && !under(qemu.get(0), OS)) cmd.addAll(List.of("--ro-bind", qemu.get(0), qemu.get(0)));
        cmd.addAll(List.of("--remount-ro", "/", "--chdir", Runner.TASK_ROOT, "--"));
        cmd.addAll(qemu);
        cmd.add(inner);
        // The variables reach the function through bwrap's own environment: never on a command line.
        return new Runner.Plan(cmd, env, taskRoot, () -> {}, Optional::of);
    }

    static boolean under(String path, List<String> dirs) {
        return dirs.stream().anyMatch(d -> path.startsWith(d + "/") && !Files.isSymbolicLink(Path.of(d)));
    }
}
