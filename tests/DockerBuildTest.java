import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * build-lambda-docker for real: podman runs the containers (a local image, no registry reachable), the
 * real docker client talks to podman's Docker API, and the real docker client with no engine at all
 * gives the "engine not reachable" error.
 */
class DockerBuildTest {

    @Test
    void podmanBuildsEveryFunctionInTheImageAsStaticStrippedArm64() throws IOException {
        String json = Asserts.assertJsonReport(ContainerBuild.first(), ContainerBuild.FUNCTIONS);
        assertTrue(json.contains("\"builder\":\"cargo zigbuild in a podman container (" + ContainerImage.tag() + ")\""), json);
        for (String f : ContainerBuild.FUNCTIONS) {
            Asserts.assertStaticStrippedArm64(ContainerBuild.bootstrap(f));
            // The image has no cargo-auditable: the build wrote the crate list itself, and its CycloneDX file.
            assertNotNull(ElfReader.read(ContainerBuild.bootstrap(f)).depList, f + " carries no crate list");
            assertTrue(Files.isRegularFile(ContainerBuild.bootstrap(f).resolveSibling("bootstrap.cdx.json")), f + " has no SBOM");
        }
        Proc q = Proc.run(Repo.ROOT, null, List.of("qemu-aarch64-static", ContainerBuild.bootstrap("hello-fn").toString()), 60);
        assertEquals("hello 42", q.out.trim(), q.toString());
    }

    @Test
    void theContainerRanAsTheCallingUserAtTheHostsPathsAndTargetIsTheirs() throws IOException {
        Proc p = ContainerBuild.first();
        assertEquals(0, p.exit, p.toString());
        String uid = Proc.run(Repo.ROOT, "id", "-u").out.trim(), gid = Proc.run(Repo.ROOT, "id", "-g").out.trim();
        Path ws = ContainerBuild.workspace();
        String command = p.err.lines().filter(l -> l.contains(": building ")).findFirst().orElse("");
        assertTrue(command.matches(".* run --rm --name build-lambda-\\d+-[0-9a-f]+ --user " + uid + ":" + gid + " .*"), command);
        assertFalse(command.contains("--init"), "no init binary is needed: " + command);
        assertTrue(command.contains(" -v " + ws + ":" + ws + " ") && command.contains(" -w " + ws + " "), command);
        assertTrue(command.contains(" -v " + ContainerBuild.TARGET + ":" + ContainerBuild.TARGET + " "), "target outside the workspace: " + command);
        assertTrue(command.contains(" -e CARGO_TARGET_DIR=" + ContainerBuild.TARGET + " "), command);
        assertTrue(command.contains(" -e CARGO_PROFILE_RELEASE_STRIP "), "the strip default passed by name: " + command);
        // cargo printed paths as they are on the host.
        assertTrue(p.err.contains("Compiling hello-fn v0.1.0 (" + ws.resolve("hello") + ")") || !p.err.contains("Compiling hello-fn"), p.err);
        List<String> foreign = owners(ContainerBuild.TARGET).entrySet().stream().filter(e -> !e.getValue().equals(uid))
                .map(e -> e.getKey() + " (uid " + e.getValue() + ")").limit(5).collect(Collectors.toList());
        assertEquals(List.of(), foreign, "files in the target folder that are not the caller's");
    }

    @Test
    void theFirstBuildFilledTheHostsCargoCacheAndTheSecondDownloadsNothing() throws IOException {
        Proc first = ContainerBuild.first();
        assertEquals(0, first.exit, first.toString());
        assertTrue(first.err.contains("Downloaded itoa v1."), "the first build, with an empty CARGO_HOME, downloads: " + first.err);
        Path cache = ContainerBuild.cargoHome().resolve("registry/cache");
        List<Path> crates = files(cache);
        assertTrue(crates.stream().anyMatch(c -> c.getFileName().toString().matches("itoa-1\\..*\\.crate")),
                "the container's downloads must land in the host's CARGO_HOME: " + crates);

        Proc second = ContainerBuild.second();
        assertEquals(0, second.exit, second.toString());
        assertFalse(second.err.contains("Download") || second.err.contains("Updating crates.io index"),
                "a new container with the same host caches must download nothing:\n" + second.err);
        assertEquals(crates, files(cache), "the second build changed the download cache");
        assertTrue(second.out.lines().anyMatch(l -> l.matches("hello-fn\\s+.*aarch64\\s+static\\s+yes\\s+.*")), second.out);
    }

