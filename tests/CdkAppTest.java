import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CDK app in cdk/ run for real: tsc, then `cdk synth` from the app's node_modules (aws-cdk-lib and the
 * aws-cdk CLI that setup.sh installs with npm ci), with no AWS account or credentials, on the manifests of
 * real builds (ZipBuilds).
 */
class CdkAppTest {
    static final Path APP = Repo.ROOT.resolve("cdk");
    static final String STACK = "RustLambdas";

    @BeforeAll
    static void compile() {
        assertTrue(Files.isExecutable(APP.resolve("node_modules/.bin/cdk")), "no cdk in " + APP + "/node_modules: run ./setup.sh (npm ci there)");
        Proc tsc = Proc.run(APP, env(null), List.of(APP.resolve("node_modules/.bin/tsc").toString()), 300);
        assertEquals(0, tsc.exit, tsc.toString());
    }

    /** Offline and quiet: no version check, no notices, no telemetry, no instance-metadata lookup for a default account. */
    static Map<String, String> env(Path manifest) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CDK_DISABLE_VERSION_CHECK", "1", "CDK_DISABLE_CLI_TELEMETRY", "true",
                "AWS_EC2_METADATA_DISABLED", "true", "CI", "true", "NO_COLOR", "1"));
        if (manifest != null) env.put("LAMBDA_MANIFEST", manifest.toString());
        return env;
    }

    static Proc synth(Path manifest, Path out) {
        return Proc.run(APP, env(manifest), List.of(APP.resolve("node_modules/.bin/cdk").toString(), "synth", "--no-notices",
                "--output", out.toString()), 300);
    }

    /** A synthesized stack: its template and each function's resource, by function name. */
    record Synth(Path out, JsonObject template, Map<String, JsonObject> functions) {
        /** The function's code asset: the S3 key CloudFormation deploys ("<hash>.zip"). */
        String s3Key(String name) {
            return functions.get(name).get("Properties").asObject().get("Code").asObject().getString("S3Key", null);
        }
    }

    private static final Map<String, Synth> SYNTHS = new java.util.HashMap<>();

    /** `cdk synth` of a lambda folder's manifest, once per name and run. */
    static synchronized Synth synthOk(Path lambdaDir, String name) throws IOException {
        Synth done = SYNTHS.get(name);
        if (done != null) return done;
        Path out = Repo.scratch("cdk-" + name).resolve("cdk.out");
        Proc p = synth(lambdaDir.resolve("manifest.json"), out);
        assertEquals(0, p.exit, p.toString());
        assertTrue(p.out.contains("Type: AWS::Lambda::Function"), "cdk synth prints the template:\n" + p);
        JsonObject t = Json.parse(Files.readString(out.resolve(STACK + ".template.json"))).asObject();
        Map<String, JsonObject> fs = new TreeMap<>();
        for (JsonObject.Member m : t.get("Resources").asObject()) {
            JsonObject r = m.getValue().asObject();
            if (!r.getString("Type", "").equals("AWS::Lambda::Function")) continue;
            String path = r.get("Metadata").asObject().getString("aws:cdk:path", "");
            assertTrue(path.matches(STACK + "/[^/]+/Resource"), path);
            assertNull(fs.put(path.split("/")[1], r), "two functions at " + path);
        }
        Synth s = new Synth(out, t, fs);
        SYNTHS.put(name, s);
        return s;
    }

    static Map<String, JsonObject> manifest(Path lambdaDir) throws IOException {
        Map<String, JsonObject> m = new TreeMap<>();
        for (JsonValue v : Json.parse(Files.readString(lambdaDir.resolve("manifest.json"))).asObject().get("functions").asArray()) {
            m.put(v.asObject().getString("name", null), v.asObject());
        }
        return m;
    }

    @Test
    void oneArm64FunctionPerManifestEntryWithTheZipAsBuilt() throws IOException {
        Path lambda = ZipBuilds.get().a;
        Synth s = synthOk(lambda, "a");
        Map<String, JsonObject> manifest = manifest(lambda);
        assertEquals(ExampleBuild.FUNCTIONS, new ArrayList<>(manifest.keySet()));
        assertEquals(manifest.keySet(), s.functions().keySet(), "one AWS::Lambda::Function per manifest entry");
        JsonObject assets = Json.parse(Files.readString(s.out().resolve(STACK + ".assets.json"))).asObject().get("files").asObject();
        for (String name : manifest.keySet()) {
            JsonObject props = s.functions().get(name).get("Properties").asObject();
            assertEquals("[\"arm64\"]", props.get("Architectures").toString(), name);
            assertEquals("provided.al2023", props.getString("Runtime", ""), name);
            assertEquals("bootstrap", props.getString("Handler", ""), name);
            String key = s.s3Key(name);
            assertTrue(key.matches("[0-9a-f]{64}\\.zip"), key);
            String hash = key.substring(0, 64);
            // The zip is uploaded as the build wrote it (a file asset), not re-zipped by CDK.
            JsonObject asset = assets.get(hash).asObject().get("source").asObject();
            assertEquals("file", asset.getString("packaging", ""), asset.toString());
            Path staged = s.out().resolve(asset.getString("path", ""));
            assertEquals(manifest.get(name).get("zip").asObject().getString("sha256", ""), PackagingTest.sha256sum(staged), name);
        }
    }

    @Test
    void twoCleanBuildsGiveTheSameTemplateAndAssetHashes() throws IOException {
        ZipBuilds b = ZipBuilds.get();
        Synth a = synthOk(b.a, "a"), other = synthOk(b.bBefore, "b-before");
        for (String name : ExampleBuild.FUNCTIONS) assertEquals(a.s3Key(name), other.s3Key(name), name);
        assertEquals(5, ExampleBuild.FUNCTIONS.stream().map(a::s3Key).distinct().count(), "every function has its own asset");
        assertEquals(Files.readString(a.out().resolve(STACK + ".template.json")), Files.readString(other.out().resolve(STACK + ".template.json")),
                "the templates of two clean builds differ");
    }

    @Test
    void aSourceChangeGivesThatFunctionAloneANewAssetHash() throws IOException {
        ZipBuilds b = ZipBuilds.get();
        Synth before = synthOk(b.bBefore, "b-before"), after = synthOk(b.bAfter, "b-after");
        for (String name : ExampleBuild.FUNCTIONS) {
            if (name.equals(ZipBuilds.CHANGED)) assertNotEquals(before.s3Key(name), after.s3Key(name), name);
            else assertEquals(before.s3Key(name), after.s3Key(name), name);
        }
    }

    @Test
    void anX86EntryGetsX86() throws IOException {
        Path lambda = Repo.scratch("cdk-x86").resolve("lambda");
        PackagingTest.copyTree(ZipBuilds.get().a, lambda);
        Path m = lambda.resolve("manifest.json");
        String text = Files.readString(m);
        String edited = text.replaceFirst("\"arch\":\"aarch64\"", "\"arch\":\"x86_64\"");
        assertNotEquals(text, edited);
        Files.writeString(m, edited);
        String first = Json.parse(edited).asObject().get("functions").asArray().get(0).asObject().getString("name", "");
        Synth s = synthOk(lambda, "x86");
        for (String name : ExampleBuild.FUNCTIONS) {
            assertEquals(name.equals(first) ? "[\"x86_64\"]" : "[\"arm64\"]",
                    s.functions().get(name).get("Properties").asObject().get("Architectures").toString(), name);
        }
    }

    /** A build of both arches lists each function twice; the app deploys each once, on the arch `-c arch` picks (default arm64). */
    @Test
    void aTwoArchBuildDeploysEachFunctionOnceOnThePickedArch() throws IOException {
        Path ws = ZipBuilds.get().a.getParent().getParent();
        Path lambda = Repo.scratch("cdk-two-arch").resolve("lambda");
        Proc b = Proc.jbang(Map.of("CARGO_TARGET_DIR", ws.resolve("target").toString(), "NO_COLOR", "1"), "build-lambda@.",
                "--manifest-path", ws.resolve("Cargo.toml").toString(), "--arch", "arm64,x86_64", "--zip", "--lambda-dir", lambda.toString());
        assertEquals(0, b.exit, b.toString());
        assertEquals(2 * ExampleBuild.FUNCTIONS.size(), Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject()
                .get("functions").asArray().size(), "a two-arch manifest lists each function per arch");
        Synth arm = synthOk(lambda, "two-arch");
        assertEquals(new java.util.TreeSet<>(ExampleBuild.FUNCTIONS), arm.functions().keySet());
        for (JsonObject f : arm.functions().values()) assertEquals("[\"arm64\"]", f.get("Properties").asObject().get("Architectures").toString());
        Path out = Repo.scratch("cdk-two-arch-x86").resolve("cdk.out");
        Proc x = Proc.run(APP, env(lambda.resolve("manifest.json")), List.of(APP.resolve("node_modules/.bin/cdk").toString(), "synth", "--no-notices",
                "-c", "arch=x86_64", "--output", out.toString()), 300);
        assertEquals(0, x.exit, x.toString());
        String t = Files.readString(out.resolve(STACK + ".template.json"));
        assertEquals(ExampleBuild.FUNCTIONS.size(), t.split("\"x86_64\"", -1).length - 1, "every function on x86_64:\n" + t);
        assertFalse(t.contains("\"arm64\""), t);
    }

    @Test
    void aManifestWithoutZipsFailsWithOneLine() throws IOException {
        Path lambda = Repo.scratch("cdk-nozip").resolve("lambda");
        PackagingTest.copyTree(ZipBuilds.get().a, lambda);
        Path m = lambda.resolve("manifest.json");
        Files.writeString(m, Files.readString(m).replaceAll("\"zip\":\\{[^}]*\\}", "\"zip\":null"));
        Proc p = synth(m, Repo.scratch("cdk-nozip-out"));
        assertNotEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("cdk app: backend has no zip in " + m + ": build with --zip"), p.toString());
        assertFalse(p.err.contains("    at "), "stack trace shown:\n" + p.err);

        Proc none = synth(lambda.resolve("nope.json"), Repo.scratch("cdk-none-out"));
        assertNotEquals(0, none.exit, none.toString());
        assertTrue(none.err.contains("cdk app: no manifest at " + lambda.resolve("nope.json") + " (LAMBDA_MANIFEST): build first"), none.toString());
    }

    /** Resources of one CloudFormation type in a template, by logical id. */
    static Map<String, JsonObject> resources(JsonObject template, String type) {
        Map<String, JsonObject> r = new TreeMap<>();
        for (JsonObject.Member m : template.get("Resources").asObject()) {
            if (m.getValue().asObject().getString("Type", "").equals(type)) r.put(m.getName(), m.getValue().asObject().get("Properties").asObject());
        }
        return r;
    }

    /** The logical id of the function a Lambda integration or permission points at (Fn::GetAtt / Fn::Join of its Arn). */
    static String functionIn(JsonValue v, Synth s) {
        String text = v.toString();
        for (String name : s.functions().keySet()) {
            String id = logicalId(s, name);
            if (text.contains("\"" + id + "\"")) return name;
        }
        return null;
    }

    static String logicalId(Synth s, String name) {
        for (JsonObject.Member m : s.template().get("Resources").asObject()) {
            if (m.getValue().asObject() == s.functions().get(name)) return m.getName();
        }
        throw new AssertionError("no logical id for " + name);
    }

    /** examples/app.json deployed: the table, the WebSocket API with its four routes, the HTTP API, and each function's permissions. */
    @Test
    void theTemplateHoldsTheAppsTableApisRoutesAndPermissions() throws IOException {
        Synth s = synthOk(ZipBuilds.get().a, "a");
        JsonObject t = s.template();
        Map<String, JsonObject> tables = resources(t, "AWS::DynamoDB::Table");
        assertEquals(1, tables.size(), tables.toString());
        JsonObject table = tables.values().iterator().next();
        assertEquals("[{\"AttributeName\":\"connectionId\",\"KeyType\":\"HASH\"}]", table.get("KeySchema").toString());
        assertEquals("[{\"AttributeName\":\"connectionId\",\"AttributeType\":\"S\"}]", table.get("AttributeDefinitions").toString());
        String tableId = tables.keySet().iterator().next();

        Map<String, JsonObject> apis = resources(t, "AWS::ApiGatewayV2::Api");
        JsonObject ws = apis.values().stream().filter(a -> a.getString("ProtocolType", "").equals("WEBSOCKET")).findFirst().orElseThrow();
        assertEquals("$request.body.action", ws.getString("RouteSelectionExpression", ""));
        assertEquals(1, apis.values().stream().filter(a -> a.getString("ProtocolType", "").equals("HTTP")).count(), apis.toString());
        String wsId = apis.entrySet().stream().filter(e -> e.getValue() == ws).findFirst().orElseThrow().getKey();

        // Every route: its key, on which API, and the function its integration calls.
        Map<String, JsonObject> integrations = resources(t, "AWS::ApiGatewayV2::Integration");
        Map<String, String> wsRoutes = new TreeMap<>(), httpRoutes = new TreeMap<>();
        for (JsonObject r : resources(t, "AWS::ApiGatewayV2::Route").values()) {
            String target = r.get("Target").toString();
            String integrationId = integrations.keySet().stream().filter(id -> target.contains("\"" + id + "\"")).findFirst().orElseThrow(() -> new AssertionError("no integration for " + r));
            JsonObject integration = integrations.get(integrationId);
            assertEquals("AWS_PROXY", integration.getString("IntegrationType", ""), integrationId);
            String fn = functionIn(integration.get("IntegrationUri"), s);
            assertNotNull(fn, "the integration calls none of the functions: " + integration);
            boolean onWs = r.get("ApiId").toString().contains("\"" + wsId + "\"");
            (onWs ? wsRoutes : httpRoutes).put(r.getString("RouteKey", ""), fn);
            if (!onWs) assertEquals("2.0", integration.getString("PayloadFormatVersion", ""), "HTTP API payload 2.0: " + integration);
        }
        assertEquals(Map.of("$connect", "ws-connect", "$disconnect", "ws-disconnect", "sendmessage", "ws-broadcast", "$default", "ws-default"), wsRoutes);
        assertEquals(Map.of("GET /health", "backend", "GET /info", "backend", "GET /connections/count", "backend", "$default", "backend"), httpRoutes);
        assertTrue(resources(t, "AWS::ApiGatewayV2::Stage").values().stream().anyMatch(st -> st.getString("StageName", "").equals("dev")
                && st.get("ApiId").toString().contains(wsId)), "the WebSocket API has its dev stage");
        // API Gateway may invoke every routed function.
        for (String name : s.functions().keySet()) {
            assertTrue(resources(t, "AWS::Lambda::Permission").values().stream().anyMatch(p -> name.equals(functionIn(p.get("FunctionName"), s))
                    && p.getString("Principal", "").equals("apigateway.amazonaws.com")), name + " cannot be invoked by API Gateway");
        }

        // Each function's role policy: the table per app.json, ManageConnections for the two that post.
        Map<String, String> policies = new TreeMap<>();
        for (JsonObject p : resources(t, "AWS::IAM::Policy").values()) {
            for (String name : s.functions().keySet()) {
                String role = s.functions().get(name).get("Properties").asObject().get("Role").toString();
                String roleId = role.replaceAll(".*\"Fn::GetAtt\":\\[\"([^\"]+)\".*", "$1");
                if (p.get("Roles").toString().contains("\"" + roleId + "\"")) policies.merge(name, p.get("PolicyDocument").toString(), String::concat);
            }
        }
        for (String name : List.of("ws-connect", "ws-disconnect", "ws-broadcast")) {
            String doc = policies.getOrDefault(name, "");
            assertTrue(doc.contains("dynamodb:PutItem") && doc.contains("dynamodb:DeleteItem") && doc.contains("dynamodb:Scan") && doc.contains(tableId), name + ": " + doc);
        }
        String backend = policies.getOrDefault("backend", "");
        assertTrue(backend.contains("dynamodb:Scan") && backend.contains(tableId), backend);
        assertFalse(backend.contains("dynamodb:PutItem") || backend.contains("dynamodb:DeleteItem"), "backend only reads: " + backend);
        for (String name : s.functions().keySet()) {
            boolean manages = policies.getOrDefault(name, "").contains("execute-api:ManageConnections");
            assertEquals(List.of("ws-broadcast", "ws-default").contains(name), manages, name + ": " + policies.get(name));
            JsonValue env = s.functions().get(name).get("Properties").asObject().get("Environment");
            boolean hasTable = env != null && env.toString().contains("\"TABLE_NAME\"") && env.toString().contains(tableId);
            assertEquals(!name.equals("ws-default"), hasTable, name + " TABLE_NAME: " + env);
        }
        JsonObject outputs = t.get("Outputs").asObject();
        assertTrue(outputs.get("WebSocketUrl").toString().contains("wss://") && outputs.get("WebSocketUrl").toString().contains("/dev"), outputs.toString());
        assertTrue(outputs.get("HttpApiUrl").toString().contains("ApiEndpoint"), outputs.toString());
    }

    @Test
    void anAppRouteToAFunctionTheManifestLacksFailsWithOneLine() throws IOException {
        Path app = Repo.scratch("cdk-bad-app").resolve("app.json");
        Files.writeString(app, Files.readString(Repo.ROOT.resolve("examples/app.json")).replace("\"ws-default\"}", "\"ws-nope\"}"));
        Map<String, String> env = env(ZipBuilds.get().a.resolve("manifest.json"));
        env.put("LAMBDA_APP", app.toString());
        Proc p = Proc.run(APP, env, List.of(APP.resolve("node_modules/.bin/cdk").toString(), "synth", "--no-notices",
                "--output", Repo.scratch("cdk-bad-app-out").toString()), 300);
        assertNotEquals(0, p.exit, p.toString());
        assertTrue(p.err.contains("cdk app: " + app + ": names function ws-nope, which the manifest does not list"), p.err);
        assertFalse(p.err.contains("    at "), "stack trace shown:\n" + p.err);
    }
}
