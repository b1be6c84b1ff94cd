import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scripts used from a workspace in another folder, with nothing copied into it: lambda-init writes the pnpm
 * scripts, the buildspec and a .gitignore line; the workspace then builds with real pnpm; a catalog added to JBang
 * by name runs them from anywhere.
 */
class AnyWorkspaceTest {
    /** A copy of the chat-lite fixture (the example's functions, no dependencies) in a folder of its own, without its target folder. */
    static Path workspace(String name) throws IOException {
        Path ws = Repo.scratch(name);
        PackagingTest.copyTree(LiteBuild.WORKSPACE, ws);
        return ws;
    }

    static Proc init(Path ws, String ref, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Repo.ROOT.resolve("jbang").toString(), "lambda-init@" + ref));
        cmd.addAll(List.of(args));
        return Proc.run(ws, Map.of("NO_COLOR", "1"), cmd);
    }

    @Test
    void initWritesScriptsAndTheWorkspaceBuildsWithPnpm() throws IOException {
        Path ws = workspace("elsewhere");
        Proc p = init(ws, Repo.ROOT.toString());
        assertEquals(0, p.exit, p.out + p.err);
        String pkg = Files.readString(ws.resolve("package.json"));
        assertTrue(pkg.contains("\"build:lambda\": \"" + Repo.ROOT + "/jbang build-lambda@" + Repo.ROOT + "\""), pkg);
        assertTrue(pkg.contains("\"build:native\": \"cargo build --bins\""), pkg);
        Map<String, Object> spec = CodeBuildRun.parse(ws.resolve("buildspec.yml"));
        assertEquals("Cargo.toml", CodeBuildRun.map(CodeBuildRun.map(spec.get("env"), "env").get("variables"), "variables").get("MANIFEST_PATH"));
        assertEquals("target/lambda", CodeBuildRun.map(spec.get("artifacts"), "artifacts").get("base-directory"));
        assertTrue(p.err.contains("CodeBuild will not have"), "the absolute path is not flagged:\n" + p.err);
        assertEquals("/target/\n", Files.readString(ws.resolve(".gitignore")));

        Proc build = Proc.run(ws, Map.of("NO_COLOR", "1"), List.of("pnpm", "build:lambda"));
        assertEquals(0, build.exit, build.out + build.err);
        for (String f : LiteBuild.FUNCTIONS) {
            ElfInfo i = ElfReader.read(ws.resolve("target/lambda").resolve(f).resolve("bootstrap"));
            assertEquals("aarch64", i.arch(), f);
            assertEquals("static", i.linkage, f);
        }
        Proc verify = Proc.run(ws, Map.of("NO_COLOR", "1"), List.of("pnpm", "verify:lambda"));
        assertEquals(0, verify.exit, verify.out + verify.err);
        assertTrue(verify.out.contains("5 files checked: 5 OK"), verify.out);
        // Nothing of the scripts was copied in.
        try (Stream<Path> s = Files.walk(ws)) {
            List<String> copied = s.map(Path::toString).filter(n -> n.endsWith(".java") || n.endsWith("jbang-catalog.json") || n.endsWith("/jbang")).toList();
            assertEquals(List.of(), copied);
        }
    }

    @Test
    void initNeverOverwritesAndASecondRunChangesNothing() throws IOException {
        Path ws = workspace("init-keeps");
        String mine = "{\n  \"name\": \"mine\",\n  \"scripts\": {\n    \"dev\": \"vite\"\n  }\n}\n";
        Files.writeString(ws.resolve("package.json"), mine);
        Files.writeString(ws.resolve("buildspec.yml"), "version: 0.2\n# mine\n");
        Files.writeString(ws.resolve(".gitignore"), "node_modules\ntarget\n");
        Proc p = init(ws, Repo.ROOT.toString());
        assertEquals(0, p.exit, p.out + p.err);
        String pkg = Files.readString(ws.resolve("package.json"));
        assertTrue(pkg.contains("\"dev\": \"vite\""), "the user's dev script was replaced:\n" + pkg);
        assertTrue(pkg.contains("\"build:lambda\":"), pkg);
        assertTrue(p.err.contains("kept your \"dev\""), p.err);
        assertEquals("version: 0.2\n# mine\n", Files.readString(ws.resolve("buildspec.yml")));
        assertEquals("node_modules\ntarget\n", Files.readString(ws.resolve(".gitignore")));
        Proc again = init(ws, Repo.ROOT.toString());
        assertEquals(0, again.exit, again.err);
        assertEquals(pkg, Files.readString(ws.resolve("package.json")), "a second run changed package.json");
        assertTrue(again.err.contains("nothing to add"), again.err);
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        Path empty = Repo.scratch("init-no-cargo");
        Proc p = init(empty, Repo.ROOT.toString());
        assertEquals(2, p.exit, p.err);
        assertTrue(p.err.contains("no Cargo.toml in"), p.err);
        Asserts.assertNoTrace(p);
        try (Stream<Path> s = Files.list(empty)) {
            assertEquals(0, s.count(), "files were written");
        }
        Path ws = workspace("init-bad-json");
        Files.writeString(ws.resolve("package.json"), "{ \"scripts\": ");
        p = init(ws, Repo.ROOT.toString());
        assertEquals(2, p.exit, p.err);
        assertTrue(p.err.contains("cannot read") && p.err.contains("package.json"), p.err);
        Asserts.assertNoTrace(p);
        assertFalse(Files.exists(ws.resolve("buildspec.yml")) || Files.exists(ws.resolve(".gitignore")), "files were written after the error");
        p = init(ws, Repo.ROOT.toString(), "--tools", ws.toString());
        assertEquals(2, p.exit, p.err);
        assertTrue(p.err.contains("no jbang-catalog.json"), p.err);
    }

    /** Scripts vendored into the workspace (a git submodule) are written relative to it, and run from there. */
    @Test
    void toolsInsideTheWorkspaceAreReachedByARelativePath() throws IOException {
        Path ws = workspace("init-vendored");
        CodeBuildRun.copyCheckout(Repo.ROOT, ws.resolve("tools/lambda"));
        Proc p = Proc.run(ws, Map.of("NO_COLOR", "1"), List.of(ws.resolve("tools/lambda/jbang").toString(), "lambda-init@tools/lambda"));
        assertEquals(0, p.exit, p.out + p.err);
        String pkg = Files.readString(ws.resolve("package.json"));
        assertTrue(pkg.contains("\"doctor:lambda\": \"./tools/lambda/jbang doctor@tools/lambda\""), pkg);
        assertEquals("tools/lambda", CodeBuildRun.map(CodeBuildRun.map(CodeBuildRun.parse(ws.resolve("buildspec.yml")).get("env"), "env")
                .get("variables"), "variables").get("LAMBDA_TOOLS"));
        assertFalse(p.err.contains("CodeBuild will not have"), p.err);
        Proc doctor = Proc.run(ws, Map.of("NO_COLOR", "1"), List.of("pnpm", "doctor:lambda"));
        assertEquals(0, doctor.exit, doctor.out + doctor.err);
        assertTrue(doctor.out.contains("cargo-zigbuild"), doctor.out);
    }

    /** `jbang catalog add` once, then ALIAS@NAME from any folder; lambda-init --catalog writes scripts that use it. */
    @Test
    void aCatalogAddedByNameRunsTheScriptsFromAnyFolder() throws IOException {
        Path jbangDir = Repo.scratch("jbang-dir");
        Map<String, String> env = new HashMap<>();
        env.put("JBANG_DIR", jbangDir.toString());
        env.put("JBANG_CACHE_DIR", Path.of(System.getProperty("user.home"), ".jbang", "cache").toString());
        env.put("NO_COLOR", "1");
        // `jbang` on PATH is this project's wrapper, as if JBang were installed.
        env.put("PATH", Repo.ROOT + ":" + System.getenv("PATH"));
        String jbang = Repo.ROOT.resolve("jbang").toString();
        String projectCatalog = Files.readString(Repo.ROOT.resolve("jbang-catalog.json"));
        Path ws = workspace("by-catalog");
        Proc add = Proc.run(ws, env, List.of(jbang, "catalog", "add", "--global", "--name", "rust-lambda", Repo.ROOT.resolve("jbang-catalog.json").toString()));
        assertEquals(0, add.exit, add.out + add.err);
        assertTrue(Files.readString(jbangDir.resolve("jbang-catalog.json")).contains("rust-lambda"), "the catalog was not added to JBANG_DIR");
        assertEquals(projectCatalog, Files.readString(Repo.ROOT.resolve("jbang-catalog.json")), "catalog add changed the project's own catalog");
        assertEquals(0, LiteBuild.get().exit, "the shared example build failed");
        Proc verify = Proc.run(ws, env, List.of(jbang, "verify-elf@rust-lambda", LiteBuild.bootstrap("backend").toString()));
        assertEquals(0, verify.exit, verify.out + verify.err);
        Proc init = Proc.run(ws, env, List.of(jbang, "lambda-init@rust-lambda", "--catalog", "rust-lambda"));
        assertEquals(0, init.exit, init.out + init.err);
        assertTrue(Files.readString(ws.resolve("package.json")).contains("\"doctor:lambda\": \"jbang doctor@rust-lambda\""));
        Proc doctor = Proc.run(ws, env, List.of("pnpm", "doctor:lambda"));
        assertEquals(0, doctor.exit, doctor.out + doctor.err);
    }

    @Test
    @Tag("fast")
    void toolsRefsAreRelativeInsideTheWorkspaceAndQuoted() throws IOException {
        Path ws = Repo.scratch("tools-ref");
        Path inside = Files.createDirectories(ws.resolve("my tools"));
        Files.writeString(inside.resolve("jbang-catalog.json"), "{}");
        Files.writeString(inside.resolve("build-lambda.java"), "");
        ToolsRef r = ToolsRef.of(ws, ws, Path.of("my tools"), null, null);
        assertTrue(r.portable());
        assertEquals("./'my tools'/jbang build-lambda@'my tools'", r.command("build-lambda"));
        ToolsRef abs = ToolsRef.of(ws, ws, null, null, Repo.ROOT.toString());
        assertFalse(abs.portable());
        assertEquals(Repo.ROOT + "/jbang doctor@" + Repo.ROOT, abs.command("doctor"));
        assertEquals("jbang doctor@team", ToolsRef.of(ws, ws, null, "team", null).command("doctor"));
        Cli.UserError e = assertThrows(Cli.UserError.class, () -> ToolsRef.of(ws, ws, null, null, null));
        assertEquals(ExitCode.USAGE.code, e.exitCode);
        String spec = WorkspaceInit.buildspec(Files.readString(BuildspecTest.BUILDSPEC), r);
        assertTrue(spec.contains("LAMBDA_TOOLS: \"my tools\"") && spec.contains("base-directory: target/lambda"), spec);
    }
}