    @Test
    void theRealDockerClientBuildsThroughAnEngineForANonRootCallerWithoutCargoOnTheHost() throws IOException {
        assertEquals(0, ContainerBuild.first().exit, "std is built once, by the shared build");
        String dockerHost = ContainerService.dockerHost();
        String user = "4242";
        Path base = Files.createTempDirectory("bl-nonroot-");
        Path ws = base.resolve("ws"), home = base.resolve("home"), bin = base.resolve("bin"), cp = base.resolve("cp");
        for (Path d : List.of(ws, home, bin, cp)) Files.createDirectories(d);
        ContainerBuild.writeWorkspace(ws);
        // The shared target, std already built in it, becomes this workspace's own target/: no second std build.
        assertEquals(0, Proc.run(Repo.ROOT, "cp", "-a", ContainerBuild.TARGET.toString(), ws.resolve("target").toString()).exit);
        Install.deleteTree(ws.resolve("target/lambda"));
        // And the caches and lock file the shared build left: this build needs no network.
        Files.createDirectories(home.resolve(".cargo"));
        assertEquals(0, Proc.run(Repo.ROOT, "cp", "-a", ContainerBuild.cargoHome().resolve("registry").toString(),
                home.resolve(".cargo/registry").toString()).exit);
        Files.copy(ContainerBuild.workspace().resolve("Cargo.lock"), ws.resolve("Cargo.lock"));
        Files.createSymbolicLink(bin.resolve("docker"), Exec.which("docker", System.getenv()).orElseThrow());
        Files.createSymbolicLink(bin.resolve("java"), Path.of(ProcessHandle.current().info().command().orElseThrow()));
        // The script's own compiled classes and dependencies, readable by that user (JBang's caches are root's).
        Proc classpath = Proc.jbang(null, "info", "classpath", "build-lambda-docker@.");
        assertEquals(0, classpath.exit, classpath.toString());
        for (String jar : classpath.out.trim().split(":")) {
            Files.copy(Path.of(jar), cp.resolve(Path.of(jar).getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(0, Proc.run(Repo.ROOT, "chown", "-R", user + ":" + user, base.toString()).exit);
        assertEquals(0, Proc.run(Repo.ROOT, "chmod", "755", base.toString()).exit);

        Map<String, String> env = new HashMap<>();
        System.getenv().keySet().forEach(k -> env.put(k, null));
        env.putAll(Map.of("PATH", bin.toString(), "HOME", home.toString(), "DOCKER_HOST", dockerHost, "NO_COLOR", "1"));
        Proc p = Proc.run(ws, env, List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--",
                "java", "-cp", cp + "/*", "BuildLambdaDocker", "--image", ContainerImage.tag(), "--verbose"));
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.err.matches("(?s).*with cargo zigbuild in a docker container \\(" + java.util.regex.Pattern.quote(ContainerImage.tag())
                + "\\): docker run --rm --name build-lambda-\\d+-[0-9a-f]+ --user " + user + ":" + user + " .*"), p.err);
        assertTrue(p.out.lines().anyMatch(l -> l.matches("greet-fn\\s+.*aarch64\\s+static\\s+yes\\s+.*")), p.out);
        // No cargo on that PATH: the functions were found by cargo metadata in the container.
        assertTrue(Exec.which("cargo", Map.of("PATH", bin.toString())).isEmpty());
        // The crate list came from cargo metadata in the container too: a scanner's reader finds the function in it.
        Proc audit = Proc.run(Repo.ROOT, Map.of(), List.of("rust-audit-info", ws.resolve("target/lambda/greet-fn/bootstrap").toString()));
        assertEquals(0, audit.exit, audit.toString());
        assertTrue(audit.out.contains("\"name\":\"greet-fn\"") && audit.out.contains("\"root\":true"), audit.out);
        Map<Path, String> owners = owners(ws.resolve("target"));
        assertTrue(owners.containsKey(ws.resolve("target/lambda/greet-fn/bootstrap")), owners.keySet().toString());
        List<Path> notTheirs = owners.entrySet().stream().filter(e -> !e.getValue().equals(user)).map(Map.Entry::getKey).limit(5)
                .collect(Collectors.toList());
        assertEquals(List.of(), notTheirs, "files in target/ not owned by the caller (uid " + user + ")");
        assertEquals(user, owners(home.resolve(".cargo/registry")).get(home.resolve(".cargo/registry")), "the cache folders are the caller's");
    }

    @Test
    void podmanWithoutAnInitBinaryStillBuilds() throws IOException {
        assertEquals(0, ContainerBuild.first().exit, "std is built once, by the shared build");
        Path conf = Repo.scratch("no-init").resolve("containers.conf");
        Files.writeString(conf, ContainerImage.CONF_TEXT.replace("[engine]\n", "[engine]\ninit_path = \"/nonexistent/catatonit\"\n"));
        Map<String, String> env = new HashMap<>(ContainerBuild.env());
        env.put("CONTAINERS_CONF", conf.toString());
        // The engine really cannot give --init here: the error podman gives on a machine without catatonit.
        Proc init = Proc.run(Repo.ROOT, env, List.of("podman", "run", "--rm", "--init", ContainerImage.tag(), "true"), 120);
        assertEquals(125, init.exit, init.toString());
        assertTrue(init.err.contains("container-init binary not found on the host"), init.err);

        Proc p = ContainerBuild.run(env, ContainerBuild.workspace(), "--verbose");
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.out.lines().anyMatch(l -> l.matches("hello-fn\\s+.*aarch64\\s+static\\s+yes\\s+.*")), p.out);
    }

