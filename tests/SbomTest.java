import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every bootstrap carries its crates (cargo-auditable's .dep-v0 section) and gets a CycloneDX file beside it: read
 * back by rust-audit-info (the crates.io reader scanners' Rust support is built on), validated by CycloneDX's own
 * Java library against the 1.6 schema, and checked against Cargo.lock.
 */
class SbomTest {
    private static final Path REAL = Repo.ROOT.resolve("tests/fixtures/real-runtime");

    @Test
    @Tag("fast")
    void theCycloneDxDocumentOfADependencyListValidatesAndCarriesLicencesChecksumsAndTheGraph() throws Exception {
        List<Sbom.Crate> crates = List.of(
                new Sbom.Crate("serde", "1.0.228", "crates.io", "runtime", List.of(), false),
                new Sbom.Crate("cc", "1.2.0", "crates.io", "build", List.of(), false),
                new Sbom.Crate("my-fn", "0.1.0", "local", "runtime", List.of(0, 1), true));
        Sbom.Facts facts = new Sbom.Facts(Map.of("serde@1.0.228", "MIT/Apache-2.0", "my-fn@0.1.0", "MIT"),
                Map.of("serde@1.0.228", "a".repeat(64), "my-fn@0.1.0", "b".repeat(64)));
        String doc = Sbom.render("my-fn/bootstrap", "c".repeat(64), crates, facts);
        assertEquals(List.of(), schemaProblems(doc));
        JsonObject bom = Json.parse(doc).asObject();
        JsonObject app = bom.get("metadata").asObject().get("component").asObject();
        assertEquals("my-fn", app.getString("name", null));
        assertNull(app.get("purl"), "a local crate is not the crates.io crate of its name: " + app);
        assertEquals("c".repeat(64), app.get("hashes").asArray().get(0).asObject().getString("content", null));
        JsonObject serde = component(bom, "serde");
        assertEquals("pkg:cargo/serde@1.0.228", serde.getString("purl", null));
        assertEquals("MIT OR Apache-2.0", serde.get("licenses").asArray().get(0).asObject().getString("expression", null));
        assertEquals("a".repeat(64), serde.get("hashes").asArray().get(0).asObject().getString("content", null));
        assertEquals("required", serde.getString("scope", null));
        assertEquals("excluded", component(bom, "cc").getString("scope", null), "a build script's crate is not linked in");
        JsonObject rootDeps = bom.get("dependencies").asArray().values().stream().map(JsonValue::asObject)
                .filter(d -> d.getString("ref", "").equals("local:my-fn@0.1.0")).findFirst().orElseThrow();
        assertEquals(Set.of("pkg:cargo/serde@1.0.228", "pkg:cargo/cc@1.2.0"), strings(rootDeps.get("dependsOn")));
        assertEquals(doc, Sbom.render("my-fn/bootstrap", "c".repeat(64), crates, facts), "the same binary gives the same bytes");
    }

    @Test
    @Tag("fast")
    void cargoLockChecksumsAreReadByNameAndVersion() throws Exception {
        Map<String, String> sums = CargoLock.checksums(REAL.resolve("Cargo.lock"));
        String lock = Files.readString(REAL.resolve("Cargo.lock"));
        String tokio = sums.entrySet().stream().filter(e -> e.getKey().startsWith("tokio@")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertTrue(lock.contains("checksum = \"" + tokio + "\""), tokio);
        assertFalse(sums.keySet().stream().anyMatch(k -> k.startsWith("echo-rt@")), "workspace members have no checksum: " + sums.keySet());
    }

    @Test
    void aBuiltBootstrapCarriesItsCratesAndItsCycloneDxFileListsTheSameOnes() throws Exception {
        Path lambda = InvokeFixtures.realRuntime();
        Path boot = lambda.resolve("echo-rt/bootstrap");
        ElfInfo info = ElfReader.read(boot);
        assertNotNull(info.depList, "no .dep-v0 section in " + boot);

        Proc audit = Proc.run(Repo.ROOT, Map.of(), List.of("rust-audit-info", boot.toString()));
        assertEquals(0, audit.exit, audit.toString());
        // A crate may be there in two versions (syn 1 and 2): by name, the newest; the sets below keep every one.
        Map<String, String> embedded = new TreeMap<>();
        Set<String> fromBinary = new TreeSet<>();
        for (JsonValue v : Json.parse(audit.out).asObject().get("packages").asArray()) {
            JsonObject p = v.asObject();
            embedded.merge(p.getString("name", null), p.getString("version", null), (a, b) -> ElfReader.compareVersions(a, b) >= 0 ? a : b);
            fromBinary.add(p.getString("name", null) + "@" + p.getString("version", null));
        }
        Map<String, String> locked = CargoLock.checksums(REAL.resolve("Cargo.lock"));
        for (String crate : List.of("lambda_runtime", "tokio", "serde", "echo-rt")) assertTrue(embedded.containsKey(crate), crate + " not in " + embedded);
        assertTrue(locked.containsKey("lambda_runtime@" + embedded.get("lambda_runtime")), "the embedded version is Cargo.lock's");

        Path cdx = lambda.resolve("echo-rt/bootstrap.cdx.json");
        String doc = Files.readString(cdx);
        assertEquals(List.of(), schemaProblems(doc));
        JsonObject bom = Json.parse(doc).asObject();
        Set<String> listed = new TreeSet<>();
        bom.get("components").asArray().forEach(c -> listed.add(c.asObject().getString("name", "") + "@" + c.asObject().getString("version", "")));
        listed.add("echo-rt@" + embedded.get("echo-rt"));
        assertEquals(fromBinary, listed, "the CycloneDX file lists exactly the embedded crates");
        JsonObject tokio = component(bom, "tokio");
        assertEquals(locked.get("tokio@" + embedded.get("tokio")), tokio.get("hashes").asArray().get(0).asObject().getString("content", null));
        assertEquals("MIT", tokio.get("licenses").asArray().get(0).asObject().getString("expression", null));
        assertEquals(Installer.sha256(boot), bom.get("metadata").asObject().get("component").asObject().get("hashes").asArray()
                .get(0).asObject().getString("content", null), "the document names the bootstrap it describes");

        JsonObject entry = Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject().get("functions").asArray().values().stream()
                .map(JsonValue::asObject).filter(f -> f.getString("name", "").equals("echo-rt")).findFirst().orElseThrow();
        JsonObject ref = entry.get("sbom").asObject();
        assertEquals("echo-rt/bootstrap.cdx.json", ref.getString("path", null));
        assertEquals(Installer.sha256(cdx), ref.getString("sha256", null));
    }

    @Test
    void noSbomBuildsWithoutTheSectionOrTheFile() throws Exception {
        Path target = Repo.ROOT.resolve("target/test-work/sbom-off");
        Path lambda = target.resolve("lambda");
        Proc p = Proc.jbang(Map.of("CARGO_TARGET_DIR", target.toString(), "NO_COLOR", "1"), "build-lambda@.", "--manifest-path",
                LiteBuild.MANIFEST_ARG, "--bin", "backend", "--no-sbom", "--verbose");
        assertEquals(0, p.exit, p.toString());
        assertFalse(p.err.contains("cargo auditable"), "cargo ran through cargo-auditable: " + p.err);
        assertNull(ElfReader.read(lambda.resolve("backend/bootstrap")).depList);
        assertFalse(Files.exists(lambda.resolve("backend/bootstrap.cdx.json")));
        JsonObject entry = Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject().get("functions").asArray().get(0).asObject();
        assertTrue(entry.get("sbom").isNull(), entry.toString());
    }

    /**
     * The list a build through sccache writes itself (DepList, where cargo-auditable cannot run) is the one
     * cargo-auditable linked into the same function, and written into a bootstrap that has none, readers find it
     * while every byte the program loads stays as it was.
     */
    @Test
    void theListTheBuildWritesIsCargoAuditablesAndReadersFindItInTheFile() throws Exception {
        Path audited = InvokeFixtures.realRuntime().resolve("echo-rt/bootstrap");
        Proc audit = Proc.run(Repo.ROOT, Map.of(), List.of("rust-audit-info", audited.toString()));
        assertEquals(0, audit.exit, audit.toString());
        assertEquals(packages(audit.out), packages(DepList.json(metadata(REAL), "echo-rt")), "the same crates, kinds, graph and order");

        Path target = Repo.ROOT.resolve("target/test-work/sbom-own");
        Proc p = Proc.jbang(Map.of("CARGO_TARGET_DIR", target.toString(), "NO_COLOR", "1"), "build-lambda@.", "--manifest-path",
                LiteBuild.MANIFEST_ARG, "--bin", "backend", "--no-sbom");
        assertEquals(0, p.exit, p.toString());
        Path bare = target.resolve("lambda/backend/bootstrap"), boot = Repo.scratch("sbom-own").resolve("bootstrap");
        Files.copy(bare, boot, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String list = DepList.json(metadata(LiteBuild.WORKSPACE), "backend");
        ElfAppend.section(boot, DepList.SECTION, DepList.compress(list));

        Proc read = Proc.run(Repo.ROOT, Map.of(), List.of("rust-audit-info", boot.toString()));
        assertEquals(0, read.exit, read.toString());
        assertEquals(packages(list), packages(read.out));
        assertTrue(read.out.contains("\"name\":\"backend\""), read.out);
        assertNotNull(ElfReader.read(boot).depList);
        Asserts.assertStaticStrippedArm64(boot);
        byte[] before = Files.readAllBytes(bare), after = Files.readAllBytes(boot);
        assertTrue(after.length > before.length);
        // Only the header's section-table fields (0x28..0x2f, 0x3c..0x3d) and the bytes past the old end differ.
        for (int i = 0; i < before.length; i++) {
            if ((i >= 0x28 && i < 0x30) || i == 0x3c || i == 0x3d) continue;
            if (before[i] != after[i]) fail("byte " + i + " of the program changed");
        }
        Proc verify = Proc.jbang(Map.of(), "verify-elf@.", boot.toString());
        assertEquals(0, verify.exit, verify.toString());
    }

    private static JsonObject metadata(Path workspace) {
        Proc m = Proc.run(workspace, Map.of(), List.of("cargo", "metadata", "--format-version", "1", "--offline", "--filter-platform",
                "aarch64-unknown-linux-musl", "--manifest-path", workspace.resolve("Cargo.toml").toString()));
        assertEquals(0, m.exit, m.toString());
        return Json.parse(m.out).asObject();
    }

    /** Each package of a dependency list as one line, its dependencies by name and version, in the list's order. */
    private static List<String> packages(String listJson) {
        List<JsonObject> ps = Json.parse(listJson).asObject().get("packages").asArray().values().stream().map(JsonValue::asObject).toList();
        return ps.stream().map(q -> {
            List<String> deps = q.get("dependencies") == null ? List.of() : q.get("dependencies").asArray().values().stream()
                    .map(i -> ps.get(i.asInt()).getString("name", "") + "@" + ps.get(i.asInt()).getString("version", "")).toList();
            return q.getString("name", "") + "@" + q.getString("version", "") + " " + q.getString("source", "") + " "
                    + q.getString("kind", "runtime") + (q.getBoolean("root", false) ? " root" : "") + " -> " + deps;
        }).toList();
    }

    private static List<String> schemaProblems(String doc) throws Exception {
        return new org.cyclonedx.parsers.JsonParser().validate(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8), org.cyclonedx.Version.VERSION_16)
                .stream().map(Throwable::getMessage).toList();
    }

    private static JsonObject component(JsonObject bom, String name) {
        return bom.get("components").asArray().values().stream().map(JsonValue::asObject)
                .filter(c -> c.getString("name", "").equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private static Set<String> strings(JsonValue array) {
        Set<String> out = new TreeSet<>();
        array.asArray().forEach(v -> out.add(v.asString()));
        return out;
    }
}
