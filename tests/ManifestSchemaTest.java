import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The schema file against manifests as the build renders them, and the one Java reader's version check. */
@Tag("fast")
class ManifestSchemaTest {
    static final String SHA = "a".repeat(64);

    static String entry(String name) {
        return "{\"name\":\"" + name + "\",\"kind\":\"function\",\"package\":\"p\",\"arch\":\"aarch64\",\"target\":\"aarch64-unknown-linux-musl\","
                + "\"bootstrap\":\"" + name + "/bootstrap\",\"size\":10,\"sha256\":\"" + SHA + "\",\"zip\":{\"path\":\"" + name + "/bootstrap.zip\",\"size\":5,\"sha256\":\"" + SHA + "\"},"
                + "\"include\":[],\"linkage\":\"static\",\"stripped\":true,\"smoke\":null}";
    }

    @Test
    void aRenderedManifestIsValidAndCarriesItsVersion() throws IOException {
        String m = Manifest.render(List.of(entry("a"), entry("b")), List.of(), Map.of("rustc", "rustc 1.95.0", "zig", "0.15.2"));
        assertEquals(List.of(), ManifestSchema.problems(m));
        assertEquals(1, ManifestReader.parse(m, "").getInt("schema_version", 0));
    }

    @Test
    void theSchemaRejectsWhatAReaderCouldNotUse() throws IOException {
        String ok = Manifest.render(List.of(entry("a")), List.of(), Map.of());
        assertFalse(ManifestSchema.problems(ok.replace("\"schema_version\":1", "\"schema_version\":2")).isEmpty(), "another version");
        assertFalse(ManifestSchema.problems(ok.replace(SHA, "abc")).isEmpty(), "a sha256 that is not 64 hex digits");
        assertFalse(ManifestSchema.problems(ok.replace("\"kind\":\"function\"", "\"kind\":\"extension\"")).isEmpty(), "an extension among functions");
        assertFalse(ManifestSchema.problems(ok.replace("\"smoke\":null", "\"smoke\":null,\"extra\":1")).isEmpty(), "an unknown field");
    }

    @Test
    void aNewerSchemaVersionIsRefusedInOneLine() {
        Cli.UserError e = assertThrows(Cli.UserError.class, () -> ManifestReader.parse("{\"schema_version\":2,\"functions\":[]}", "m: "));
        assertEquals(ExitCode.USAGE.code, e.exitCode);
        assertEquals("m: its schema_version is 2, this one reads 1 (update these scripts)", e.getMessage());
        assertEquals(0, ManifestReader.parse("{\"functions\":[]}", "").size() - 1, "a manifest from before schema_version is read");
    }
}