    @Test
    void ctrlCStopsTheContainerAndLeavesNothingRunning() throws Exception {
        assertEquals(0, ContainerBuild.first().exit, "std is built once, by the shared build");
        Path ws = ContainerBuild.oneMemberWorkspace("slow", "slow-fn", "fn main() {}\n");
        // A build script that does not finish by itself: the build is surely running when Ctrl-C comes.
        Files.writeString(ws.resolve("slow/build.rs"), "fn main() { std::thread::sleep(std::time::Duration::from_secs(3600)); }\n");
        Path log = ws.resolve("build.log");
        // Ctrl-C in a terminal reaches a process whose SIGINT is at its default. A suite started in the background of a
        // non-interactive shell inherits SIGINT ignored, and a JVM keeps an ignored SIGINT ignored: restore it, then exec
        // (the pid stays the build's).
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                + "os.execvp(sys.argv[1], sys.argv[1:])", Repo.ROOT.resolve("jbang").toString(), "build-lambda-docker@.", "--engine", "podman",
                "--image", ContainerImage.tag(), "--manifest-path", ws.resolve("Cargo.toml").toString())
                .directory(Repo.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(ContainerBuild.env());
        // A target folder of its own: the shared one's lock would make the build wait before it starts.
        pb.environment().put("CARGO_TARGET_DIR", ws.resolve("target").toString());
        Process build = pb.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            // ./jbang execs the script's JVM: its pid is the build's, and names the container.
            String prefix = "build-lambda-" + build.pid() + "-";
            String running = "";
            for (int i = 0; i < 600 && (running.isEmpty() || !Files.readString(log).contains("Compiling slow-fn")); i++) {
                assertTrue(build.isAlive(), "the build ended before it was interrupted:\n" + Files.readString(log));
                running = ContainerImage.podman(List.of("ps", "--filter", "name=" + prefix, "--format", "{{.Names}}"), 60).out.trim();
                Thread.sleep(250);
            }
            assertTrue(running.startsWith(prefix), "no running container named " + prefix + "*:\n" + Files.readString(log));
            build.descendants().forEach(started::add);
            assertEquals(0, Proc.run(Repo.ROOT, "kill", "-INT", Long.toString(build.pid())).exit);
            assertTrue(build.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "still running 120 s after Ctrl-C");
            assertEquals(130, build.exitValue(), Files.readString(log));
            String left = running;
            for (int i = 0; i < 120 && !left.isEmpty(); i++) {
                Thread.sleep(500);
                left = ContainerImage.podman(List.of("ps", "-a", "--filter", "name=" + prefix, "--format", "{{.Names}} {{.Status}}"), 60).out.trim();
            }
            assertEquals("", left, "the container outlived the build");
            assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).map(h -> h.info().commandLine().orElse("?"))
                    .collect(Collectors.toList()), "processes the build started are still running");
        } finally {
            build.descendants().forEach(ProcessHandle::destroyForcibly);
            build.destroyForcibly();
        }
    }

    @Test
    void aCompileErrorInsideTheContainerExitsWithCargosStatus() throws IOException {
        assertEquals(0, ContainerBuild.first().exit, "std is built once, by the shared build");
        Path ws = ContainerBuild.oneMemberWorkspace("broken", "broken-fn", "fn main() { let x: u32 = \"nope\"; println!(\"{x}\"); }\n");
        Proc p = ContainerBuild.run(ContainerBuild.env(), ws);
        assertEquals(101, p.exit, p.toString());
        assertTrue(p.err.contains("mismatched types") && p.err.contains("Compiling broken-fn v0.1.0 (" + ws.resolve("broken") + ")"),
                "cargo's output, with the host's paths: " + p.err);
        assertTrue(p.err.strip().endsWith("the build step failed (cargo zigbuild in a podman container (" + ContainerImage.tag()
                + ") exited with 101); the bootstraps in " + ContainerBuild.TARGET.resolve("lambda") + " were left as they were"), p.err);
    }

    @Test
    void theDockerClientWithNoEngineIsEngineNotReachable() {
        Map<String, String> env = new HashMap<>(ContainerBuild.env());
        env.put("DOCKER_HOST", null);
        env.put("DOCKER_CONTEXT", null);
        env.put("CONTAINER_ENGINE", null);
        Proc pre = Proc.run(Repo.ROOT, env, List.of("docker", "info"), 60);
        assertNotEquals(0, pre.exit, "a docker engine answers here; the test would prove nothing: " + pre);
        Proc p = Proc.jbang(env, "build-lambda-docker@.", "--manifest-path", ContainerBuild.workspace().resolve("Cargo.toml").toString());
        assertEquals(4, p.exit, p.toString());
        assertTrue(p.err.startsWith("build-lambda-docker: docker engine not reachable: Cannot connect to the Docker daemon"), p.err);
        assertTrue(p.err.contains("the docker client is installed but no engine answers: start Docker (`systemctl start docker`, or Docker Desktop), check DOCKER_HOST"), p.err);
        assertTrue(p.err.strip().endsWith("`jbang doctor@. --for docker` checks it all"), p.err);
        Asserts.assertNoTrace(p);
    }

    @Test
    void containerEngineSelectsPodmanAndAMissingImageIsNotAvailable() {
        Map<String, String> env = new HashMap<>(ContainerBuild.env());
        env.put("CONTAINER_ENGINE", "podman");
        Proc p = Proc.jbang(env, "build-lambda-docker@.", "--manifest-path", ContainerBuild.workspace().resolve("Cargo.toml").toString(),
                "--image", "localhost/build-lambda-missing:none");
        assertEquals(5, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-docker: image localhost/build-lambda-missing:none is not available: "), last);
        assertTrue(last.contains("no registry reachable? load or build it locally, e.g. `podman load -i image.tar`, or pass --image"), last);
    }

    @Test
    void noClientOnPathIsAMissingPrerequisite() throws IOException {
        Map<String, String> env = new HashMap<>(ContainerBuild.env());
        env.put("PATH", Fixtures.pathWithout("docker").toString());
        assertTrue(Exec.which("docker", env).isEmpty());
        env.put("CONTAINER_ENGINE", null);
        Proc p = Proc.jbang(env, "build-lambda-docker@.", "--manifest-path", ContainerBuild.workspace().resolve("Cargo.toml").toString());
        assertEquals(3, p.exit, p.toString());
        assertTrue(p.err.startsWith("build-lambda-docker: docker not found on PATH: install Docker"), p.err);
        Asserts.assertNoTrace(p);
    }

    @Test
    void theCommandPassesOnlyCargosVariablesAndTheCachesOfCargoHome() {
        Map<String, String> env = new HashMap<>(ContainerImage.env());
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getenv("HOME"));
        env.put("CARGO_HOME", ContainerBuild.cargoHome().toString());
        env.put("CARGO_TARGET_DIR", ContainerBuild.TARGET.toString());
        env.put("RUSTFLAGS", "-C opt-level=s");
        env.put("CARGO_PROFILE_RELEASE_STRIP", "symbols");
        env.put("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER", "/host/only/linker");
        env.put("API_TOKEN", "not-for-the-container");
        ContainerOptions o = new ContainerOptions();
        o.engine = "podman";
        o.image = ContainerImage.tag();
        o.env = List.of("DATABASE_URL=sqlite::memory:");
        DockerBuilder b = new DockerBuilder(o);
        DockerBuilder.Engine engine = b.prepare(env);
        Path ws = ContainerBuild.workspace();
        Workspace w = Workspace.load(ws.resolve("Cargo.toml"), env, c -> c);
        Builder.Plan plan = new Builder.Plan(w, w.functions, Target.of(picocli.CommandLine.Model.CommandSpec.create(), "arm64", null), "release",
                List.of("--locked"), env, ContainerBuild.TARGET.resolve("lambda"));
        Path ch = ContainerBuild.cargoHome();
        List<String> expected = new ArrayList<>(List.of("podman", "run", "--rm", "--name", plan.id(), "--user", DockerBuilder.callingUser(),
                "-e", "HOME=/tmp", "-e", "CARGO_TARGET_DIR=" + ContainerBuild.TARGET,
                "-e", "CARGO_PROFILE_RELEASE_STRIP", "-e", "RUSTFLAGS", "-e", "DATABASE_URL=sqlite::memory:",
                "-v", ws + ":" + ws, "-v", ContainerBuild.TARGET + ":" + ContainerBuild.TARGET,
                "-v", ch.resolve("registry") + ":/usr/local/cargo/registry", "-v", ch.resolve("git") + ":/usr/local/cargo/git",
                "-w", ws.toString(), ContainerImage.tag(), "cargo", "zigbuild"));
        expected.addAll(plan.cargoSelection());
        assertEquals(expected, b.command(plan, engine));
        assertTrue(plan.cargoSelection().containsAll(List.of("--release", "--target", "aarch64-unknown-linux-musl", "--locked")));
    }

    @Test
    void withoutCargoOnTheHostCargoMetadataRunsInTheContainerAndItsPathsAreTheHosts() {
        Path ws = ContainerBuild.workspace();
        Map<String, String> env = new HashMap<>(ContainerImage.env());
        env.put("PATH", "/usr/local/sbin:/usr/sbin:/sbin");
        env.put("HOME", System.getenv("HOME"));
        env.put("CARGO_HOME", ContainerBuild.cargoHome().toString());
        assertTrue(Exec.which("cargo", env).isEmpty() && Exec.which("podman", Map.of("PATH", "/usr/bin")).isPresent());
        ContainerOptions o = new ContainerOptions();
        o.engine = Exec.which("podman", Map.of("PATH", "/usr/bin")).orElseThrow().toString();
        o.image = ContainerImage.tag();
        DockerBuilder b = new DockerBuilder(o);
        Path member = ws.resolve("hello/Cargo.toml");
        List<String> cmd = b.metadataCommand(member, List.of("cargo", "metadata", "--no-deps"), env, () -> b.prepare(env));
        assertTrue(String.join(" ", cmd).contains(" -v " + ws + ":" + ws + " "), "the whole workspace, found from a member: " + cmd);
        Workspace w = Workspace.load(member, env, c -> b.metadataCommand(member, c, env, () -> b.prepare(env)));
        assertEquals(ws, w.root);
        assertEquals(ws.resolve("target"), w.targetDir);
        assertEquals("hello-fn", w.manifestPackage);
        assertEquals(ContainerBuild.FUNCTIONS, w.functions.stream().map(Workspace.Function::name).sorted().collect(Collectors.toList()));
    }

    static Map<Path, String> owners(Path dir) throws IOException {
        Map<Path, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) out.put(p, Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS).toString());
        }
        return out;
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

}
