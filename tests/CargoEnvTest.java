import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each function's own environment (CargoEnv): cargo-lambda's four env tables in their order, --env-file's dotenv
 * format, and what is refused, each refusal one line with exit code 2 (USAGE). No cargo: the workspaces are cargo
 * metadata's JSON, written here in the shape cargo prints it (tests/fixtures/env-vars is the same layout, run for
 * real in CargoEnvQemuTest).
 */
@Tag("fast")
class CargoEnvTest {
    static final Path ROOT = Path.of("/ws");

    /** Package p (bins one, two) with pkgLambda as its metadata.lambda, and wsLambda as the workspace's. */
    static Workspace workspace(String pkgLambda, String wsLambda) {
        String json = "{\"workspace_root\":\"" + ROOT + "\",\"target_directory\":\"" + ROOT.resolve("target") + "\","
                + "\"workspace_members\":[\"p-id\"],\"metadata\":" + (wsLambda == null ? "null" : "{\"lambda\":" + wsLambda + "}")
                + ",\"packages\":[{\"name\":\"p\",\"id\":\"p-id\",\"manifest_path\":\"" + ROOT.resolve("p/Cargo.toml") + "\",\"targets\":["
                + "{\"kind\":[\"bin\"],\"name\":\"one\"},{\"kind\":[\"bin\"],\"name\":\"two\"},{\"kind\":[\"lib\"],\"name\":\"p\"}],"
                + "\"metadata\":" + (pkgLambda == null ? "null" : "{\"lambda\":" + pkgLambda + "}") + "}]}";
        return Workspace.parse(ROOT.resolve("Cargo.toml"), json);
    }

    static final String WS = "{\"env\":{\"L1\":\"workspace\",\"L2\":\"workspace\",\"L3\":\"workspace\",\"L4\":\"workspace\"},"
            + "\"bin\":{\"two\":{\"env\":{\"L2\":\"workspace-bin\",\"L3\":\"workspace-bin\",\"L4\":\"workspace-bin\"}}}}";
    static final String PKG = "{\"env\":{\"L3\":\"package\",\"L4\":\"package\"},\"bin\":{\"two\":{\"env\":{\"L4\":\"package-bin\"}}}}";

