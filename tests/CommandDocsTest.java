import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** docs/commands/*.md and docs/reference/exit-codes.md are what the commands' own picocli specs render now. */
@Tag("fast")
class CommandDocsTest {
    @Test
    void everyCommandPageAndTheExitCodePageMatchTheSpecs() throws IOException {
        Map<String, String> pages = CommandPages.render(Repo.ROOT);
        List<String> stale = CommandPages.stale(Repo.ROOT, pages);
        List<String> orphans = CommandPages.orphans(Repo.ROOT, pages);
        assertTrue(stale.isEmpty() && orphans.isEmpty(), "stale: " + stale + ", without a command: " + orphans
                + "; refresh them with " + CommandPages.REFRESH + " (from the repository root) and commit the pages");
    }

    @Test
    void everyCatalogAliasHasAPageWithItsUsageOptionsAndExitCodes() throws IOException {
        Map<String, String> pages = CommandPages.render(Repo.ROOT);
        String catalog = Files.readString(Repo.ROOT.resolve("jbang-catalog.json"));
        for (String alias : CommandPages.COMMANDS.keySet()) {
            assertTrue(catalog.contains("\"" + alias + "\""), alias + " is not a catalog alias");
            String page = pages.get("docs/commands/" + alias + ".md");
            assertNotNull(page, "no page for " + alias);
            assertTrue(page.contains("```text\n" + alias + " "), alias + ": the synopsis");
            assertTrue(page.contains("| `-h, --help` |"), alias + ": the options table");
            assertTrue(page.contains("| 0 | " + ExitCode.OK.meaning), alias + ": exit codes in ExitCode's words");
            assertTrue(page.contains("| 70 | "), alias + ": every command names its internal-error code");
        }
        assertTrue(pages.get("docs/reference/exit-codes.md").contains("| 6 | " + ExitCode.FUNCTION_CRASHED.meaning
                + " | [invoke-lambda](../commands/invoke-lambda.md) |"), "the reference page says who returns a code");
    }

    @Test
    void aStalePageIsNamed() throws IOException {
        Map<String, String> pages = new java.util.LinkedHashMap<>(CommandPages.render(Repo.ROOT));
        pages.put("docs/commands/doctor.md", pages.get("docs/commands/doctor.md") + "\nchanged\n");
        assertEquals(List.of("docs/commands/doctor.md"), CommandPages.stale(Repo.ROOT, pages));
    }
}
