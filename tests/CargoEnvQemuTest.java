import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each function's environment for real: tests/fixtures/env-vars built for ARM64 and run under qemu by
 * invoke-lambda (one event) and --serve (the Invoke API of the gateway's pool). Its two functions answer with
 * their LEVEL_n variables, each set by the n weakest sources (workspace table, workspace bin table, package
 * table, package bin table, --env-file, --env), so each value names the source that won.
 */
class CargoEnvQemuTest {
    static final String MANIFEST = "tests/fixtures/env-vars/Cargo.toml";
    private static Proc built;

    static synchronized Path lambda() {
        if (built == null) built = Proc.jbang(InvokeFixtures.env(), "build-lambda@.", "--manifest-path", MANIFEST);
        if (built.exit != 0) throw new AssertionError("building tests/fixtures/env-vars failed: " + built);
        return InvokeFixtures.LAMBDA;
    }

    static Path envFile() throws Exception {
        Path f = Repo.scratch("env-file").resolve(".env.local");
        Files.writeString(f, "# as cargo-lambda reads it\nLEVEL_5=file\nexport LEVEL_6 = 'file'\n");
        return f;
    }

    static Map<String, String> answer(String json) {
        Map<String, String> m = new java.util.TreeMap<>();
        JsonObject o = Json.parse(json).asObject();
        for (JsonObject.Member e : o) m.put(e.getName(), e.getValue().asString());
        return m;
    }

    static final Map<String, String> TWO = Map.of("LEVEL_1", "workspace", "LEVEL_2", "workspace-bin", "LEVEL_3", "package",
            "LEVEL_4", "package-bin", "LEVEL_5", "file", "LEVEL_6", "flag");
    static final Map<String, String> ONE = Map.of("LEVEL_1", "workspace", "LEVEL_2", "workspace", "LEVEL_3", "package",
            "LEVEL_4", "package", "LEVEL_5", "file", "LEVEL_6", "flag");

    @Test
    void invokeLambdaGivesEachFunctionItsTablesThenTheFileThenEnv() throws Exception {
        Path dir = lambda();
        Path file = envFile();
        for (var fn : Map.of("env-two", TWO, "env-one", ONE).entrySet()) {
            Proc p = InvokeFixtures.invoke(fn.getKey(), "--lambda-dir", dir.toString(), "--manifest-path", MANIFEST,
                    "--env-file", file.toString(), "--env", "LEVEL_6=flag");
            assertEquals(0, p.exit, p.toString());
            assertEquals(fn.getValue(), answer(p.out), fn.getKey());
            assertTrue(p.err.contains(fn.getKey() + " ran under qemu-aarch64-static"), p.err);
        }
        Proc noFlag = InvokeFixtures.invoke("env-two", "--manifest-path", MANIFEST, "--lambda-dir", dir.toString());
        assertEquals(0, noFlag.exit, noFlag.toString());
        assertEquals(Map.of("LEVEL_1", "workspace", "LEVEL_2", "workspace-bin", "LEVEL_3", "package", "LEVEL_4", "package-bin",
                "LEVEL_5", "package-bin", "LEVEL_6", "package-bin"), answer(noFlag.out), "the tables alone");
    }

    @Test
    void withTheLambdaDirAloneNoWorkspaceIsReadAndOnlyTheFileAndEnvCount() throws Exception {
        Proc p = InvokeFixtures.invoke("env-one", "--lambda-dir", lambda().toString(), "--env-file", envFile().toString(),
                "--env", "LEVEL_1=flag");
        assertEquals(0, p.exit, p.toString());
        assertEquals(Map.of("LEVEL_1", "flag", "LEVEL_5", "file", "LEVEL_6", "file"), answer(p.out));
    }

    @Test
    void theGatewaysPoolStartsEachFunctionWithTheSameEnvironment() throws Exception {
        Path dir = lambda();
        List<String> args = new ArrayList<>(List.of("--lambda-dir", dir.toString(), "--manifest-path", MANIFEST,
                "--env-file", envFile().toString(), "--env", "LEVEL_6=flag"));
        try (GatewayServer gw = new GatewayServer(args)) {
            for (var fn : Map.of("env-two", TWO, "env-one", ONE).entrySet()) {
                Proc c = Proc.run(Repo.ROOT, null, List.of("curl", "-sS", "--max-time", "120", "-X", "POST", "-d", "{}",
                        gw.url + "/2015-03-31/functions/" + fn.getKey() + "/invocations"));
                assertEquals(0, c.exit, c.toString());
                assertEquals(fn.getValue(), answer(c.out), fn.getKey() + " through --serve");
            }
        }
    }

    @Test
    void aMisspeltKeyStopsTheRunWithOneLineBeforeAnythingStarts() throws Exception {
        Path ws = Repo.scratch("env-misspelt");
        Files.createDirectories(ws.resolve("src"));
        Files.writeString(ws.resolve("src/main.rs"), "fn main() {}\n");
        Files.writeString(ws.resolve("Cargo.toml"), "[package]\nname = \"env-misspelt\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                + "[workspace]\n\n[package.metadata.lambda.evn]\nRUST_LOG = \"debug\"\n");
        Proc p = InvokeFixtures.invoke("env-one", "--lambda-dir", lambda().toString(), "--manifest-path", ws.resolve("Cargo.toml").toString(),
                "--local-aws");
        assertEquals(ExitCode.USAGE.code, p.exit, p.toString());
        assertEquals("invoke-lambda: unknown key 'evn' in [package.metadata.lambda] of package env-misspelt (" + ws.toRealPath().resolve("Cargo.toml")
                + "): the keys there are bin, build, deploy, env, watch (docs/reference/cargo-metadata.md); fix or remove it", p.err.strip());
        assertFalse(Pattern.compile("moto|ran under").matcher(p.err).find(), "neither the local AWS nor the function started: " + p.err);
    }
}
