import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ./jbang wrapper's launch cache, on a copy of the project: a kept command line is used while nothing
 * it depends on changed, and never after an edit to the script or to any file its //SOURCES name.
 */
class LaunchCacheTest {
    @Test
    void anEditToTheScriptOrAnyOfItsSourcesIsPickedUpAndAMissingJarIsRebuilt() throws IOException {
        Path copy = Repo.scratch("launch-cache").resolve("project");
        Files.createDirectories(copy);
        for (String f : List.of("jbang", "jbang-catalog.json", "verify-elf.java", "build-lambda.java", "lib")) {
            assertEquals(0, Proc.run(Repo.ROOT, "cp", "-r", Repo.ROOT.resolve(f).toString(), copy.resolve(f).toString()).exit);
        }
        // A wrapper home of its own, sharing the JBang jars the real one fetched (no second Maven fetch).
        Path home = Repo.scratch("launch-home"), version = home.resolve("0.132.1");
        Files.createDirectories(version);
        Files.createSymbolicLink(version.resolve("lib"), realWrapperHome().resolve("lib"));
        Files.writeString(version.resolve("ready"), "");
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");

        for (int i = 0; i < 3; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        List<Path> kept = kept(version, "verify-elf");
        assertEquals(1, kept.size(), "one kept line for the unchanged script: " + kept);

        Path script = copy.resolve("verify-elf.java");
        Files.writeString(script, Files.readString(script).replace("System.exit(", "System.out.print(\"edited \"); System.exit("));
        assertEquals("edited verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip(), "an edit to the script itself");
        run(copy, env, "verify-elf@.", "--version");
        assertEquals(2, kept(version, "verify-elf").size(), "the edited script has a key of its own");

        // build-lambda's //SOURCES name lib/pipeline/*.java: an edit there is picked up too.
        for (int i = 0; i < 2; i++) assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build"));
        Path options = copy.resolve("lib/pipeline/BuildOptions.java");
        Files.writeString(options, Files.readString(options).replace("the Cargo.toml to build", "the Cargo.toml to build (edited)"));
        assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build (edited)"), "an edit to a sourced file");

        // A kept line whose jar was removed (a cleared JBang cache) is not used: JBang builds the jar again.
        run(copy, env, "build-lambda@.", "--help");
        Matcher jar = Pattern.compile("[^:' ]*/\\.jbang/cache/jars/[^:' ]*\\.jar").matcher(Files.readString(kept(version, "build-lambda").get(0)));
        assertTrue(jar.find());
        Files.delete(Path.of(jar.group()));
        assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build (edited)"));
    }

    private static Proc run(Path dir, Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(dir.resolve("jbang").toString()));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(dir, env, cmd, 600);
        assertEquals(0, p.exit, p.toString());
        return p;
    }

    private static List<Path> kept(Path version, String alias) throws IOException {
        Path dir = version.resolve("launch");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(alias + "-") && p.toString().endsWith(".sh"))
                    .sorted((a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified())).toList();
        }
    }

    /** Where ./jbang keeps JBang's jars for this user, as the wrapper decides it. */
    private static Path realWrapperHome() {
        String base = System.getenv("JBANG_WRAPPER_HOME");
        if (base == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            base = (xdg != null ? xdg : System.getProperty("user.home") + "/.cache") + "/jbang-wrapper";
        }
        return Path.of(base, "0.132.1");
    }
}
