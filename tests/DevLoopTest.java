import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `pnpm dev`'s loop, `invoke-lambda --serve --watch` (the dev build: cargo zigbuild for aarch64-unknown-linux-musl,
 * debug, under qemu), over a copy of tests/fixtures/gateway (lambda_http behind HTTP routes, lambda_runtime behind
 * WebSocket routes). A change to one function is served by the next request, which waits for the rebuild;
 * the other function's warm process is the same one; a build that fails leaves the previous build serving.
 * Orders of log lines are asserted, never durations.
 */
class DevLoopTest {
    /** The dev builds' own target folder: kept between runs (the dependencies build once), apart from the release fixtures'. */
    static final Path TARGET = Repo.ROOT.resolve("target/test-work/dev-target");

    @Test
    void aChangeIsServedByTheNextRequestOnlyItsFunctionRestartsAndAFailedBuildKeepsThePreviousOne() throws Exception {
        Path ws = Repo.scratch("dev-loop").resolve("ws");
        PackagingTest.copyTree(Repo.ROOT.resolve("tests/fixtures/gateway"), ws);
        Path http = ws.resolve("gw-http/src/main.rs"), wsMain = ws.resolve("gw-ws/src/main.rs");
        String httpSource = Files.readString(http);
        try (GatewayServer gw = new GatewayServer(List.of("--watch", "--manifest-path", ws.resolve("Cargo.toml").toString(),
                "--app", ws.resolve("app.json").toString()), Map.of("CARGO_TARGET_DIR", TARGET.toString()))) {
            String log = gw.log();
            assertTrue(log.contains("serving the dev build (cargo zigbuild --target aarch64-unknown-linux-musl, profile dev"), log);
            assertTrue(log.contains("dev builds in " + TARGET.resolve("lambda-dev")), "served from its own folder, not target/lambda: " + log);
            assertTrue(Files.isRegularFile(TARGET.resolve("lambda-dev/gw-http/bootstrap")));
            assertFalse(Files.exists(TARGET.resolve("lambda/gw-http/bootstrap")), "the dev loop wrote no release bootstrap");

            assertEquals("http-api-v2", front(gw));
            WsClient client = WsClient.connect(gw.url.replace("http:", "ws:") + "/dev?name=ann");
            client.send("{\"action\":\"echo\",\"n\":1}");
            assertFalse(client.next().contains("edited"));
            long httpPid = pid(gw, "gw-http"), wsPid = pid(gw, "gw-ws");

            // 1. gw-http changes: its next request waits for the rebuild and answers with the change; gw-ws keeps its process.
            int at = gw.log().length();
            Files.writeString(http, httpSource.replace("(\"http-api-v2\", c.stage.clone())", "(\"http-api-v2-edited\", c.stage.clone())"));
            gw.waitFor(Pattern.compile("gw-http changed: requests to gw-http wait for its rebuild"), "the change");
            assertEquals("http-api-v2-edited", front(gw), "the first request after the change is served by the new build");
            String one = gw.log().substring(at);
            assertInOrder(one, "gw-http changed: requests to gw-http wait", "gw-http: a request waits for its rebuild",
                    "Compiling gw-http", "gw-http rebuilt: its next invoke starts the new build", "REPORT RequestId");
            assertFalse(one.contains("Compiling gw-ws"), "only the changed package was built: " + one);
            assertNotEquals(httpPid, pid(gw, "gw-http"), "gw-http runs its new build");
            assertEquals(wsPid, pid(gw, "gw-ws"), "gw-ws's warm process is untouched");
            httpPid = pid(gw, "gw-http");

            // 2. The same for a WebSocket route: gw-ws changes, the next message waits and is answered by its new build.
            at = gw.log().length();
            Files.writeString(wsMain, Files.readString(wsMain).replace("\"routeKey\": route,", "\"routeKey\": route, \"edited\": true,"));
            gw.waitFor(Pattern.compile("gw-ws changed: requests to gw-ws wait for its rebuild"), "the change");
            client.send("{\"action\":\"echo\",\"n\":2}");
            JsonObject saw = Json.parse(client.next()).asObject();
            assertTrue(saw.getBoolean("edited", false), "the message after the change reached the new build: " + saw);
            assertInOrder(gw.log().substring(at), "gw-ws changed", "gw-ws: a request waits for its rebuild", "gw-ws rebuilt");
            assertEquals(httpPid, pid(gw, "gw-http"), "gw-http's warm process is untouched by gw-ws's rebuild");

            // 3. A change that does not build: said in one line, and the previous build keeps serving.
            at = gw.log().length();
            Files.writeString(http, Files.readString(http).replace("async fn handle(", "async fn handle( this does not parse"));
            gw.waitFor(Pattern.compile("gw-http changed: requests to gw-http wait"), "the change");
            assertEquals("http-api-v2-edited", front(gw), "the previous build answers");
            String three = gw.log().substring(at);
            assertInOrder(three, "gw-http changed", "error", "invoke-lambda: the rebuild of gw-http failed (above); still serving the previous build",
                    "REPORT RequestId");
            assertFalse(three.contains("gw-http rebuilt"), three);
            assertEquals(httpPid, pid(gw, "gw-http"), "the failed build restarted nothing");
            client.socket.sendClose(1000, "bye").join();
        }
    }