    static Cli.UserError refused(Runnable r) {
        Cli.UserError e = assertThrows(Cli.UserError.class, r::run);
        assertEquals(ExitCode.USAGE.code, e.exitCode, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void theTablesApplyInCargoLambdasOrderAndTheFileGoesOverThem() throws Exception {
        Path file = Files.createTempFile("env", ".env");
        Files.writeString(file, "L4=file\nFILE_ONLY=yes\n");
        CargoEnv env = CargoEnv.read(workspace(PKG, WS), file);
        assertEquals(Map.of("L1", "workspace", "L2", "workspace-bin", "L3", "package", "L4", "file", "FILE_ONLY", "yes"), env.forFunction("two"),
                "package bin > package > workspace bin > workspace, the file over all");
        assertEquals(Map.of("L1", "workspace", "L2", "workspace", "L3", "package", "L4", "file", "FILE_ONLY", "yes"), env.forFunction("one"),
                "a bin table applies to its own binary only");
        assertEquals(Map.of("L1", "workspace", "L2", "workspace-bin", "L3", "package", "L4", "package-bin"),
                CargoEnv.read(workspace(PKG, WS), null).forFunction("two"));
        assertEquals(Map.of("L4", "file", "FILE_ONLY", "yes"), CargoEnv.read(null, file).forFunction("two"), "--lambda-dir alone: the file only");
        assertEquals(Map.of(), CargoEnv.read(workspace(null, null), null).forFunction("one"));
        Files.delete(file);
    }

    @Test
    void envFlagsWinOverTheTablesWhichWinOverTheLocalAwsVariables() {
        Workspace ws = workspace("{\"env\":{\"AWS_ENDPOINT_URL_DYNAMODB\":\"http://127.0.0.1:1/\",\"RUST_LOG\":\"debug\",\"L1\":\"table\"}}", null);
        FunctionEnv fe = FunctionEnv.of(AppTables.NONE).withCargoEnv(CargoEnv.read(ws, null));
        Invoker.Settings s = new Invoker.Settings(128, "neoverse-n1", 1000, Map.of("L1", "flag"), fe);
        assertEquals(Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1/", "RUST_LOG", "debug", "L1", "flag"), s.envFor("one"));
        assertEquals("debug", FunctionEnv.of(AppTables.NONE).withCargoEnv(CargoEnv.read(ws, null)).withManagementEndpoint("http://x/")
                .forFunction("two").get("RUST_LOG"), "kept when the gateway adds its @connections URL");
    }

    @Test
    void withRealAwsAnEndpointAtThisMachineIsRefused() {
        Workspace ws = workspace("{\"env\":{\"AWS_ENDPOINT_URL_DYNAMODB\":\"http://127.0.0.1:4566\"}}", null);
        Cli.UserError e = refused(() -> FunctionEnv.realAws(AppTables.NONE, Map.of("AWS_ACCESS_KEY_ID", "AKIDREAL"))
                .withCargoEnv(CargoEnv.read(ws, null)));
        assertTrue(e.getMessage().startsWith("AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:4566 (Cargo.toml or --env-file) is not an AWS endpoint"),
                e.getMessage());
        assertFalse(e.getMessage().contains("AKIDREAL"), "credentials are never printed");
        Workspace aws = workspace("{\"env\":{\"AWS_ENDPOINT_URL_DYNAMODB\":\"https://dynamodb-fips.us-east-1.amazonaws.com\"}}", null);
        assertNotNull(FunctionEnv.realAws(AppTables.NONE, Map.of()).withCargoEnv(CargoEnv.read(aws, null)), "a real endpoint is the user's choice");
    }

    @Test
    void aMisspeltKeyBesideEnvIsRefusedByTheEnvAndTheBuildAlike() {
        Workspace ws = workspace("{\"evn\":{\"A1\":\"x\"}}", null);
        Cli.UserError e = refused(() -> CargoEnv.read(ws, null));
        assertEquals("unknown key 'evn' in [package.metadata.lambda] of package p (/ws/p/Cargo.toml): the keys there are bin, build, deploy, "
                + "env, watch (docs/reference/cargo-metadata.md); fix or remove it", e.getMessage());
        Workspace.Function one = ws.functions.get(0);
        assertEquals(e.getMessage(), refused(() -> LambdaMetadata.forFunction(ws, one)).getMessage(), "one reader for both");
        assertTrue(refused(() -> CargoEnv.read(workspace("{\"bin\":{\"two\":{\"enn\":{}}}}", null), null)).getMessage()
                .startsWith("unknown key 'enn' in [package.metadata.lambda.bin.two] of package p"));
        assertTrue(refused(() -> CargoEnv.read(workspace(null, "{\"envs\":{}}"), null)).getMessage()
                .startsWith("unknown key 'envs' in [workspace.metadata.lambda] of the workspace (/ws/Cargo.toml)"));
        assertTrue(refused(() -> CargoEnv.read(workspace("{\"env\":\"RUST_LOG=debug\"}", null), null)).getMessage()
                .startsWith("[package.metadata.lambda.env] of package p (/ws/p/Cargo.toml) must be a table, not \"RUST_LOG=debug\""));
    }

    @Test
    void valuesAreStringsAndKeysAreOnesLambdaAccepts() {
        assertEquals("PORT in [package.metadata.lambda.env] of package p (/ws/p/Cargo.toml) must be a string (Lambda's variables are text), "
                + "not 8080: write PORT = \"8080\"", refused(() -> CargoEnv.read(workspace("{\"env\":{\"PORT\":8080}}", null), null)).getMessage());
        assertTrue(refused(() -> CargoEnv.read(workspace("{\"bin\":{\"one\":{\"env\":{\"AWS_REGION\":\"eu-west-1\"}}}}", null), null))
                .getMessage().startsWith("AWS_REGION in [package.metadata.lambda.bin.one.env] of package p (/ws/p/Cargo.toml) is one of Lambda's "
                        + "reserved variables"));
        for (String bad : List.of("1ST", "A", "MY-VAR", "_X")) {
            assertTrue(refused(() -> CargoEnv.read(workspace("{\"env\":{\"" + bad + "\":\"v\"}}", null), null)).getMessage()
                    .startsWith("'" + bad + "' in [package.metadata.lambda.env] of package p"), bad);
        }
    }

    @Test
    void dotenvFilesReadAsCargoLambdaReadsThem() {
        // cargo-lambda's own case (env.rs): blank line, export, spaces around =, single quotes, a comment line.
        assertEquals(Map.of("BAR", "BAZ", "QUUX", "QUUUX"), CargoEnv.parseDotenv("BAR=BAZ\n\nexport QUUX = 'QUUUX'\n#IGNORE=ME", "f"));
        Map<String, String> m = CargoEnv.parseDotenv("  A1=x # a comment\nB1=\"two words \\\" and\\nmore\"\nC1=\nD1=`tick`\r\nA1=last\n", "f");
        assertEquals(Map.of("A1", "last", "B1", "two words \" and\nmore", "C1", "", "D1", "tick"), m, "the last of a repeated key wins");
        assertEquals(Map.of("E1", "a=b"), CargoEnv.parseDotenv("E1='a=b'", "f"));
        assertEquals(Map.of(), CargoEnv.parseDotenv("\n# nothing\n\n", "f"));
    }

    @Test
    void aDotenvLineThatIsNotKeyEqualsValueNamesItsLine() throws Exception {
        assertEquals("the env file f, line 3: expected KEY=VALUE (a value with spaces goes in quotes, a comment after #)",
                refused(() -> CargoEnv.parseDotenv("A1=1\n\nB1=two words\n", "the env file f")).getMessage());
        assertTrue(refused(() -> CargoEnv.parseDotenv("A1=1\nJUSTAKEY\n", "the env file f")).getMessage().startsWith("the env file f, line 2: expected KEY=VALUE"));
        assertTrue(refused(() -> CargoEnv.parseDotenv("A1='open\n", "the env file f")).getMessage().startsWith("the env file f, line 1: a quoted value is not closed"));
        assertTrue(refused(() -> CargoEnv.parseDotenv("AWS_SESSION_TOKEN=x\n", "f")).getMessage()
                .startsWith("AWS_SESSION_TOKEN in f, line 1 is one of Lambda's reserved variables"));
        Path missing = Path.of("/nonexistent/.env.local");
        assertEquals("no env file /nonexistent/.env.local (--env-file takes a dotenv file of KEY=VALUE lines)",
                refused(() -> CargoEnv.read(null, missing)).getMessage());
    }

    @Test
    void cargoLambdasWatchEnvSettingsAreNamedAsNotRead() {
        CargoEnv env = CargoEnv.read(workspace("{\"watch\":{\"env_file\":\".env\"}}", null), null);
        assertEquals(1, env.warnings().size(), env.warnings().toString());
        assertTrue(env.warnings().get(0).startsWith("[package.metadata.lambda.watch] of package p (/ws/p/Cargo.toml): its env, env_var and env_file"),
                env.warnings().get(0));
    }
}
