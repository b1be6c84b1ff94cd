import org.junit.jupiter.api.parallel.ResourceLock;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * invoke-lambda for real: the ARM64 bootstraps that build-lambda made, run under qemu-user against the
 * embedded Runtime API, each outcome with its exit code, and nothing left running afterwards.
 */
@ResourceLock("misbehaving-functions") // these classes look for processes of the same functions by name
class InvokeLambdaTest {
    static final Pattern REPORT = Pattern.compile("(?m)^REPORT RequestId: [0-9a-f-]{36}\\tDuration: [0-9.]+ ms\\tBilled Duration: \\d+ ms"
            + "\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [0-9.]+ ms$");

    @Test
    void everyExampleFunctionAnswersItsSampleEventUnderQemu() {
        assertEquals(0, ExampleBuild.get().exit, ExampleBuild.get().toString());
        for (String f : ExampleBuild.FUNCTIONS) {
            Proc p = InvokeFixtures.invoke(f, "--local-aws", "--app", "examples/app.json", "--lambda-dir", ExampleBuild.LAMBDA.toString(),
                    "--event", "events/" + f + ".json");
            assertEquals(0, p.exit, f + ": " + p);
            JsonObject answer = Json.parse(p.out).asObject();
            assertEquals(200, answer.getInt("statusCode", 0), f + ": " + p.out);
            assertTrue(REPORT.matcher(p.err).find(), f + ": no REPORT line in\n" + p.err);
            assertTrue(p.err.contains(f + " ran under qemu-aarch64-static -cpu neoverse-n1"), p.err);
        }
        Proc backend = InvokeFixtures.invoke("backend", "--app", "examples/app.json", "--lambda-dir", ExampleBuild.LAMBDA.toString(),
                "--event", "events/backend-http.json");
        assertEquals("{\"status\":\"ok\"}", Json.parse(backend.out).asObject().getString("body", ""), backend.out);
    }

    @Test
    void theRealLambdaRuntimeCratesAnswerExactlyWhatTheySent() throws IOException {
        Path lambda = InvokeFixtures.realRuntime();
        Proc echo = InvokeFixtures.invoke("echo-rt", "--lambda-dir", lambda.toString(), "--event", "events/sqs-batch.json");
        assertEquals(0, echo.exit, echo.toString());
        JsonObject o = Json.parse(echo.out).asObject();
        // serde_json orders keys its own way: compare the records' contents, not the text.
        var sent = Json.parse(Files.readString(Repo.ROOT.resolve("events/sqs-batch.json"))).asObject().get("Records").asArray();
        var echoed = o.get("echo").asObject().get("Records").asArray();
        assertEquals(sent.size(), echoed.size(), echo.out);
        for (int i = 0; i < sent.size(); i++) {
            for (String k : List.of("messageId", "body", "eventSourceARN", "md5OfBody")) {
                assertEquals(sent.get(i).asObject().getString(k, "?"), echoed.get(i).asObject().getString(k, "!"), k + " of record " + i);
            }
        }
        assertEquals("echo-rt", o.getString("function", ""), "AWS_LAMBDA_FUNCTION_NAME reached the function");
        assertTrue(REPORT.matcher(echo.err).find(), echo.err);

        Proc http = InvokeFixtures.invoke("hello-http", "--lambda-dir", lambda.toString(), "--event", "events/backend-http.json");
        assertEquals(0, http.exit, http.toString());
        assertEquals("hello from /health", Json.parse(http.out).asObject().getString("body", ""), http.out);
    }

