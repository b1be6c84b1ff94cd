import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * doctor's checks: every probe runs in parallel with a timeout, the rows come out in a fixed order,
 * and the chosen build (--for) decides which rows are required.
 */
final class Checkup {
    final BuildKind mode;
    final Target target;
    final Path manifestPath;
    final Path cwd;
    final Map<String, String> env;
    final long timeout;
    final Platform platform;
    private ExecutorService pool;
    /** The container client the docker build uses: --engine's default, CONTAINER_ENGINE, else docker. */
    final String engine;
    final boolean podmanEngine;
    final String image;

    /** The compile cache is part of the build: doctor --sccache, or RUSTC_WRAPPER=sccache. */
    boolean sccache;

    Checkup(BuildKind mode, Target target, Path manifestPath, Path cwd, Map<String, String> env, long timeout, Platform platform) {
        this.mode = mode;
        this.target = target;
        this.manifestPath = manifestPath;
        this.cwd = cwd;
        this.env = env;
        this.timeout = timeout;
        this.platform = platform;
        this.engine = env.getOrDefault("CONTAINER_ENGINE", "docker");
        this.podmanEngine = Path.of(engine).getFileName().toString().contains("podman");
        this.image = env.getOrDefault("BUILD_LAMBDA_IMAGE", ContainerOptions.DEFAULT_IMAGE);
    }

    /** Where the build would run: the workspace (if any), its target folder, and the folder to probe from. */
    static final class Site {
        Path manifest, root, targetDir;
        String problem;
    }

