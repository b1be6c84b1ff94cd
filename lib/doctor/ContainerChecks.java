import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The container rows: the docker client, its engine (two rows: a client without a running engine is the
 * confusing case), podman, and the image the docker build runs, asked of the engine that build uses.
 */
final class ContainerChecks {
    private final Checkup c;
    private final Map<String, String> env;
    private final Platform platform;
    private final Path cwd;
    private final String engine, image;
    private final boolean podmanEngine;

    ContainerChecks(Checkup c) {
        this.c = c;
        this.env = c.env;
        this.platform = c.platform;
        this.cwd = c.cwd;
        this.engine = c.engine;
        this.image = c.image;
        this.podmanEngine = c.podmanEngine;
    }

    private Probe probeNow(Path dir, String program, String... args) {
        return c.probeNow(dir, program, args);
    }

    Check[] docker() {
        String docker = podmanEngine ? "docker" : engine;
        Probe v = probeNow(cwd, docker, "--version");
        Check.Fix client = Platform.first(platform.aptInstall("docker.io"), platform.mac ? Check.Fix.manual("brew install --cask docker") : null,
                Check.Fix.manual("install Docker: https://docs.docker.com/engine/install/"));
        if (!v.found()) {
            Check row = Check.of(Check.Status.MISSING, "docker", "docker client", null, "docker not found on PATH").fix(client);
            Check engineRow = Check.of(Check.Status.MISSING, "docker-engine", "docker engine", null, "no docker client to ask").fix(client);
            return new Check[]{row, engineRow};
        }
        Check row = v.ok() ? Check.ok("docker", "docker client", v.version(), v.tool()
                + (v.firstLine().toLowerCase(Locale.ROOT).contains("podman") ? " (podman's docker command)" : ""))
                : Check.of(Check.Status.FAIL, "docker", "docker client", null, v.why()).fix(client);
        Probe info = probeNow(cwd, docker, "info", "--format", "{{.ServerVersion}}");
        String start = platform.mac ? "start Docker Desktop (open -a Docker)"
                : (platform.root ? "" : "sudo ") + "systemctl start docker (or set DOCKER_HOST to a running engine)";
        String orPodman = Exec.which("podman", env).isPresent() ? "; or use podman: export CONTAINER_ENGINE=podman (or --engine podman)"
                : platform.apt ? "; or use podman: " + (platform.root ? "" : "sudo ") + "apt-get install podman, then export CONTAINER_ENGINE=podman" : "";
        if (info.ok() && !info.firstLine().isBlank()) {
            return new Check[]{row, Check.ok("docker-engine", "docker engine", info.firstLine(), "answers `docker info`")};
        }
        String why = "the " + docker + " client is installed, but no engine answers: "
                + (info.answered() ? Workspace.lastErrorLine(info.err().isBlank() ? info.out() : info.err()) : info.problem());
        return new Check[]{row, Check.of(Check.Status.MISSING, "docker-engine", "docker engine", null, why).fix(start + orPodman)};
    }

    Check podman() {
        Probe v = probeNow(cwd, "podman", "--version");
        Check.Fix install = Platform.first(platform.aptInstall("podman", "runc"), platform.brew("podman"),
                Check.Fix.manual("install podman: https://podman.io/docs/installation"));
        if (!v.found()) {
            return Check.of(Check.Status.MISSING, "podman", "podman", null, "podman not found on PATH (an engine the docker build can use instead)")
                    .fix(install);
        }
        Probe info = probeNow(cwd, "podman", "info", "--format", "{{.Version.Version}}");
        if (!info.ok()) {
            return Check.of(Check.Status.MISSING, "podman", "podman", v.version(), "podman is installed, but " + info.why())
                    .fix("see `podman info`" + (platform.mac ? " (podman machine init && podman machine start)" : ""));
        }
        return Check.ok("podman", "podman", v.version(), v.tool() + " (answers `podman info`)");
    }

    Check image() {
        String name = Path.of(engine).getFileName().toString(), label = "container image";
        int colon = image.lastIndexOf(':');
        String tag = colon > image.lastIndexOf('/') && !image.contains("@") ? image.substring(colon + 1) : null;
        Probe p = probeNow(cwd, engine, "image", "inspect", "--format", "{{.Id}}", image);
        if (p.ok()) return Check.ok("image", label, tag, image + " (in " + name + "; BUILD_LAMBDA_IMAGE or --image choose another)");
        if (!p.answered()) return Check.of(Check.Status.MISSING, "image", label, null, image + ": " + p.why());
        String said = Workspace.lastErrorLine(p.err().isBlank() ? p.out() : p.err());
        // inspect fails both for an absent image and for an engine that does not answer: only the first is fixed by a pull.
        if (said.toLowerCase(Locale.ROOT).matches(".*(no such image|image not known|no such object).*")) {
            return Check.of(Check.Status.MISSING, "image", label, null, image + " is not among " + name
                    + "'s images (BUILD_LAMBDA_IMAGE or --image choose another)")
                    .fix(new Check.Fix(name + " pull " + image, List.of(p.tool().toString(), "pull", image)));
        }
        return Check.of(Check.Status.MISSING, "image", label, null, image + ": cannot ask " + name + ": " + said);
    }
}
