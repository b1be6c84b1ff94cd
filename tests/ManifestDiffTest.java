import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** `./jbang manifest-diff@. OLD NEW` as a pipeline runs it: on small manifests (fast), and on those of real builds. */
class ManifestDiffTest {
    static final String S1 = "1".repeat(64), S2 = "2".repeat(64), S3 = "3".repeat(64), S4 = "4".repeat(64);

    static Proc diff(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "manifest-diff@.";
        System.arraycopy(args, 0, all, 1, args.length);
        return Proc.jbang(null, all);
    }

    /** A manifest as build-lambda writes it, for functions given as name, sha256, name, sha256, ... */
    static Path manifest(Path dir, String file, String... nameSha) throws IOException {
        StringBuilder fs = new StringBuilder();
        for (int i = 0; i < nameSha.length; i += 2) {
            fs.append(i == 0 ? "" : ",\n  ").append(String.format("{\"name\":\"%s\",\"package\":\"%1$s\",\"arch\":\"aarch64\","
                    + "\"target\":\"aarch64-unknown-linux-musl\",\"bootstrap\":\"%1$s/bootstrap\",\"size\":1000,\"sha256\":\"%s\","
                    + "\"zip\":null,\"linkage\":\"static\",\"stripped\":true,\"smoke\":null}", nameSha[i], nameSha[i + 1]));
        }
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{\"functions\":[\n  " + fs + "\n],\"tools\":{\"rustc\":\"rustc 1.95.0\"}}\n");
        return p;
    }

    /** old: a, b, c, d; new: a unchanged, b changed, c removed, e added. */
    static Path[] pair() throws IOException {
        Path dir = Repo.scratch("manifest-diff");
        return new Path[]{manifest(dir, "old.json", "a", S1, "b", S2, "c", S3, "d", S4),
                manifest(dir, "new/manifest.json", "e", S4, "d", S4, "b", S3, "a", S1)};
    }

    /** The zip is what is deployed: a changed zip (an --include file) with the same bootstrap is a change; extensions are listed too. */
    @Test
    @Tag("fast")
    void aChangedZipIsAChangeAndExtensionsAreListed() throws IOException {
        Path dir = Repo.scratch("manifest-diff-zip");
        String f = "{\"name\":\"api\",\"arch\":\"aarch64\",\"bootstrap\":\"api/bootstrap\",\"sha256\":\"%s\",\"zip\":{\"path\":\"api/bootstrap.zip\",\"sha256\":\"%s\"}}";
        String x = "{\"name\":\"tel\",\"kind\":\"extension\",\"binary\":\"extensions/tel\",\"sha256\":\"%s\",\"zip\":null}";
        Path old = dir.resolve("old.json"), now = dir.resolve("new.json");
        Files.writeString(old, "{\"functions\":[" + String.format(f, S1, S2) + "],\"extensions\":[" + String.format(x, S3) + "]}");
        Files.writeString(now, "{\"functions\":[" + String.format(f, S1, S4) + "],\"extensions\":[" + String.format(x, S4) + "]}");
        Proc d = diff("--names", old.toString(), now.toString());
        assertEquals(0, d.exit, d.toString());
        assertEquals("api\nextensions/tel\n", d.out);
        Files.writeString(now, "{\"functions\":[" + String.format(f, S1, S2).replace(",\"zip\":{\"path\":\"api/bootstrap.zip\",\"sha256\":\"" + S2 + "\"}", ",\"zip\":null")
                + "],\"extensions\":[" + String.format(x, S3) + "]}");
        d = diff("--names", old.toString(), now.toString());
        assertEquals("", d.out, "the same bootstrap, now without a zip to compare, is unchanged");
    }

    /** A two-arch build lists each function per arch; each is its own entry, ARCH/NAME, as its folder is. */
    @Test
    @Tag("fast")
    void aTwoArchManifestKeysEachEntryByItsFolder() throws IOException {
        Path dir = Repo.scratch("manifest-diff-arch");
        String entry = "{\"name\":\"backend\",\"arch\":\"%s\",\"bootstrap\":\"%s/backend/bootstrap\",\"sha256\":\"%s\"}";
        Path old = dir.resolve("old.json"), now = dir.resolve("new.json");
        Files.writeString(old, "{\"functions\":[" + String.format(entry, "aarch64", "arm64", S1) + "," + String.format(entry, "x86_64", "x86_64", S2) + "]}");
        Files.writeString(now, "{\"functions\":[" + String.format(entry, "aarch64", "arm64", S1) + "," + String.format(entry, "x86_64", "x86_64", S3) + "]}");
        Proc d = diff("--names", old.toString(), now.toString());
        assertEquals(0, d.exit, d.toString());
        assertEquals("x86_64/backend\n", d.out);
    }

    @Test
    @Tag("fast")
    void theTableNamesEachChangeAndCountsThem() throws IOException {
        Path[] p = pair();
        Proc d = diff(p[0].toString(), p[1].toString());
        assertEquals(0, d.exit, d.toString());
        assertEquals(List.of(
                "FUNCTION  CHANGE     OLD SHA256    NEW SHA256",
                "a         unchanged  111111111111  111111111111",
                "b         changed    222222222222  333333333333",
                "c         removed    333333333333  -",
                "d         unchanged  444444444444  444444444444",
                "e         added      -             444444444444",
                "2 to deploy (1 added, 1 changed), 1 removed, 2 unchanged"), d.out.lines().collect(Collectors.toList()));
        assertEquals("", d.err);
    }