    /** --release is the release loop's flag; the dev build never takes --lambda-dir (the release bootstraps' folder). */
    @Test
    @Tag("fast")
    void releaseGoesWithWatchAndTheDevBuildKeepsToItsOwnFolder() {
        Proc alone = InvokeFixtures.invoke("--serve", "--release");
        assertEquals(2, alone.exit, alone.toString());
        assertTrue(alone.err.contains("--release goes with --watch"), alone.err);
        Proc host = InvokeFixtures.invoke("--serve", "--watch", "--release", "--host");
        assertEquals(2, host.exit, host.toString());
        assertTrue(host.err.contains("--release and --host: choose one"), host.err);
        Proc dir = InvokeFixtures.invoke("--serve", "--watch", "--lambda-dir", "target");
        assertEquals(2, dir.exit, dir.toString());
        assertTrue(dir.err.contains("--lambda-dir names the release bootstraps: with --watch add --release"), dir.err);
        assertFalse(dir.err.contains("\tat "), "no stack trace: " + dir.err);
    }

    /** GET /items/1 through the HTTP API route: the front the function says it saw. */
    private static String front(GatewayServer gw) {
        Proc p = GatewayServer.curl(gw.url + "/items/1");
        assertTrue(p.out.startsWith("HTTP/1.1 200"), p.toString());
        return Json.parse(p.out.substring(p.out.indexOf("\r\n\r\n") + 4)).asObject().getString("front", "?");
    }

    /**
     * The one warm process of a function: qemu running its dev bootstrap, or, in the sandbox (the default runner),
     * the outermost bwrap around it (bwrap forks once more into its PID namespace, with the same command line).
     */
    private static long pid(GatewayServer gw, String function) {
        List<ProcessHandle> all = gw.process.descendants().filter(h -> InvokeLambdaTest.runs(h, "lambda-dev/" + function)).toList();
        List<ProcessHandle> ps = all.stream().filter(h -> h.parent().map(p -> !all.contains(p)).orElse(true)).toList();
        assertEquals(1, ps.size(), function + ": one warm process: " + all);
        return ps.get(0).pid();
    }

    /** Each text occurs in s, each after the one before it. */
    static void assertInOrder(String s, String... texts) {
        int from = 0;
        for (String t : texts) {
            int i = s.indexOf(t, from);
            assertTrue(i >= 0, "'" + t + "' is not in the log after position " + from + ":\n" + s);
            from = i + t.length();
        }
    }
}
