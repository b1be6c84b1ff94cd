import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs a buildspec (version 0.2) the way CodeBuild runs it on a Linux image: every command of every phase in
 * one instance of the shell `env.shell` names (so `export` and `cd` carry over), phases in the order install,
 * pre_build, build, post_build; a failing command ends its phase and the build, except that post_build still
 * runs after a failed build, with CODEBUILD_BUILD_SUCCEEDING=0. `env.variables` and the CODEBUILD_* variables
 * a build sees are set; the source is a copy of the project's files (tracked and not ignored) in a fresh
 * folder, and HOME is a fresh folder too. CodeBuild runs as root with HOME=/root: paths in `cache.paths` that
 * start with /root/ are looked up under this run's HOME.
 *
 * What it does not do, because it belongs to the CodeBuild service rather than to the commands:
 * `runtime-versions` (CodeBuild switches among runtimes its image already has; here the machine's own java
 * and python3 are used), uploading artifacts and saving the cache (here: the paths are resolved and listed).
 */
final class CodeBuildRun {
    static final List<String> PHASES = List.of("install", "pre_build", "build", "post_build");

    final Map<String, Object> spec;
    final Path src;
    final Path home;
    final Proc proc;

    private CodeBuildRun(Map<String, Object> spec, Path src, Path home, Proc proc) {
        this.spec = spec;
        this.src = src;
        this.home = home;
        this.proc = proc;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Path buildspec) {
        try {
            Object o = new Yaml().load(Files.readString(buildspec));
            if (!(o instanceof Map)) throw new AssertionError(buildspec + " is not a YAML mapping");
            return (Map<String, Object>) o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (o == null) return Map.of();
        if (!(o instanceof Map)) throw new AssertionError(what + " must be a mapping, is " + o);
        return (Map<String, Object>) o;
    }

    static List<String> strings(Object o, String what) {
        if (o == null) return List.of();
        if (!(o instanceof List)) throw new AssertionError(what + " must be a list, is " + o);
        List<String> r = new ArrayList<>();
        for (Object e : (List<?>) o) {
            if (!(e instanceof String)) throw new AssertionError(what + " must hold strings, holds " + e);
            r.add((String) e);
        }
        return r;
    }

    /** Copies the project (as a checkout has it) into a fresh folder and runs the buildspec there. */
    static CodeBuildRun run(Path buildspec, Path work, Map<String, String> extraEnv) throws IOException {
        Map<String, Object> spec = parse(buildspec);
        if (!"0.2".equals(String.valueOf(spec.get("version")))) throw new AssertionError("version must be 0.2, is " + spec.get("version"));
        // What this runner does not emulate is refused, so that no buildspec is "tested" with other semantics than CodeBuild's.
        onlyKeys(spec, "the buildspec", "version", "env", "phases", "artifacts", "cache");
        Map<String, Object> env = map(spec.get("env"), "env");
        onlyKeys(env, "env", "shell", "variables");
        String shell = String.valueOf(env.getOrDefault("shell", "sh"));
        Path src = Files.createDirectories(work.resolve("src"));
        Path home = Files.createDirectories(work.resolve("home"));
        copyCheckout(Repo.ROOT, src);

        // One script: each command in its own file, sourced by the same shell in order.
        Path cmds = Files.createDirectories(work.resolve("commands"));
        StringBuilder driver = new StringBuilder("""
                cd "$CODEBUILD_SRC_DIR" || exit 1
                __cb_status=0 __cb_failed_phase=
                __cb_step() {   # __cb_step PHASE FILE: runs FILE in this shell unless an earlier command failed
                  [ "$__cb_status" = 0 ] || return 0
                  echo "[Container] Running command $(cat "$2")" >&2
                  . "$2"
                  __cb_rc=$?
                  if [ "$__cb_rc" -ne 0 ]; then
                    echo "[Container] Command did not exit successfully (exit status $__cb_rc)" >&2
                    echo "[Container] Phase complete: $1 State: FAILED" >&2
                    __cb_status=$__cb_rc __cb_failed_phase=$1
                  fi
                  return 0
                }
                """);
        Map<String, Object> phases = map(spec.get("phases"), "phases");
        for (String k : phases.keySet()) {
            if (!PHASES.contains(k)) throw new AssertionError("unknown phase " + k + " (CodeBuild knows " + PHASES + ")");
        }
        int n = 0;
        for (String phase : PHASES) {
            Map<String, Object> p = map(phases.get(phase), phase);
            if (phase.equals("install")) onlyKeys(p, phase, "runtime-versions", "commands");
            else onlyKeys(p, phase, "commands");
            List<String> commands = strings(p.get("commands"), phase + ".commands");
            if (phase.equals("post_build")) {
                // post_build runs after a successful or a failed build phase (not after a failed install or pre_build).
                driver.append("export CODEBUILD_BUILD_SUCCEEDING=$([ \"$__cb_status\" = 0 ] && echo 1 || echo 0)\n");
                driver.append("if [ -z \"$__cb_failed_phase\" ] || [ \"$__cb_failed_phase\" = build ]; then\n");
                driver.append("__cb_saved=$__cb_status; __cb_status=0\n");
            }
            driver.append("[ \"$__cb_status\" = 0 ] && echo \"[Container] Entering phase ").append(phase.toUpperCase()).append("\" >&2\n");
            for (String c : commands) {
                Path f = cmds.resolve((n++) + ".sh");
                Files.writeString(f, c + "\n");
                driver.append("__cb_step ").append(phase).append(" '").append(f).append("'\n");
            }
            if (phase.equals("post_build")) driver.append("[ \"$__cb_status\" = 0 ] && __cb_status=$__cb_saved\nfi\n");
        }
        driver.append("exit $__cb_status\n");
        Path script = work.resolve("codebuild-driver.sh");
        Files.writeString(script, driver.toString());

        Map<String, String> e = new LinkedHashMap<>();
        e.put("HOME", home.toString());
        // The image's tools, not this machine's per-user ones: rustup's cargo home is what the install phase makes.
        e.put("PATH", Stream.of(System.getenv("PATH").split(":"))
                .filter(p -> !p.contains("/.cargo/bin")).reduce((a, b) -> a + ":" + b).orElse("/usr/bin:/bin"));
        for (String unset : List.of("CARGO_HOME", "RUSTUP_HOME", "CARGO_TARGET_DIR", "RUSTC_WRAPPER", "JBANG_DIR", "JBANG_CACHE_DIR",
                "JBANG_WRAPPER_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "RUSTUP_TOOLCHAIN", "CARGO_BUILD_TARGET",
                "SCCACHE_REDIS_ENDPOINT", "SCCACHE_BUCKET", "SCCACHE_DIR", "VIRTUAL_ENV", "NO_COLOR", "JAVA_TOOL_OPTIONS")) {
            e.put(unset, null);
        }
        // Java takes its home folder from the password file, not HOME; on CodeBuild both are /root. Here Maven's and
        // JBang's caches are pointed at this run's HOME so that they start empty too.
        e.put("MAVEN_OPTS", "-Duser.home=" + home);
        e.put("JBANG_DIR", home.resolve(".jbang").toString());
        e.put("JBANG_REPO", home.resolve(".m2/repository").toString());
        e.put("CODEBUILD_SRC_DIR", src.toString());
        e.put("CODEBUILD_BUILD_ID", "local-build:" + UUID.randomUUID());
        e.put("CODEBUILD_BUILD_ARN", "arn:aws:codebuild:us-east-1:000000000000:build/" + e.get("CODEBUILD_BUILD_ID"));
        e.put("CODEBUILD_BUILD_NUMBER", "1");
        e.put("CODEBUILD_BUILD_SUCCEEDING", "1");
        e.put("CODEBUILD_INITIATOR", "local-test");
        e.put("CODEBUILD_RESOLVED_SOURCE_VERSION", Proc.run(Repo.ROOT, "git", "rev-parse", "HEAD").out.trim());
        e.put("CODEBUILD_START_TIME", String.valueOf(System.currentTimeMillis()));
        e.put("AWS_REGION", "us-east-1");
        e.put("AWS_DEFAULT_REGION", "us-east-1");
        for (Map.Entry<String, Object> v : map(env.get("variables"), "env.variables").entrySet()) {
            e.put(v.getKey(), String.valueOf(v.getValue()));
        }
        e.putAll(extraEnv);
        Proc p = Proc.run(src, e, List.of(shell, script.toString()), 3600);
        return new CodeBuildRun(spec, src, home, p);
    }

    private static void onlyKeys(Map<String, Object> m, String where, String... known) {
        for (String k : m.keySet()) {
            if (!List.of(known).contains(k)) throw new AssertionError(where + ": " + k + " is not emulated by this runner (it knows " + List.of(known) + ")");
        }
    }

    /** The files `artifacts` names, relative to its base-directory. */
    List<String> artifacts() throws IOException {
        Map<String, Object> a = map(spec.get("artifacts"), "artifacts");
        Path base = src.resolve(String.valueOf(a.getOrDefault("base-directory", ".")));
        List<PathMatcher> globs = strings(a.get("files"), "artifacts.files").stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g.replace("**/*", "**"))).toList();
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(Files::isRegularFile).map(base::relativize).filter(r -> globs.stream().anyMatch(g -> g.matches(r)))
                    .map(Path::toString).sorted().toList();
        }
    }

    /** Each `cache.paths` entry, with the folder it names here (its part before the first glob character). */
    Map<String, Path> cachePaths() {
        Map<String, Path> r = new LinkedHashMap<>();
        for (String p : strings(map(spec.get("cache"), "cache").get("paths"), "cache.paths")) {
            String dir = p.replaceAll("/?[*?\\[{].*$", "");
            Path here = dir.startsWith("/root/") ? home.resolve(dir.substring(6)) : src.resolve(dir);
            r.put(p, here);
        }
        return r;
    }

    /** The files git would check out (tracked, and new files not ignored), copied with their modes. */
    static void copyCheckout(Path from, Path to) throws IOException {
        Proc ls = Proc.run(from, null, List.of("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"));
        if (ls.exit != 0) throw new AssertionError("git ls-files failed: " + ls.err);
        for (String rel : ls.out.split("\0")) {
            if (rel.isEmpty()) continue;
            Path s = from.resolve(rel);
            if (!Files.exists(s, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue; // deleted, not yet committed
            Path d = to.resolve(rel);
            Files.createDirectories(d.getParent());
            Files.copy(s, d, java.nio.file.LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