    @Test
    @Tag("fast")
    void namesPrintsWhatToDeployOnePerLineAndAcceptsALambdaFolder() throws IOException {
        Path[] p = pair();
        Proc d = diff("--names", p[0].toString(), p[1].getParent().toString());
        assertEquals(0, d.exit, d.toString());
        assertEquals("b\ne\n", d.out);
        assertEquals("", d.err);

        Proc same = diff("--names", p[1].toString(), p[1].toString());
        assertEquals(0, same.exit, same.toString());
        assertEquals("", same.out, "nothing changed: nothing to deploy");
    }

    @Test
    @Tag("fast")
    void jsonHasEveryFunctionAndTheDeployList() throws IOException {
        Path[] p = pair();
        Proc d = diff("--json", p[0].toString(), p[1].toString());
        assertEquals(0, d.exit, d.toString());
        JsonObject o = Json.parse(d.out).asObject();
        assertEquals("[\"b\",\"e\"]", o.get("deploy").toString());
        assertEquals("[\"c\"]", o.get("removed").toString());
        assertEquals(p[0].toString(), o.getString("old", ""));
        List<String> changes = o.get("functions").asArray().values().stream()
                .map(v -> v.asObject().getString("name", "") + "=" + v.asObject().getString("change", "")).collect(Collectors.toList());
        assertEquals(List.of("a=unchanged", "b=changed", "c=removed", "d=unchanged", "e=added"), changes);
        JsonObject c = o.get("functions").asArray().get(2).asObject();
        assertEquals(S3, c.getString("old_sha256", ""));
        assertTrue(c.get("new_sha256").isNull(), c.toString());
    }

    @Test
    @Tag("fast")
    void aMissingOldIsAnErrorUnlessAllowedThenEverythingIsAdded() throws IOException {
        Path[] p = pair();
        Path missing = p[0].resolveSibling("deployed.json");
        Proc d = diff(missing.toString(), p[1].toString());
        assertEquals(2, d.exit, d.toString());
        assertEquals("", d.out);
        assertEquals("manifest-diff: OLD manifest not found: " + missing
                + " (nothing deployed yet? --allow-missing-old treats every function as added)", d.err.strip());

        Proc allowed = diff("--names", "--allow-missing-old", missing.toString(), p[1].toString());
        assertEquals(0, allowed.exit, allowed.toString());
        assertEquals("a\nb\nd\ne\n", allowed.out);

        Proc newMissing = diff("--allow-missing-old", p[0].toString(), missing.toString());
        assertEquals(2, newMissing.exit, newMissing.toString());
        assertEquals("manifest-diff: NEW manifest not found: " + missing, newMissing.err.strip());
    }

    @Test
    @Tag("fast")
    void whatIsNotAManifestExitsTwoWithOneLine() throws IOException {
        Path[] p = pair();
        Path dir = p[0].getParent();
        Files.writeString(dir.resolve("text.json"), "not json at all");
        Files.writeString(dir.resolve("catalog.json"), "{\"aliases\":{}}");
        Files.writeString(dir.resolve("nosha.json"), "{\"functions\":[{\"name\":\"a\"}]}");
        manifest(dir, "twice.json", "a", S1, "a", S2);
        String[][] cases = {
                {"text.json", "is not a build-lambda manifest: not JSON ("},
                {"catalog.json", "is not a build-lambda manifest: no \"functions\" array"},
                {"nosha.json", "is not a build-lambda manifest: function 1 has no \"name\" and \"sha256\" (64 hex digits)"},
                {"twice.json", "is not a build-lambda manifest: it lists a twice"}};
        for (String[] c : cases) {
            Proc d = diff(dir.resolve(c[0]).toString(), p[1].toString());
            assertEquals(2, d.exit, d.toString());
            assertTrue(d.err.startsWith("manifest-diff: OLD " + dir.resolve(c[0]) + " " + c[1]), d.err);
            Asserts.assertNoTrace(d);
            assertEquals(1, d.err.strip().lines().count(), d.err);
            assertEquals("", d.out);
        }
        Proc both = diff("--names", "--json", p[0].toString(), p[1].toString());
        assertEquals(2, both.exit, both.toString());
        assertTrue(both.err.startsWith("manifest-diff: --names and --json exclude each other"), both.err);
    }

    @Test
    void onRealBuildsOnlyTheFunctionWhoseSourceChangedIsListed() {
        ZipBuilds b = ZipBuilds.get();
        Proc changed = diff("--names", b.bBefore.resolve("manifest.json").toString(), b.bAfter.resolve("manifest.json").toString());
        assertEquals(0, changed.exit, changed.toString());
        assertEquals(ZipBuilds.CHANGED + "\n", changed.out);

        Proc table = diff(b.bBefore.toString(), b.bAfter.toString());
        assertEquals(0, table.exit, table.toString());
        assertEquals("1 to deploy (0 added, 1 changed), 0 removed, 4 unchanged", Asserts.lastLine(table.out), table.out);

        // Two clean builds in different folders: the same bootstraps, nothing to deploy.
        Proc clean = diff(b.a.toString(), b.bBefore.toString());
        assertEquals(0, clean.exit, clean.toString());
        assertEquals("0 to deploy (0 added, 0 changed), 0 removed, 5 unchanged", Asserts.lastLine(clean.out), clean.out);
    }
}