    List<Check> run() {
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "doctor-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            return collect();
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Check> collect() {
        RustChecks rust = new RustChecks(this);
        ZigChecks zig = new ZigChecks(this);
        ContainerChecks containers = new ContainerChecks(this);
        CompletableFuture<Check> jbang = async(this::jbang);
        CompletableFuture<Check> qemu = async(this::qemu);
        CompletableFuture<Check[]> docker = async(containers::docker);
        CompletableFuture<Check> podman = async(containers::podman);
        CompletableFuture<Check> image = async(containers::image);
        // rustup overrides and .cargo/config.toml depend on the folder: probe from where the build runs.
        Site site = site();
        Path dir = site.root != null ? site.root : cwd;
        String python = ZigLookup.python(env);
        CompletableFuture<Probe> rustcV = probe(dir, "rustc", "-vV");
        CompletableFuture<Probe> sysroot = probe(dir, "rustc", "--print", "sysroot");
        CompletableFuture<Probe> rustup = probe(dir, "rustup", "show", "active-toolchain");
        CompletableFuture<Probe> cargoV = probe(dir, "cargo", "--version");
        CompletableFuture<Probe> buildStd = probe(dir, "cargo", "-Zunstable-options", "config", "get", "unstable.build-std");
        CompletableFuture<ZigLookup.Result> zigFound = async(() -> ZigLookup.find(dir, env, timeout));
        CompletableFuture<Probe> pyInfo = probe(dir, python, "-c", "import sys, os, sysconfig, importlib.util as u; "
                + "print(int(sys.prefix == sys.base_prefix and os.path.isfile(os.path.join(sysconfig.get_path('stdlib'), "
                + "'EXTERNALLY-MANAGED'))), int(u.find_spec('pip') is not None))");
        CompletableFuture<Probe> czb = probe(dir, "cargo-zigbuild", "--version");
        CompletableFuture<Check> bootstrap = async(() -> BuildChecks.bootstrap(this, site));
        boolean cacheWanted = CompileCache.wanted(sccache, env);
        CompletableFuture<Check> cache = async(() -> CacheChecks.sccache(this, cacheWanted));

        ZigChecks.Pip pip = new ZigChecks.Pip(python, pyInfo.join(), platform);
        List<Check> rows = new ArrayList<>();
        rows.add(java());
        rows.add(jbang.join());
        rows.add(rust.rustc(rustcV.join(), rustup.join(), sysroot.join()));
        rows.add(rust.cargo(cargoV.join()));
        rows.add(rust.std(dir, rustcV.join(), sysroot.join(), rustup.join(), buildStd.join()));
        rows.add(zig.zig(zigFound.join(), pip, python));
        rows.add(zig.cargoZigbuild(czb.join(), cargoV.join(), pip, rustcV.join().ok() ? RustChecks.releaseOf(rustcV.join().out()) : null));
        rows.add(rust.linker(dir));
        Check[] d = docker.join();
        rows.add(d[0]);
        rows.add(d[1]);
        rows.add(podman.join());
        rows.add(image.join());
        rows.add(qemu.join());
        rows.add(bootstrap.join());
        rows.add(cache.join());
        rows.add(auditable());
        applyNeeds(rows);
        return rows;
    }

    private <T> CompletableFuture<T> async(Supplier<T> s) {
        return CompletableFuture.supplyAsync(s, pool);
    }

    private CompletableFuture<Probe> probe(Path dir, String program, String... args) {
        return async(() -> Probe.run(dir, env, timeout, program, args));
    }

    Probe probeNow(Path dir, String program, String... args) {
        return Probe.run(dir, env, timeout, program, args);
    }

    // ------------------------------------------------------------------ rows

    /** cargo-auditable: with it cargo embeds each crate list at link time; without it the build writes the same section itself. */
    private Check auditable() {
        java.util.Optional<Path> found = Exec.which("cargo-auditable", env);
        if (found.isPresent()) return Check.ok("cargo-auditable", "cargo-auditable (SBOM)", null, found.get() + ": cargo embeds each bootstrap's crate list");
        return Check.ok("cargo-auditable", "cargo-auditable (SBOM)", null,
                "not on PATH: the build writes each bootstrap's crate list itself, from cargo metadata");
    }

    private Check java() {
        return Check.ok("java", "Java", System.getProperty("java.version"),
                System.getProperty("java.vendor", "?") + ", " + System.getProperty("java.home", "?"));
    }

    private Check jbang() {
        Path wrapper = null;
        for (Path d = cwd; d != null; d = d.getParent()) {
            Path w = d.resolve("jbang");
            if (Files.isRegularFile(d.resolve("jbang-catalog.json")) && Files.isExecutable(w)) {
                wrapper = w;
                break;
            }
        }
        var onPath = Exec.which("jbang", env);
        if (onPath.isEmpty() && wrapper == null) {
            return Check.ok("jbang", "JBang", null, "running under JBang; no jbang on PATH and no ./jbang here to ask its version");
        }
        String program = onPath.isPresent() ? onPath.get().toString() : wrapper.toString();
        String how = onPath.isPresent() ? "jbang on PATH: " + onPath.get()
                : shown(wrapper) + " (the wrapper: no jbang on PATH, JBang comes from Maven Central)";
        Probe p = probeNow(cwd, program, "version");
        if (!p.ok()) return Check.of(Check.Status.WARN, "jbang", "JBang", null, how + "; " + p.why());
        return Check.ok("jbang", "JBang", p.version(), how);
    }

    private Check qemu() {
        String arch = target.cargoTriple.split("-", 2)[0];
        String label = "qemu-user (" + arch + ")";
        for (String name : List.of("qemu-" + arch + "-static", "qemu-" + arch)) {
            if (Exec.which(name, env).isEmpty()) continue;
            Probe p = probeNow(cwd, name, "--version");
            if (p.ok()) return Check.ok("qemu", label, p.version(), name + " runs " + arch + " bootstraps here: " + name + " target/lambda/NAME/bootstrap");
            return Check.of(Check.Status.FAIL, "qemu", label, null, p.why());
        }
        Check.Fix f = Platform.first(platform.aptInstall("qemu-user-static"),
                platform.mac ? Check.Fix.manual("none on macOS: run the bootstrap in a container (docker run --platform linux/arm64)") : null,
                Check.Fix.manual("install qemu-user (qemu-" + arch + ")"));
        return Check.of(Check.Status.MISSING, "qemu", label, null, "runs " + arch + " bootstraps on this " + platform.arch
                + " host (optional, for trying them locally)").fix(f);
    }

    private Site site() {
        Site s = new Site();
        try {
            s.manifest = Workspace.findManifest(manifestPath, cwd);
        } catch (Cli.UserError e) {
            if (manifestPath != null) throw e;
            s.problem = "no Cargo.toml in " + cwd + " or above (run doctor inside the workspace, or pass --manifest-path)";
            return s;
        }
        Probe meta = probeNow(s.manifest.getParent(), "cargo", "metadata", "--format-version", "1", "--no-deps",
                "--manifest-path", s.manifest.toString());
        if (meta.ok()) {
            try {
                Workspace ws = Workspace.parse(s.manifest, meta.out());
                s.root = ws.root;
                s.targetDir = ws.targetDir;
                return s;
            } catch (RuntimeException e) {
                // unreadable metadata: fall back to cargo's defaults below
            }
        }
        s.root = s.manifest.getParent();
        String t = env.get("CARGO_TARGET_DIR");
        s.targetDir = t != null ? s.root.resolve(t) : s.root.resolve("target");
        return s;
    }

    // ------------------------------------------------------------------ which rows the build needs

    private void applyNeeds(List<Check> rows) {
        Map<String, Check> by = new LinkedHashMap<>();
        rows.forEach(r -> by.put(r.name, r));
        Check.Need req = Check.Need.REQUIRED, opt = Check.Need.OPTIONAL, no = Check.Need.NOT_NEEDED;
        boolean docker = mode == BuildKind.DOCKER, zig = mode == BuildKind.ZIG, nativeSet = mode == BuildKind.NATIVE || mode == BuildKind.SMART;
        // The docker build runs cargo metadata in its container when the host has no cargo.
        by.get("rustc").need = docker ? opt : req;
        by.get("cargo").need = docker ? opt : req;
        by.get("std").need = docker ? no : req;
        by.get("zig").need = zig ? req : no;
        by.get("cargo-zigbuild").need = zig ? req : no;
        by.get("linker").need = nativeSet ? req : no;
        Check.Need engines = docker ? req : mode == BuildKind.SMART ? opt : no;
        by.get("docker").need = engines;
        by.get("docker-engine").need = engines;
        by.get("podman").need = engines == req ? opt : engines;
        if (docker && podmanEngine) {
            by.get("docker").need = opt;
            by.get("docker-engine").need = opt;
            by.get("podman").need = req;
        }
        by.get("image").need = engines;
        String arch = target.cargoTriple.split("-", 2)[0];
        by.get("qemu").need = platform.linux && platform.arch.equals(arch) ? no : opt;
        by.get("bootstrap").need = opt;
        by.get("cargo-auditable").need = docker ? no : opt;
        // The docker build compiles with the image's sccache, not this host's.
        by.get("sccache").need = CompileCache.wanted(sccache, env) && !docker ? req : CompileCache.wanted(sccache, env) ? opt : no;
    }

    // ------------------------------------------------------------------ helpers

    /** A path as the user would type it from here: ./x below the current folder, else absolute. */
    String shown(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(cwd) && !a.equals(cwd) ? "./" + cwd.relativize(a) : a.toString();
    }


}
