import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The project's package.json, run by real pnpm on the example, into the target folder the build tests share. */
class PnpmScriptsTest {
    static final List<String> GUIDE_SCRIPTS = List.of("build", "build:lambda", "build:lambda:clean", "build:lambda:docker",
            "build:lambda:native", "build:lambda:smart", "build:native", "dev");

    static Proc pnpm(String script) {
        Map<String, String> env = new java.util.HashMap<>(ExampleBuild.env());
        return Proc.run(Repo.ROOT, env, List.of("pnpm", "--silent", script));
    }

    @Test
    void buildLambdaThenCleanThenNative() throws IOException {
        assertEquals(0, ExampleBuild.get().exit, "the shared example build failed");
        Proc b = pnpm("build:lambda");
        assertEquals(0, b.exit, b.out + b.err);
        for (String f : ExampleBuild.FUNCTIONS) assertTrue(b.out.contains(f + " "), f + " not in the report:\n" + b.out);

        Path stale = ExampleBuild.LAMBDA.resolve("removed-function/bootstrap");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "old");
        Proc c = pnpm("build:lambda:clean");
        assertEquals(0, c.exit, c.out + c.err);
        assertFalse(Files.exists(stale), "build:lambda:clean left a stale bootstrap");
        Proc v = Proc.jbang(null, "verify-elf@.", ExampleBuild.LAMBDA.toString());
        assertEquals(0, v.exit, v.out + v.err);
        assertTrue(v.out.contains(ExampleBuild.FUNCTIONS.size() + " files checked"), v.out);

        Proc n = pnpm("build:native");
        assertEquals(0, n.exit, n.out + n.err);
        String hostArch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86-64";
        for (String f : ExampleBuild.FUNCTIONS) {
            Path bin = ExampleBuild.TARGET.resolve("debug").resolve(f);
            assertTrue(Files.isExecutable(bin), bin + " missing");
            String file = Proc.run(Repo.ROOT, "file", "-b", bin.toString()).out;
            assertTrue(file.contains(hostArch), f + " is not built for this host: " + file);
        }
    }

    /** Every script of the guide is there; each that runs a script does so through ./jbang and an alias the catalog has. */
    @Test
    @Tag("fast")
    void everyGuideScriptIsThereAndCallsTheWrapper() throws IOException {
        String pkg = Files.readString(Repo.ROOT.resolve("package.json"));
        String catalog = Files.readString(Repo.ROOT.resolve("jbang-catalog.json"));
        Matcher m = Pattern.compile("\"([a-z:]+)\": \"([^\"]*)\"").matcher(pkg.substring(pkg.indexOf("\"scripts\"")));
        Set<String> names = new java.util.HashSet<>();
        while (m.find()) {
            names.add(m.group(1));
            String cmd = m.group(2);
            if (cmd.contains("jbang")) {
                assertTrue(cmd.startsWith("./jbang "), m.group(1) + " does not call ./jbang: " + cmd);
                String alias = cmd.split(" ")[1].replace("@.", "");
                assertTrue(catalog.contains("\"" + alias + "\":"), alias + " is not in jbang-catalog.json");
            }
        }
        assertTrue(names.containsAll(GUIDE_SCRIPTS), "missing: " + GUIDE_SCRIPTS.stream().filter(s -> !names.contains(s)).toList());
    }
}
