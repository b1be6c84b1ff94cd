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

/**
 * The project's package.json, run by real pnpm. The scripts name examples/Cargo.toml; the example's AWS SDK crates
 * take minutes to build (and :clean and build:native would build them twice more), so they run in a checkout of
 * their own: every top-level entry of this repository linked in, with examples/ a copy of the chat-lite fixture
 * (the same five function names), into the target folder the lite tests share.
 */
class PnpmScriptsTest {
    static final List<String> GUIDE_SCRIPTS = List.of("build", "build:lambda", "build:lambda:clean", "build:lambda:docker",
            "build:lambda:native", "build:lambda:smart", "build:native", "dev", "dev:release");

    private static Path checkout;

    static synchronized Path checkout() throws IOException {
        if (checkout == null) {
            Path dir = Repo.scratch("pnpm-checkout");
            try (var entries = Files.list(Repo.ROOT)) {
                for (Path e : entries.toList()) {
                    String n = e.getFileName().toString();
                    if (List.of("examples", "target", ".git", "cdk").contains(n)) continue;
                    Files.createSymbolicLink(dir.resolve(n), e);
                }
            }
            PackagingTest.copyTree(LiteBuild.WORKSPACE, dir.resolve("examples"));
            checkout = dir;
        }
        return checkout;
    }

    static Proc pnpm(String script) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(LiteBuild.env());
        return Proc.run(checkout(), env, List.of("pnpm", "--silent", script));
    }

    @Test
    void buildLambdaThenCleanThenNative() throws IOException {
        assertEquals(0, LiteBuild.get().exit, "the shared chat-lite build failed");
        Proc b = pnpm("build:lambda");
        assertEquals(0, b.exit, b.out + b.err);
        for (String f : LiteBuild.FUNCTIONS) assertTrue(b.out.contains(f + " "), f + " not in the report:\n" + b.out);

        Path stale = LiteBuild.LAMBDA.resolve("removed-function/bootstrap");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "old");
        Proc c = pnpm("build:lambda:clean");
        assertEquals(0, c.exit, c.out + c.err);
        assertFalse(Files.exists(stale), "build:lambda:clean left a stale bootstrap");
        Proc v = Proc.jbang(null, "verify-elf@.", LiteBuild.LAMBDA.toString());
        assertEquals(0, v.exit, v.out + v.err);
        assertTrue(v.out.contains(LiteBuild.FUNCTIONS.size() + " files checked"), v.out);

        Proc n = pnpm("build:native");
        assertEquals(0, n.exit, n.out + n.err);
        String hostArch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86-64";
        for (String f : LiteBuild.FUNCTIONS) {
            Path bin = LiteBuild.TARGET.resolve("debug").resolve(f);
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

    /** `pnpm dev` watches (the dev build), `pnpm dev:release` serves the release build, here and in what lambda-init writes. */
    @Test
    @Tag("fast")
    void devWatchesAndDevReleaseRebuildsTheReleaseArtifact() throws IOException {
        com.eclipsesource.json.JsonObject scripts = com.eclipsesource.json.Json.parse(Files.readString(Repo.ROOT.resolve("package.json")))
                .asObject().get("scripts").asObject();
        Map<String, String> init = WorkspaceInit.scripts(new ToolsRef("tools", null));
        for (Map<String, String> s : List.of(Map.of("dev", scripts.getString("dev", ""), "dev:release", scripts.getString("dev:release", "")), init)) {
            List<String> dev = List.of(s.get("dev").split(" ")), release = List.of(s.get("dev:release").split(" "));
            assertTrue(dev.containsAll(List.of("--serve", "--watch")) && !dev.contains("--release"), "dev: " + dev);
            assertTrue(release.containsAll(List.of("--serve", "--watch", "--release")), "dev:release: " + release);
            assertEquals(String.join(" ", dev).replace(" --watch", " --watch --release"), String.join(" ", release),
                    "dev:release is dev with --release");
        }
    }
}
