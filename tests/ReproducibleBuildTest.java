import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The same source gives the same bytes wherever it is built: a crates.io workspace (tests/fixtures/reproducible)
 * built by the real build-lambda in two folders, with two cargo homes (the second downloads its crates from
 * crates.io afresh), two rustup homes (the second a hard-linked copy of the pinned toolchain) and two user names,
 * gives byte-identical bootstraps and zips; a second build of the same folder compiles nothing; --reproduce says
 * "same", and exits 1 naming the section once one source byte changed.
 */
class ReproducibleBuildTest {
    static final Path FIXTURE = Repo.ROOT.resolve("tests/fixtures/reproducible");

    @Test
    void twoFoldersTwoCargoHomesTwoRustupHomesGiveTheSameBytesAndReproduceSaysSo() throws IOException {
        Path a = copy(Repo.scratch("repro-a").resolve("ws"));
        Path b = copy(Repo.scratch("repro-b").resolve("another/place/ws-two"));
        Path cargoHome2 = Repo.scratch("repro-cargo-home");
        Path rustupHome2 = Repo.scratch("repro-rustup-home");
        String toolchain = "1.99.1-x86_64-unknown-linux-gnu";
        Path home1 = RustHomes.rustup(System.getenv());
        Files.createDirectories(rustupHome2.resolve("toolchains"));
        Proc cp = Proc.run(Repo.ROOT, "cp", "-al", home1.resolve("toolchains").resolve(toolchain).toString(), rustupHome2.resolve("toolchains").toString());
        assertEquals(0, cp.exit, cp.toString());

        Proc first = build(a, Map.of("USER", "builder-one"));
        Proc second = build(b, Map.of("CARGO_HOME", cargoHome2.toString(), "RUSTUP_HOME", rustupHome2.toString(), "USER", "builder-two", "LOGNAME", "builder-two"));
        assertTrue(Files.isDirectory(cargoHome2.resolve("registry/src")), "the second build used its own cargo home:\n" + second.err);

        Path bootA = a.resolve("target/lambda/repro-fn/bootstrap"), bootB = b.resolve("target/lambda/repro-fn/bootstrap");
        assertEquals(Manifest.sha256(bootA), Manifest.sha256(bootB), "the bootstraps differ");
        assertEquals(Manifest.sha256(bootA.resolveSibling("bootstrap.zip")), Manifest.sha256(bootB.resolveSibling("bootstrap.zip")), "the zips differ");
        // Not the same by luck: the dependency's paths are in the binary, under the fixed name, and no folder of either build is.
        String text = new String(Files.readAllBytes(bootA), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("/cargo/registry/src/"), "serde_json's source path is not in the bootstrap: the test proves nothing");
        for (Path p : List.of(a, b, cargoHome2, RustHomes.cargo(System.getenv()), rustupHome2, home1)) {
            assertFalse(text.contains(p.toString()), p + " is in the bootstrap");
        }
        String manifest = Files.readString(a.resolve("target/lambda/manifest.json"));
        assertTrue(manifest.contains("\"rustc\":\"rustc 1.99.1 "), "built with the pinned Rust (rust-toolchain.toml): " + manifest);
        assertTrue(manifest.contains("\"build\":{\"command\":\"build-lambda\",\"args\":[\"--zip\"]"), manifest);
        assertEquals(List.of(), ManifestSchema.problems(manifest), "the manifest follows its schema");

        // The flags are the same on every run in the same folder: the second build compiles nothing.
        Proc again = build(a, Map.of());
        assertFalse(again.err.contains("Compiling "), "a second build recompiled:\n" + again.err);

        Proc same = reproduce(a);
        assertEquals(0, same.exit, same.toString());
        assertTrue(same.out.contains("same    repro-fn (repro-fn/bootstrap): same sha256 " + Manifest.sha256(bootA).substring(0, 16) + ", zip same sha256"), same.out);

        Path main = a.resolve("src/main.rs");
        Files.writeString(main, Files.readString(main).replace("expect(\"JSON\")", "expect(\"JSOn\")"));
        Proc differs = reproduce(a);
        assertEquals(1, differs.exit, differs.toString());
        assertTrue(differs.out.contains("DIFFERS repro-fn (repro-fn/bootstrap): sha256 "), differs.out);
        assertTrue(differs.out.matches("(?s).*first difference at byte 0x[0-9a-f]+ \\((section \\.[a-z._]+|the [a-z ]+)\\).*"), differs.out);
        assertTrue(differs.out.contains("zip differs"), differs.out);
        assertTrue(differs.err.contains("rebuilt to other bytes; the rebuild is kept in "), differs.err);
        Path kept = Path.of(differs.err.replaceAll("(?s).*the rebuild is kept in (\\S+) to compare.*", "$1"));
        assertTrue(Files.isRegularFile(kept.resolve("lambda/repro-fn/bootstrap")), "the kept rebuild is not at " + kept);
        Install.deleteTree(kept);
    }

    private static Path copy(Path to) throws IOException {
        Files.createDirectories(to.resolve("src"));
        for (String f : List.of("Cargo.toml", "Cargo.lock", "src/main.rs")) Files.copy(FIXTURE.resolve(f), to.resolve(f));
        return to;
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("NO_COLOR", "1");
        env.put("CARGO_TARGET_DIR", null);
        return env;
    }

    private static Proc build(Path ws, Map<String, String> extra) {
        Proc p = Proc.run(Repo.ROOT, env(extra), List.of("./jbang", "build-lambda@.", "--manifest-path", ws.resolve("Cargo.toml").toString(), "--zip"), 1200);
        assertEquals(0, p.exit, p.toString());
        return p;
    }

    private static Proc reproduce(Path ws) {
        return Proc.run(Repo.ROOT, env(Map.of()), List.of("./jbang", "build-lambda@.", "--reproduce", ws.resolve("target/lambda/manifest.json").toString()), 1200);
    }
}