    @Test
    void aPanicInTheHandlerIsACrashDuringTheInvocationWithItsMessage() {
        // The tuned default builds with panic = "abort" (the fixture's profile leaves it open): the panic ends the process.
        Proc p = InvokeFixtures.invoke("panic-fn", "--lambda-dir", InvokeFixtures.misbehaving().toString());
        assertEquals(6, p.exit, p.toString());
        assertEquals("", p.out, "no answer on stdout");
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("invoke-lambda: panic-fn: Runtime.ExitError during invoke: Runtime exited with error: signal: aborted (SIGABRT)"), last);
        assertTrue(last.contains("boom in the handler"), "the panic's message is named: " + last);
        assertNothingLeft("panic-fn");
    }

    @Test
    void anExitDuringInitIsACrashDuringInit() {
        Proc p = InvokeFixtures.invoke("init-exit-fn", "--lambda-dir", InvokeFixtures.misbehaving().toString());
        assertEquals(6, p.exit, p.toString());
        assertEquals("invoke-lambda: init-exit-fn: Runtime.ExitError during init: Runtime exited with error: exit status 3 "
                + "(its last output: init-exit-fn: DATABASE_URL is not set)", Asserts.lastLine(p.err));
    }

    @Test
    void aFunctionThatNeverAnswersTimesOutAndIsStopped() {
        Proc p = InvokeFixtures.invoke("hang-fn", "--lambda-dir", InvokeFixtures.misbehaving().toString(), "--timeout", "2");
        assertEquals(7, p.exit, p.toString());
        assertEquals("invoke-lambda: hang-fn: Task timed out after 2.00 seconds; the process was stopped", Asserts.lastLine(p.err));
        assertNothingLeft("hang-fn");
    }

    @Test
    void aResponseOverSixMegabytesIsLambdasOwnError() {
        Proc p = InvokeFixtures.invoke("big-fn", "--lambda-dir", InvokeFixtures.misbehaving().toString());
        assertEquals(1, p.exit, p.toString());
        JsonObject error = Json.parse(p.out).asObject();
        assertEquals("Function.ResponseSizeTooLarge", error.getString("errorType", ""));
        assertEquals("Response payload size (7340034 bytes) exceeded maximum allowed payload size (6291556 bytes).",
                error.getString("errorMessage", ""));
        // The runtime itself was told 413, in the words Lambda uses.
        assertTrue(p.err.contains("413") && p.err.contains("RequestEntityTooLarge"), p.err);
    }

    @Test
    void sveCodeOnGraviton2IsASigillAndRunsOnACpuThatHasSve() {
        Path lambda = InvokeFixtures.misbehaving();
        Proc n1 = InvokeFixtures.invoke("sve-fn", "--lambda-dir", lambda.toString());
        assertEquals(6, n1.exit, n1.toString());
        assertTrue(Asserts.lastLine(n1.err).startsWith("invoke-lambda: sve-fn: Runtime.ExitError during init: Runtime exited with error: "
                + "signal: illegal instruction (SIGILL)"), n1.err);
        Proc max = InvokeFixtures.invoke("sve-fn", "--lambda-dir", lambda.toString(), "--cpu", "max");
        assertEquals(0, max.exit, max.toString());
        assertEquals("\"sve ok\"", max.out);
        Proc unknown = InvokeFixtures.invoke("sve-fn", "--lambda-dir", lambda.toString(), "--cpu", "banana");
        assertEquals(2, unknown.exit, unknown.toString());
        assertTrue(Asserts.lastLine(unknown.err).startsWith("invoke-lambda: qemu knows no CPU model 'banana'"), unknown.err);
    }

    @Test
    void anUnknownFunctionOrABadEventIsAUsageErrorOfOneLine() throws IOException {
        Path lambda = InvokeFixtures.misbehaving();
        Proc unknown = InvokeFixtures.invoke("nope", "--lambda-dir", lambda.toString());
        assertEquals(2, unknown.exit, unknown.toString());
        assertTrue(unknown.err.strip().startsWith("invoke-lambda: unknown function 'nope' (functions in " + lambda + ": big-fn, echo-fn"), unknown.err);
        Asserts.assertNoTrace(unknown);
        Proc missing = InvokeFixtures.invoke("echo-fn", "--lambda-dir", lambda.toString(), "--event", "events/none.json");
        assertEquals(2, missing.exit, missing.toString());
        assertEquals("invoke-lambda: no event file events/none.json (--event takes a JSON file, or - for stdin)", missing.err.strip());
        Path bad = Repo.scratch("bad-event").resolve("bad.json");
        Files.writeString(bad, "{not json");
        Proc notJson = InvokeFixtures.invoke("echo-fn", "--lambda-dir", lambda.toString(), "--event", bad.toString());
        assertEquals(2, notJson.exit, notJson.toString());
        assertTrue(notJson.err.strip().startsWith("invoke-lambda: the event " + bad + " is not JSON"), notJson.err);
        Asserts.assertNoTrace(notJson);
    }

    @Test
    void smokeFailsABuildWhoseFunctionCrashesAtInitAndPassesAGoodOne() throws IOException {
        Path events = Repo.scratch("smoke-events");
        Files.copy(Repo.ROOT.resolve("events/ws-connect.json"), events.resolve("echo-fn.json"));
        Proc good = Proc.jbang(InvokeFixtures.env(), "build-lambda@.", "--manifest-path", "tests/fixtures/misbehaving/Cargo.toml",
                "--bin", "echo-fn", "--bin", "hang-fn", "--smoke-event", events.toString(), "--json");
        assertEquals(0, good.exit, good.toString());
        JsonObject report = Json.parse(good.out).asObject();
        for (var f : report.get("functions").asArray()) {
            JsonObject smoke = f.asObject().get("smoke").asObject();
            assertEquals("ok", smoke.getString("status", ""), f.toString());
            assertTrue(smoke.get("init_ms").asDouble() > 0, f.toString());
        }
        assertTrue(good.out.contains("answered echo-fn.json"), "echo-fn's event was sent and answered: " + good.out);

        Proc bad = Proc.jbang(InvokeFixtures.env(), "build-lambda@.", "--manifest-path", "tests/fixtures/misbehaving/Cargo.toml",
                "--bin", "echo-fn", "--bin", "init-exit-fn", "--smoke");
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.err.contains("build-lambda: FAIL smoke init-exit-fn: Runtime.ExitError during init: Runtime exited with error: exit status 3"), bad.err);
        assertFalse(bad.err.contains("FAIL smoke echo-fn"), bad.err);
        assertTrue(bad.out.lines().anyMatch(l -> l.matches("init-exit-fn\\s+.*\\sFAILED\\s+.*")), "the report marks it:\n" + bad.out);
        assertTrue(bad.out.lines().anyMatch(l -> l.matches("echo-fn\\s+.*\\sok \\(init \\d+ ms\\)\\s+.*")), bad.out);
        assertTrue(Files.isExecutable(InvokeFixtures.LAMBDA.resolve("init-exit-fn/bootstrap")), "installed all the same");
        JsonObject manifest = Json.parse(Files.readString(InvokeFixtures.LAMBDA.resolve("manifest.json"))).asObject();
        String status = null;
        for (var f : manifest.get("functions").asArray()) {
            if (f.asObject().getString("name", "").equals("init-exit-fn")) status = f.asObject().get("smoke").asObject().getString("status", "");
        }
        assertEquals("failed", status, "manifest.json marks it: " + manifest);
    }

    @Test
    void serveAnswersConcurrentInvokesFlagsErrorsAndRestartsADeadProcess() throws Exception {
        Path lambda = InvokeFixtures.misbehaving();
        Path log = Repo.scratch("serve").resolve("serve.log");
        Process server = new ProcessBuilder(Repo.ROOT.resolve("jbang").toString(), "invoke-lambda@.", "--serve", "--port", "0",
                "--lambda-dir", lambda.toString(), "--timeout", "5").directory(Repo.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = null;
            for (int i = 0; i < 600 && url == null; i++) {
                assertTrue(server.isAlive(), "the server ended: " + Files.readString(log));
                Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/").matcher(Files.readString(log));
                if (m.find()) url = m.group(1);
                else Thread.sleep(100);
            }
            assertNotNull(url, "no address in " + Files.readString(log));
            HttpClient client = HttpClient.newHttpClient();
            String base = url + "/2015-03-31/functions/";
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(client.sendAsync(post(base + "echo-fn/invocations", "{\"n\":" + i + "}"), HttpResponse.BodyHandlers.ofString()));
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = calls.get(i).get(120, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("{\"n\":" + i + "}", r.body(), "each caller gets its own answer");
            }
            HttpResponse<String> err = client.send(post(base + "panic-fn/invocations", "{}"), HttpResponse.BodyHandlers.ofString());
            assertEquals("Unhandled", err.headers().firstValue("X-Amz-Function-Error").orElse(null), err.headers().map().toString());
            assertEquals("Runtime.ExitError", Json.parse(err.body()).asObject().getString("errorType", ""), err.body());
            HttpResponse<String> none = client.send(post(base + "nope/invocations", "{}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, none.statusCode());
            assertTrue(none.body().contains("Function not found: nope") && none.body().contains("echo-fn"), none.body());

            // The warm echo-fn dies: the next invoke starts it again.
            List<ProcessHandle> echo = server.descendants().filter(h -> runs(h, "echo-fn") && h.parent().filter(p -> runs(p, "echo-fn")).isEmpty()).toList();
            assertEquals(1, echo.size(), "one warm echo-fn process, kept between invokes: " + echo);
            echo.get(0).destroyForcibly();
            echo.get(0).onExit().get(30, TimeUnit.SECONDS);
            HttpResponse<String> again = client.send(post(base + "echo-fn/invocations", "{\"again\":true}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("{\"again\":true}", again.body());
        } finally {
            List<ProcessHandle> children = server.descendants().toList();
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            for (ProcessHandle h : children) h.onExit().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), children.stream().filter(ProcessHandle::isAlive).toList(), "processes left after the server stopped");
        }
    }

    @Test
    void watchReleaseRebuildsAChangedFunctionWithBuildLambdaAndItsNextInvokeRunsTheNewBuild() throws Exception {
        Path ws = Repo.scratch("watch").resolve("ws");
        assertEquals(0, Proc.run(Repo.ROOT, "cp", "-r", LiteBuild.WORKSPACE.toString(), ws.toString()).exit);
        Install.deleteTree(ws.resolve("target"));
        Proc built = Proc.jbang(java.util.Map.of("NO_COLOR", "1"), "build-lambda@.", "--manifest-path", ws.resolve("Cargo.toml").toString());
        assertEquals(0, built.exit, built.toString());
        Path log = ws.resolve("serve.log");
        Process server = new ProcessBuilder(Repo.ROOT.resolve("jbang").toString(), "invoke-lambda@.", "--serve", "--watch", "--release", "--port", "0",
                "--manifest-path", ws.resolve("Cargo.toml").toString()).directory(Repo.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = GatewayServer.waitFor(server, log, Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/"), "serving").group(1);
            HttpClient client = HttpClient.newHttpClient();
            String backend = url + "/2015-03-31/functions/backend/invocations", event = Files.readString(Repo.ROOT.resolve("events/backend-http.json"));
            HttpResponse<String> before = client.send(post(backend, event), HttpResponse.BodyHandlers.ofString());
            assertTrue(before.body().contains("{\\\"status\\\":\\\"ok\\\"}"), before.body());
            Path main = ws.resolve("backend/src/main.rs");
            Files.writeString(main, Files.readString(main).replace("{\\\"status\\\":\\\"ok\\\"}", "{\\\"status\\\":\\\"rebuilt\\\"}"));
            GatewayServer.waitFor(server, log, Pattern.compile("backend rebuilt: its next invoke starts the new build"), "the rebuild");
            String text = Files.readString(log);
            assertTrue(text.contains("invoke-lambda: changed: backend; rebuilding"), text);
            assertTrue(text.contains("build-lambda: building 1 function"), "only the changed package was built again: " + text);
            HttpResponse<String> after = client.send(post(backend, event), HttpResponse.BodyHandlers.ofString());
            assertTrue(after.body().contains("{\\\"status\\\":\\\"rebuilt\\\"}"), after.body());
            // --host runs a build for this machine, without qemu.
            Proc host = InvokeFixtures.invoke("backend", "--host", "--manifest-path", ws.resolve("Cargo.toml").toString(),
                    "--event", "events/backend-http.json");
            assertEquals(0, host.exit, host.toString());
            assertTrue(host.err.contains("backend ran natively") && host.out.contains("rebuilt"), host.toString());
        } finally {
            List<ProcessHandle> children = server.descendants().toList();
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            for (ProcessHandle h : children) h.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The process runs that function: plainly, or as the sandbox's bwrap, which binds its folder at /var/task. */
    static boolean runs(ProcessHandle h, String function) {
        String cmd = h.info().commandLine().orElse("");
        return cmd.contains(function + "/bootstrap") || cmd.contains(function + " /var/task");
    }

    /** No process of that function still runs. */
    static void assertNothingLeft(String function) {
        List<String> left = ProcessHandle.allProcesses().filter(h -> runs(h, function))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), left, "left running");
    }
}
