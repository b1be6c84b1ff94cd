import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The GitHub Actions workflow, checked by the real actionlint (which runs shellcheck on every `run:`). */
class WorkflowTest {
    static final Path WORKFLOW = Repo.ROOT.resolve(".github/workflows/lambda.yml");

    @Test
    void actionlintPassesTheWorkflow() {
        Proc p = Proc.run(Repo.ROOT, null, List.of("actionlint", "-no-color", WORKFLOW.toString()));
        assertEquals(0, p.exit, "actionlint:\n" + p.out + p.err);
    }

    /** actionlint really checks (a typo and an unquoted variable are caught), so the pass above means something. */
    @Test
    void actionlintCatchesABrokenCopy() throws IOException {
        Path dir = Files.createDirectories(Repo.scratch("workflow").resolve(".github/workflows"));
        String text = Files.readString(WORKFLOW);
        Path typo = dir.resolve("typo.yml");
        Files.writeString(typo, text.replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"));
        Proc p = Proc.run(dir, null, List.of("actionlint", "-no-color", typo.toString()));
        assertEquals(1, p.exit, p.out + p.err);
        assertTrue(p.out.contains("runs_on"), p.out);
        Path unquoted = dir.resolve("unquoted.yml");
        Files.writeString(unquoted, text.replace("run: python -m pip install \"ziglang==$ZIG_VERSION\"", "run: python -m pip install ziglang==$ZIG_VERSION"));
        assertNotEquals(text, Files.readString(unquoted), "the replaced line is no longer in the workflow");
        p = Proc.run(dir, null, List.of("actionlint", "-no-color", unquoted.toString()));
        assertEquals(1, p.exit, p.out + p.err);
        assertTrue(p.out.contains("shellcheck") && p.out.contains("SC2086"), "shellcheck did not run:\n" + p.out);
    }

    /** Same versions as the buildspec and setup.sh; the cache is keyed on Cargo.lock. */
    @Test
    void pinsTheBuildspecsVersionsAndKeysTheCacheOnCargoLock() throws IOException {
        Map<String, Object> wf = CodeBuildRun.parse(WORKFLOW);
        Map<String, Object> env = CodeBuildRun.map(wf.get("env"), "env");
        Map<String, Object> vars = CodeBuildRun.map(CodeBuildRun.map(CodeBuildRun.parse(BuildspecTest.BUILDSPEC).get("env"), "env").get("variables"), "variables");
        for (String k : List.of("RUST_VERSION", "ZIG_VERSION", "CARGO_ZIGBUILD_VERSION", "MANIFEST_PATH")) {
            assertEquals(vars.get(k), env.get(k), k);
        }
        assertTrue(Files.readString(WORKFLOW).contains("hashFiles('**/Cargo.lock')"), "the cache key does not follow Cargo.lock");
    }
}
