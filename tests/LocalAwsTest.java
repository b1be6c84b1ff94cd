import org.junit.jupiter.api.parallel.Isolated;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The example's functions (the shared ExampleBuild: lambda_runtime, lambda_http, the AWS SDK) run for real
 * under qemu against the local AWS (moto's server) with the tables of examples/app.json, each item read back
 * through moto's own DynamoDB API; afterwards neither moto nor a function is left running.
 */
@Isolated // it checks that no child of this JVM is left: no other class may run beside it
class LocalAwsTest {
    static final String ID = "Mxb1tdIEoAMCJXw=";

    static JsonObject event(String file) throws IOException {
        return Json.parse(Files.readString(Repo.ROOT.resolve("events").resolve(file))).asObject();
    }

    static JsonObject answer(String function, JsonObject event, Invoker.Settings s) {
        Invoker.Run r = Invoker.run(function, ExampleBuild.bootstrap(function), event.toString().getBytes(), s, System.err);
        assertInstanceOf(Invoker.Answered.class, r.outcome(), function + ": " + Invoker.describe(function, r));
        return Json.parse(new String(((Invoker.Answered) r.outcome()).body())).asObject();
    }

    static JsonObject item(LocalAws aws) {
        JsonObject got = aws.dynamodb("GetItem", new JsonObject().add("TableName", "Connections")
                .add("Key", new JsonObject().add("connectionId", new JsonObject().add("S", ID))).add("ConsistentRead", true));
        return got.get("Item") == null ? null : got.get("Item").asObject();
    }

    static String count(Invoker.Settings s) throws IOException {
        JsonObject e = event("backend-http.json");
        e.set("rawPath", "/connections/count");
        e.get("requestContext").asObject().get("http").asObject().set("path", "/connections/count");
        JsonObject a = answer("backend", e, s);
        assertEquals(200, a.getInt("statusCode", 0), a.toString());
        return a.getString("body", "");
    }

    @Test
    void connectStoresTheItemBackendCountsItDisconnectDeletesItAndANamelessConnectIsRefused() throws Exception {
        assertEquals(0, ExampleBuild.get().exit, ExampleBuild.get().toString());
        AppTables app = AppTables.read(Repo.ROOT.resolve("examples/app.json"));
        Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        long moto;
        try (LocalAws aws = LocalAws.start("python3")) {
            moto = aws.pid();
            for (AppTables.Table t : app.tables()) aws.createTable(t);
            FunctionEnv env = FunctionEnv.local(app, aws);
            assertEquals("Connections", env.forFunction("ws-connect").get("TABLE_NAME"));
            assertEquals(aws.endpoint, env.forFunction("ws-connect").get("AWS_ENDPOINT_URL_DYNAMODB"));
            assertNull(env.forFunction("ws-default").get("TABLE_NAME"), "ws-default has no table in app.json");
            Invoker.Settings s = new Invoker.Settings(128, "neoverse-n1", 120_000, Map.of(), env);

            assertNull(item(aws), "the table starts empty");
            JsonObject connected = answer("ws-connect", event("ws-connect.json"), s);
            assertEquals(200, connected.getInt("statusCode", 0), connected.toString());
            JsonObject stored = item(aws);
            assertNotNull(stored, "ws-connect wrote no item");
            assertEquals("ada", stored.get("name").asObject().getString("S", ""), stored.toString());
            assertEquals("{\"connections\":1}", count(s));

            // $connect without ?name=: a 4xx, which makes API Gateway refuse the handshake; nothing is stored.
            JsonObject nameless = event("ws-connect.json");
            nameless.set("requestContext", nameless.get("requestContext").asObject().set("connectionId", "Nameless000000="));
            nameless.remove("queryStringParameters");
            nameless.remove("multiValueQueryStringParameters");
            JsonObject refused = answer("ws-connect", nameless, s);
            int status = refused.getInt("statusCode", 0);
            assertTrue(status >= 400 && status < 500, refused.toString());
            assertTrue(refused.getString("body", "").contains("name"), refused.toString());
            assertEquals("{\"connections\":1}", count(s));

            JsonObject gone = answer("ws-disconnect", event("ws-disconnect.json"), s);
            assertEquals(200, gone.getInt("statusCode", 0), gone.toString());
            assertNull(item(aws), "ws-disconnect left the item");
            assertEquals("{\"connections\":0}", count(s));
        }
        assertFalse(ProcessHandle.of(moto).map(ProcessHandle::isAlive).orElse(false), "moto's server is still running");
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(h -> !before.contains(h.pid())).filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList(), "processes left running");
    }

    /** The command line: one invoke with --local-aws starts moto, answers, and stops it. */
    @Test
    void invokeLambdaWithLocalAwsAnswersFromTheTableAndStopsMoto() {
        assertEquals(0, ExampleBuild.get().exit, ExampleBuild.get().toString());
        Proc p = InvokeFixtures.invoke("ws-connect", "--local-aws", "--app", "examples/app.json", "--lambda-dir", ExampleBuild.LAMBDA.toString(),
                "--event", "events/ws-connect.json");
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("invoke-lambda: local AWS (moto) on http://127.0.0.1:") && p.err.contains("tables Connections"), p.err);
        JsonObject a = Json.parse(p.out).asObject();
        assertEquals(200, a.getInt("statusCode", 0), p.out);
        assertFalse(p.err.contains("testing"), "credentials printed: " + p.err);
        Proc ps = Proc.run(Repo.ROOT, "pgrep", "-f", "moto.server -H 127.0.0.1 -p " + p.err.replaceAll("(?s).*local AWS \\(moto\\) on http://127.0.0.1:(\\d+).*", "$1"));
        assertEquals(1, ps.exit, "moto's server is still running: " + ps.out);
    }
}
