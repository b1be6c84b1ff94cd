import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * build-lambda-smart for real, through the catalog: the docker client here has no engine, so it falls
 * back to the native build (the workspace names its linker, as in NativeBuildTest); with podman as the
 * engine the docker build succeeds first.
 */
class SmartBuildTest {
    /** No engine for the docker client: DOCKER_HOST and CONTAINER_ENGINE unset. */
    static Map<String, String> env() {
        Map<String, String> env = Fixtures.Native.env();
        env.put("DOCKER_HOST", null);
        env.put("DOCKER_CONTEXT", null);
        env.put("CONTAINER_ENGINE", null);
        env.put("BUILD_LAMBDA_IMAGE", null);
        return env;
    }

    static Proc smart(Map<String, String> env, String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "build-lambda-smart@.";
        System.arraycopy(args, 0, a, 1, args.length);
        return Proc.jbang(env, a);
    }

    static Path nativeWorkspace(String name) throws IOException {
        return Fixtures.Native.workspace(name, "fn main() { println!(\"" + name + "\"); }\n", true);
    }

    @Test
    void withNoDockerEngineItFallsBackToNativeAndSaysWhyInOneLine() throws IOException {
        Path ws = nativeWorkspace("smart-fn");
        Proc p = smart(env(), "--manifest-path", ws.resolve("Cargo.toml").toString(), "--target", Fixtures.Native.TARGET);
        assertEquals(0, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-smart: built with native, after docker failed: docker engine not reachable: "
                + "Cannot connect to the Docker daemon"), last);
        assertTrue(last.endsWith("(exit 4)"), last);
        assertTrue(p.err.indexOf("trying docker (build-lambda-docker)") < p.err.indexOf("trying native (build-lambda-native)"), p.err);
        assertTrue(Files.isRegularFile(ws.resolve("target/lambda/smart-fn/bootstrap")));
        assertTrue(p.out.lines().anyMatch(l -> l.startsWith("smart-fn ")), "the native build's report: " + p.out);
    }

    @Test
    void orderPutsNativeFirstAndStopsAtTheFirstSuccess() throws IOException {
        Path ws = nativeWorkspace("ordered-fn");
        Proc p = smart(env(), "--order", "native,docker", "--manifest-path", ws.resolve("Cargo.toml").toString(), "--target",
                Fixtures.Native.TARGET, "--json");
        assertEquals(0, p.exit, p.toString());
        assertEquals("build-lambda-smart: built with native", Asserts.lastLine(p.err));
        assertFalse(p.err.contains("trying docker"), p.err);
        assertTrue(p.out.trim().startsWith("{\"builder\":\"cargo build\""), "stdout is the native build's JSON only: " + p.out);
    }

    @Test
    void containerOptionsGoToTheDockerBuildOnly() throws IOException {
        // docker (podman here) cannot find the image; native never sees --image, so it builds.
        Path ws = nativeWorkspace("routed-fn");
        Map<String, String> env = env();
        env.putAll(ContainerImage.env());
        Proc p = smart(env, "--manifest-path", ws.resolve("Cargo.toml").toString(), "--engine", "podman",
                "--image=localhost/build-lambda-missing:none", "--target", Fixtures.Native.TARGET);
        assertEquals(0, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-smart: built with native, after docker failed: image localhost/build-lambda-missing:none "
                + "is not available"), last);
        assertTrue(last.endsWith("(exit 5)"), last);
    }

    @Test
    void withAnEngineTheDockerBuildIsTheOneThatBuilds() {
        assertEquals(0, ContainerBuild.first().exit, "std is built once, by the shared container build");
        Map<String, String> env = new HashMap<>(ContainerBuild.env());
        env.put("CONTAINER_ENGINE", "podman");
        env.put("BUILD_LAMBDA_IMAGE", ContainerImage.tag());
        Proc p = smart(env, "--manifest-path", ContainerBuild.workspace().resolve("Cargo.toml").toString(), "--bin", "greet-fn");
        assertEquals(0, p.exit, p.toString());
        assertEquals("build-lambda-smart: built with docker", Asserts.lastLine(p.err));
        assertFalse(p.err.contains("trying native"), p.err);
    }

    @Test
    void aUsageErrorStopsAtOnce() {
        Proc p = smart(env(), "--frobnicate");
        assertEquals(2, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-smart: stopped: docker failed: Unknown option: '--frobnicate'"), last);
        assertTrue(last.endsWith("a usage error is the same for every build, so no other was tried"), last);
        assertFalse(p.err.contains("trying native"), p.err);
    }

    @Test
    void whenEveryBuildFailsItExitsWithTheLastCodeAndGivesEveryReason() throws IOException {
        Path ws = Fixtures.Native.workspace("smart-broken", "fn main() { let x: u32 = \"no\"; println!(\"{x}\"); }\n", true);
        Proc p = smart(env(), "--manifest-path", ws.resolve("Cargo.toml").toString(), "--target", Fixtures.Native.TARGET);
        assertEquals(101, p.exit, p.toString());
        String last = Asserts.lastLine(p.err);
        assertTrue(last.startsWith("build-lambda-smart: no build succeeded: docker failed: docker engine not reachable: "), last);
        assertTrue(last.contains("(exit 4); native failed: the build step failed (cargo build exited with 101)"), last);
        assertTrue(last.endsWith("(exit 101)"), last);
    }

    @Test
    void anUnknownBuildInOrderIsAUsageError() {
        Proc p = smart(env(), "--order", "docker,podman");
        assertEquals(2, p.exit, p.toString());
        assertTrue(p.err.startsWith("build-lambda-smart: unknown build 'podman' in --order (use zig, docker, native)"), p.err);
        assertFalse(p.err.contains("trying"), p.err);
    }

    @Test
    @org.junit.jupiter.api.Tag("fast")
    void argumentsSplitIntoSmartsOwnTheDockerOnesAndTheRestInOrder() {
        CommandSpec own = CommandSpec.create()
                .addOption(OptionSpec.builder("--order").arity("1").build())
                .addOption(OptionSpec.builder("--catalog").arity("1").build())
                .addOption(OptionSpec.builder("-h", "--help").arity("0").build());
        SmartArgs a = SmartArgs.split(new String[]{"--bin", "b1", "--order", "native,docker", "--image=img:1", "-e", "A=1", "-eB=2",
                "--engine", "podman", "--json", "--catalog=/c", "-p", "pkg", "--", "--image", "to-cargo"}, own);
        assertEquals(List.of("--order", "native,docker", "--catalog=/c"), a.own);
        assertEquals(List.of("--image=img:1", "-e", "A=1", "-eB=2", "--engine", "podman"), a.dockerOnly);
        assertEquals(List.of("--bin", "b1", "--json", "-p", "pkg", "--", "--image", "to-cargo"), a.forwarded);
    }
}
