import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a workspace migrating from cargo-lambda needs: --include, --extension/--internal, several --arch in one
 * run, and [*.metadata.lambda.build] with flags over it. The rules are tested on their own (tagged fast); the
 * builds are real (cargo zigbuild on a two-binary crate), each workspace built once and shared by the tests.
 */
class CargoLambdaMigrationTest {
    static final String MAIN = "fn main() { println!(\"mig {}\", std::env::consts::ARCH); }\n";
    static final String EXT = "fn main() { println!(\"ext\"); }\n";
    static final String[] INCLUDES = {"--include", "assets", "--include", "conf/app.json:assets/config.json"};
    static final List<String> ZIP_ENTRIES = List.of("assets/", "assets/config.json", "assets/run.sh", "assets/sub/", "assets/sub/data.txt",
            "bootstrap", "conf/", "conf/app.json");

    // ---- the rules, no build ----

    @Test
    @Tag("fast")
    void includeSpecsKeepCargoLambdasSyntaxAndRefuseDestinationsOutsideTheFolder() {
        Path base = Path.of("/ws");
        Include.Spec plain = Include.parse("assets", base, "--include");
        assertEquals("assets", plain.dest());
        assertEquals(Path.of("/ws/assets"), plain.source());
        Include.Spec named = Include.parse("conf/app.json:../shared/config.json", base, "--include");
        assertEquals("conf/app.json", named.dest(), "DEST:SRC, as cargo-lambda splits it at the first colon");
        assertEquals(Path.of("/shared/config.json"), named.source(), "a source may be anywhere; only the destination is confined");
        assertEquals("a/b", Include.parse("./a//b/:x", base, "--include").dest());
        assertEquals("", Include.parse(".:assets", base, "--include").dest(), "a folder's contents at the root");
        for (String bad : List.of("../secret.txt", "x/../../secret.txt:secret.txt", "/etc/passwd", "/abs:secret.txt", "a/../b:x")) {
            Cli.UserError e = assertThrows(Cli.UserError.class, () -> Include.parse(bad, base, "--include"), bad);
            assertEquals(ExitCode.USAGE.code, e.exitCode, bad);
            assertTrue(e.getMessage().startsWith("--include '" + bad + "': the destination "), e.getMessage());
            assertTrue(e.getMessage().contains("absolute") || e.getMessage().contains("leaves the function's folder"), e.getMessage());
        }
        assertTrue(assertThrows(Cli.UserError.class, () -> Include.parse("../secret.txt", base, "--include")).getMessage()
                .endsWith("e.g. secret.txt:../secret.txt"), "the message shows the fix");
    }

    @Test
    @Tag("fast")
    void includedFilesExpandSortedWithNormalisedModesAndLinksAreRefused() throws IOException {
        Path ws = Repo.scratch("include-rules");
        writeAssets(ws, "rwx------", "rw-------");
        List<LambdaZip.Entry> e = Include.expand(List.of(Include.parse("conf/app.json:assets/config.json", ws, "--include"),
                Include.parse("assets", ws, "--include")), java.util.Set.of("bootstrap"));
        assertEquals(List.of("assets/", "assets/config.json", "assets/run.sh", "assets/sub/", "assets/sub/data.txt", "conf/", "conf/app.json"),
                e.stream().map(LambdaZip.Entry::name).toList());
        Map<String, String> modes = e.stream().collect(Collectors.toMap(LambdaZip.Entry::name, x -> Integer.toOctalString(x.mode())));
        assertEquals("40755", modes.get("assets/"));
        assertEquals("100644", modes.get("assets/config.json"), "0600 in the folder, 0644 in the zip");
        assertEquals("100755", modes.get("assets/run.sh"), "0700 in the folder, 0755 in the zip");

        Cli.UserError reserved = assertThrows(Cli.UserError.class, () -> Include.expand(
                List.of(Include.parse("bootstrap:assets/run.sh", ws, "--include")), java.util.Set.of("bootstrap")));
        assertTrue(reserved.getMessage().contains("bootstrap is the build's own entry"), reserved.getMessage());
        Cli.UserError twice = assertThrows(Cli.UserError.class, () -> Include.expand(List.of(Include.parse("x.json:assets/config.json", ws, "--include"),
                Include.parse("x.json:assets/sub/data.txt", ws, "--include")), java.util.Set.of()));
        assertTrue(twice.getMessage().contains("two includes put a file at x.json"), twice.getMessage());
        Cli.UserError missing = assertThrows(Cli.UserError.class, () -> Include.expand(List.of(Include.parse("nope", ws, "--include")), java.util.Set.of()));
        assertTrue(missing.getMessage().contains("no such file or folder " + ws.resolve("nope")), missing.getMessage());

        Files.createSymbolicLink(ws.resolve("assets/link.json"), Path.of("config.json"));
        Cli.UserError link = assertThrows(Cli.UserError.class, () -> Include.expand(List.of(Include.parse("assets", ws, "--include")), java.util.Set.of()));
        assertEquals(ExitCode.USAGE.code, link.exitCode);
        assertTrue(link.getMessage().contains("assets/link.json is a symbolic link; links are not followed"), link.getMessage());
    }

    @Test
    @Tag("fast")
    void zipsHoldSortedEntriesWithNormalisedModesAndOneTimestampWhateverTheOrderGiven() throws IOException {
        Path ws = Repo.scratch("zip-rules");
        writeAssets(ws, "rwxr-x---", "rw-rw-rw-");
        List<LambdaZip.Entry> entries = new ArrayList<>(Include.expand(List.of(Include.parse("assets", ws, "--include")), java.util.Set.of()));
        entries.add(new LambdaZip.Entry("bootstrap", ws.resolve("assets/run.sh"), true));
        Path a = ws.resolve("a.zip"), b = ws.resolve("b.zip");
        LambdaZip.write(entries, a, null);
        java.util.Collections.reverse(entries);
        LambdaZip.write(entries, b, null);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "the order given does not matter");
        List<ZipListing.Entry> listed = ZipListing.of(a);
        assertEquals(List.of("assets/", "assets/config.json", "assets/run.sh", "assets/sub/", "assets/sub/data.txt", "bootstrap"),
                listed.stream().map(ZipListing.Entry::name).toList());
        assertEquals(List.of("40755", "100644", "100755", "40755", "100644", "100755"), listed.stream().map(ZipListing.Entry::modeOctal).toList());
        for (ZipListing.Entry e : listed) {
            assertEquals((1 << 5) | 1, e.dosDate(), e.name() + ": 1980-01-01");
            assertEquals(0, e.dosTime(), e.name());
        }
        assertArrayEquals(Files.readAllBytes(ws.resolve("assets/sub/data.txt")), ZipListing.read(a, "assets/sub/data.txt"));
        LambdaZip.write(entries, b, "1700000000");
        assertTrue(ZipListing.of(b).stream().allMatch(e -> e.dosDate() == (((2023 - 1980) << 9) | (11 << 5) | 14)), "SOURCE_DATE_EPOCH");
    }

    @Test
    @Tag("fast")
    void metadataIsReadNearestFirstWithFlagsOverItAndUnknownKeysRefused() throws IOException {
        Path root = Repo.scratch("metadata-rules");
        for (String f : List.of("a/a.txt", "ws.txt", "only.txt")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), f);
        }
        String aBuild = "{\"output_format\":\"zip\",\"include\":[\"a.txt\"],\"flatten\":\"a-fn\"}";
        Workspace ws = syntheticWorkspace(root, aBuild, "{\"include\":[\"ws.txt\"],\"x86_64\":true}");

        BuildConfig plain = config(ws, root);
        assertEquals(List.of("x86_64-unknown-linux-musl"), plain.targets().stream().map(t -> t.triple).toList(), "the workspace's x86_64");
        BuildConfig.Packaged aFn = packaged(plain, "a-fn"), aExt = packaged(plain, "a-ext"), bFn = packaged(plain, "b-fn");
        assertEquals(Layout.Kind.FUNCTION, aFn.kind());
        assertTrue(aFn.zip(), "output_format = \"zip\" of package a");
        assertEquals(List.of("a.txt"), names(aFn), "the package's include, relative to its Cargo.toml, before the workspace's");
        assertEquals(Layout.Kind.EXTENSION, aExt.kind(), "[package.metadata.lambda.bin.a-ext.build]");
        assertTrue(aExt.internal());
        assertFalse(bFn.zip());
        assertEquals(List.of("ws.txt"), names(bFn), "the workspace's include");
        assertEquals(1, plain.warnings().size(), plain.warnings().toString());
        assertTrue(plain.warnings().get(0).contains("flatten is a cargo-lambda setting this build does not apply"), plain.warnings().get(0));

        BuildConfig flags = config(ws, root, "--arch", "arm64", "--zip", "--include", "only.txt", "--extension");
        assertEquals(List.of("aarch64-unknown-linux-musl"), flags.targets().stream().map(t -> t.triple).toList());
        for (BuildConfig.Packaged p : flags.functions()) {
            assertEquals(List.of("only.txt"), names(p), p.function().name() + ": --include replaces the metadata's");
            assertTrue(p.zip());
            assertEquals(Layout.Kind.EXTENSION, p.kind());
            assertFalse(p.internal(), "--extension without --internal");
        }

        Workspace clash = syntheticWorkspace(root, "{\"arm64\":true}", "{}", "{\"x86_64\":true}");
        Cli.UserError differs = assertThrows(Cli.UserError.class, () -> config(clash, root));
        assertTrue(differs.getMessage().startsWith("arm64/x86_64/target differs between [package.metadata.lambda.build] of package a"),
                differs.getMessage());
        assertEquals(List.of("aarch64-unknown-linux-musl"), config(clash, root, "-p", "a").targets().stream().map(t -> t.triple).toList());

        Workspace typo = syntheticWorkspace(root, "{\"inculde\":[\"a.txt\"]}", "{}");
        Cli.UserError unknown = assertThrows(Cli.UserError.class, () -> config(typo, root));
        assertEquals(ExitCode.USAGE.code, unknown.exitCode);
        assertTrue(unknown.getMessage().startsWith("unknown key 'inculde' in [package.metadata.lambda.build] of package a"), unknown.getMessage());
        Workspace wrongType = syntheticWorkspace(root, "{\"extension\":\"yes\"}", "{}");
        assertTrue(assertThrows(Cli.UserError.class, () -> config(wrongType, root)).getMessage()
                .startsWith("extension in [package.metadata.lambda.build] of package a"));
        Workspace hidden = syntheticWorkspace(root, "{\"extension\":false}", "{\"extension\":1}");
        assertTrue(assertThrows(Cli.UserError.class, () -> config(hidden, root, "--extension")).getMessage()
                .startsWith("extension in [workspace.metadata.lambda.build]"), "checked also where a nearer table and a flag win");
        Workspace escape = syntheticWorkspace(root, "{\"include\":[\"../../etc/passwd\"]}", "{}");
        assertTrue(assertThrows(Cli.UserError.class, () -> config(escape, root)).getMessage()
                .startsWith("include in [package.metadata.lambda.build] of package a"));
    }

    // ---- real builds ----

    @Test
    void includesGoIntoTheZipAndNextToTheBootstrapAndTwoCleanBuildsInDifferentFoldersGiveTheSameBytes() throws IOException {
        Path a = Shared.flags();
        Path lambdaA = a.resolve("target/lambda");
        Path zip = lambdaA.resolve("mig/bootstrap.zip");
        List<ZipListing.Entry> listed = ZipListing.of(zip);
        assertEquals(ZIP_ENTRIES, listed.stream().map(ZipListing.Entry::name).toList(), "sorted, folders included");
        assertEquals(List.of("40755", "100644", "100755", "40755", "100644", "100755", "40755", "100644"),
                listed.stream().map(ZipListing.Entry::modeOctal).toList());
        assertTrue(listed.stream().allMatch(e -> e.dosDate() == ((1 << 5) | 1) && e.dosTime() == 0), "1980-01-01 00:00 everywhere");
        assertArrayEquals(Files.readAllBytes(lambdaA.resolve("mig/bootstrap")), ZipListing.read(zip, "bootstrap"));
        assertEquals("{\"a\":1}\n", new String(ZipListing.read(zip, "conf/app.json")));
        assertEquals("rw-r--r--", mode(lambdaA.resolve("mig/conf/app.json")), "copied next to the bootstrap, 0644");
        assertEquals("rwxr-xr-x", mode(lambdaA.resolve("mig/assets/run.sh")));
        assertEquals("x\n", Files.readString(lambdaA.resolve("mig/assets/sub/data.txt")));
        JsonObject entry = Json.parse(Files.readString(lambdaA.resolve("manifest.json"))).asObject().get("functions").asArray().get(0).asObject();
        assertEquals("[\"assets/config.json\",\"assets/run.sh\",\"assets/sub/data.txt\",\"conf/app.json\"]", entry.get("include").toString());

        // Another folder, the sources with other modes and times: a clean build gives the same bytes.
        Path b = workspace("mig-b", "", "rwxrwx---", "rw-rw----");
        Files.setLastModifiedTime(b.resolve("assets/config.json"), FileTime.fromMillis(1_000_000_000_000L));
        build(b, "--bin", "mig", "--zip", INCLUDES[0], INCLUDES[1], INCLUDES[2], INCLUDES[3]);
        Path zipB = b.resolve("target/lambda/mig/bootstrap.zip");
        assertNotEquals(zip, zipB);
        assertArrayEquals(Files.readAllBytes(zip), Files.readAllBytes(zipB), "zips of two clean builds in different folders differ");
        System.out.println("  (bootstrap.zip with includes: " + Files.size(zip) + " bytes, identical in " + a + " and " + b + ")");

        // An include dropped from the command line is dropped from the folder too.
        build(a, "--bin", "mig", "--zip", "--include", "conf/app.json:assets/config.json");
        assertFalse(Files.exists(lambdaA.resolve("mig/assets/run.sh")), "a file no longer included was left next to the bootstrap");
        assertEquals(List.of("bootstrap", "conf/", "conf/app.json"), ZipListing.names(zip));
        build(a, "--bin", "mig", "--zip", INCLUDES[0], INCLUDES[1], INCLUDES[2], INCLUDES[3]);
    }

    @Test
    void anIncludeThatClimbsOutIsRefusedWithOneLineAndNothingIsWritten() throws IOException {
        Path ws = workspace("mig-escape", "", "rwxr-xr-x", "rw-r--r--");
        Proc p = run(ws, "--zip", "--include", "../secret.txt");
        assertEquals(2, p.exit, p.toString());
        assertEquals("build-lambda: --include '../secret.txt': the destination ../secret.txt leaves the function's folder (..); "
                + "name one inside it, e.g. secret.txt:../secret.txt", p.err.strip());
        Asserts.assertNoTrace(p);
        assertFalse(Files.exists(ws.resolve("target")), "nothing may be built or written");

        Files.writeString(ws.resolve("Cargo.toml"), "\n[package.metadata.lambda.build]\ninclude = [\"x/../../secret.txt:assets/config.json\"]\n",
                java.nio.file.StandardOpenOption.APPEND);
        Proc m = run(ws);
        assertEquals(2, m.exit, m.toString());
        assertTrue(m.err.strip().startsWith("build-lambda: include in [package.metadata.lambda.build] of package mig ("), m.err);
        assertTrue(m.err.contains("the destination x/../../secret.txt leaves the function's folder"), m.err);
        Asserts.assertNoTrace(m);
        assertFalse(Files.exists(ws.resolve("target/lambda")), "nothing may be installed");
    }

    @Test
    void anExtensionIsInstalledUnderExtensionsWithALayerZipAndPassesVerifyElf() throws IOException {
        Path ws = Shared.flags();
        Path lambda = ws.resolve("target/lambda-ext");
        Proc p = build(ws, "--bin", "mig-ext", "--extension", "--lambda-dir", lambda.toString());
        assertTrue(p.out.contains("mig-ext (extension)"), p.out);
        Path bin = lambda.resolve("extensions/mig-ext");
        assertEquals("rwxr-xr-x", mode(bin));
        assertEquals(0, ElfSamples.verifyElf(bin.toString()).exit, "verify-elf's checks apply to extensions");
        String file = Proc.run(ws, "file", "-b", bin.toString()).out;
        assertTrue(file.contains("ARM aarch64") && file.contains("statically linked") && file.contains(", stripped"), file);
        Path layer = lambda.resolve("extensions/mig-ext.zip");
        List<ZipListing.Entry> listed = ZipListing.of(layer);
        assertEquals(List.of("extensions/", "extensions/mig-ext"), listed.stream().map(ZipListing.Entry::name).toList());
        assertEquals(List.of("40755", "100755"), listed.stream().map(ZipListing.Entry::modeOctal).toList());
        assertArrayEquals(Files.readAllBytes(bin), ZipListing.read(layer, "extensions/mig-ext"));
        assertFalse(Files.exists(lambda.resolve("mig-ext")), "an extension is not laid out as a function");
        JsonObject m = Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject();
        assertEquals(0, m.get("functions").asArray().size(), m.toString());
        JsonObject x = m.get("extensions").asArray().get(0).asObject();
        assertEquals("extension", x.getString("kind", ""));
        // An extension gets its SBOM beside its layer, as a function does beside its zip.
        assertEquals("extensions/mig-ext.cdx.json", x.get("sbom").asObject().getString("path", ""), x.toString());
        assertTrue(Files.readString(lambda.resolve("extensions/mig-ext.cdx.json")).contains("\"content\": \"" + x.getString("sha256", "") + "\""),
                "the extension's SBOM names its binary by sha256");
        assertFalse(x.getBoolean("internal", true));
        assertEquals("extensions/mig-ext", x.getString("binary", ""));
        assertEquals("extensions/mig-ext.zip", x.get("zip").asObject().getString("path", ""));

        build(ws, "--bin", "mig-ext", "--extension", "--internal", "--include", "conf/app.json:assets/config.json", "--lambda-dir", lambda.toString());
        assertEquals(List.of("conf/", "conf/app.json", "mig-ext"), ZipListing.names(layer),
                "an internal extension sits at the layer's root; includes go into the layer");
        assertFalse(Files.exists(lambda.resolve("extensions/conf")), "an extension's includes are not copied next to it");
        assertTrue(Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject().get("extensions").asArray().get(0).asObject()
                .getBoolean("internal", false));
    }

    @Test
    void bothArchesInOneRunLandInTheirOwnFoldersVerifiedAndNeitherOverwritten() throws IOException {
        Path ws = Shared.flags();
        Path lambda = ws.resolve("target/lambda-both");
        Proc p = build(ws, "--bin", "mig", "--zip", "--arch", "arm64,x86_64", "--lambda-dir", lambda.toString(), "--json");
        assertTrue(p.err.contains("building 1 function for aarch64-unknown-linux-musl") && p.err.contains("building 1 function for x86_64-unknown-linux-musl"),
                "one cargo call per target: " + p.err);
        Path arm = lambda.resolve("arm64/mig/bootstrap"), x86 = lambda.resolve("x86_64/mig/bootstrap");
        String fileArm = Proc.run(ws, "file", "-b", arm.toString()).out, fileX86 = Proc.run(ws, "file", "-b", x86.toString()).out;
        assertTrue(fileArm.startsWith("ELF 64-bit LSB executable, ARM aarch64") && fileArm.contains("statically linked"), fileArm);
        assertTrue(fileX86.startsWith("ELF 64-bit LSB") && fileX86.contains("x86-64") && fileX86.contains("statically linked"), fileX86);
        assertEquals(0, ElfSamples.verifyElf(arm.toString()).exit);
        assertEquals(0, ElfSamples.verifyElf("--arch", "x86_64", x86.toString()).exit);
        assertEquals(1, ElfSamples.verifyElf(x86.toString()).exit, "an x86_64 bootstrap is not an arm64 one");
        assertEquals("mig x86_64", Proc.run(ws, x86.toString()).out.strip(), "the x86_64 bootstrap runs here");
        assertEquals("mig aarch64", Proc.run(ws, "qemu-aarch64-static", arm.toString()).out.strip(), "the arm64 one under qemu");
        assertArrayEquals(Files.readAllBytes(arm), ZipListing.read(lambda.resolve("arm64/mig/bootstrap.zip"), "bootstrap"));
        assertArrayEquals(Files.readAllBytes(x86), ZipListing.read(lambda.resolve("x86_64/mig/bootstrap.zip"), "bootstrap"));
        assertFalse(Files.exists(lambda.resolve("mig")), "several arches: no arch-less folder");

        JsonObject report = Json.parse(p.out).asObject();
        assertEquals("[\"aarch64-unknown-linux-musl\",\"x86_64-unknown-linux-musl\"]", report.get("targets").toString());
        List<JsonValue> fs = Json.parse(Files.readString(lambda.resolve("manifest.json"))).asObject().get("functions").asArray().values();
        assertEquals(List.of("aarch64 arm64/mig/bootstrap", "x86_64 x86_64/mig/bootstrap"),
                fs.stream().map(v -> v.asObject().getString("arch", "") + " " + v.asObject().getString("bootstrap", "")).toList());
        for (JsonValue v : fs) {
            assertEquals(PackagingTest.sha256sum(lambda.resolve(v.asObject().getString("bootstrap", ""))), v.asObject().getString("sha256", ""));
        }
    }

    @Test
    void aWorkspaceConfiguredOnlyThroughMetadataBuildsAsWithFlags() throws IOException {
        Path m = Shared.metadata();
        Proc p = Shared.metadataBuild;
        assertTrue(p.err.contains("warning: [package.metadata.lambda.build] of package mig (") && p.err.contains(
                "flatten is a cargo-lambda setting this build does not apply"), p.err);
        Path flags = Shared.flags();
        assertArrayEquals(Files.readAllBytes(flags.resolve("target/lambda/mig/bootstrap.zip")), Files.readAllBytes(m.resolve("target/lambda/mig/bootstrap.zip")),
                "output_format = \"zip\" and include in metadata give the zip --zip --include give");
        assertEquals(ZIP_ENTRIES, ZipListing.names(m.resolve("target/lambda/mig/bootstrap.zip")));
        assertEquals("rwxr-xr-x", mode(m.resolve("target/lambda/extensions/mig-ext")), "[package.metadata.lambda.bin.mig-ext.build] extension = true");
        assertEquals(List.of("extensions/", "extensions/mig-ext"), ZipListing.names(m.resolve("target/lambda/extensions/mig-ext.zip")),
                "its own include = [] keeps the package's include out of the layer");
        Path flagsExt = flags.resolve("target/lambda-meta-twin");
        build(flags, "--bin", "mig-ext", "--extension", "--lambda-dir", flagsExt.toString());
        assertArrayEquals(Files.readAllBytes(flagsExt.resolve("extensions/mig-ext.zip")), Files.readAllBytes(m.resolve("target/lambda/extensions/mig-ext.zip")));
        String file = Proc.run(m, "file", "-b", m.resolve("target/lambda/mig/bootstrap").toString()).out;
        assertTrue(file.contains("ARM aarch64"), "arm64 = true: " + file);
    }

    @Test
    void flagsOverrideTheMetadata() throws IOException {
        Path m = Shared.metadata();
        Path lambda = m.resolve("target/lambda-over");
        build(m, "--bin", "mig", "--arch", "x86_64", "--include", "only.txt:assets/sub/data.txt", "--lambda-dir", lambda.toString());
        Path boot = lambda.resolve("mig/bootstrap");
        assertTrue(Proc.run(m, "file", "-b", boot.toString()).out.contains("x86-64"), "--arch x86_64 over arm64 = true");
        assertEquals(List.of("bootstrap", "only.txt"), ZipListing.names(lambda.resolve("mig/bootstrap.zip")),
                "--include replaces the metadata's include; output_format = \"zip\" still applies");
        assertFalse(Files.exists(lambda.resolve("mig/conf")), "the metadata's include was not copied");
        assertFalse(Files.exists(m.resolve("target/lambda-over/arm64")), "one arch: the single-arch layout");
    }

    // ---- fixtures ----

    /** The two workspaces the build tests share, each built once. */
    static final class Shared {
        private static Path flags, metadata;
        static Proc metadataBuild;

        /** No metadata; built with flags: --bin mig --zip and the includes. */
        static synchronized Path flags() throws IOException {
            if (flags == null) {
                Path ws = workspace("mig-a", "", "rwxr-xr-x", "rw-r--r--");
                build(ws, "--bin", "mig", "--zip", INCLUDES[0], INCLUDES[1], INCLUDES[2], INCLUDES[3]);
                flags = ws;
            }
            return flags;
        }

        /** The same settings in [package.metadata.lambda.build] (cargo-lambda's keys), built without flags. */
        static synchronized Path metadata() throws IOException {
            if (metadata == null) {
                Path ws = workspace("mig-meta", "\n[package.metadata.lambda.build]\noutput_format = \"zip\"\narm64 = true\nrelease = true\n"
                        + "include = [\"assets\", \"conf/app.json:assets/config.json\"]\nflatten = \"mig\"\n"
                        + "\n[package.metadata.lambda.bin.mig-ext.build]\nextension = true\ninclude = []\n", "rwxr-xr-x", "rw-r--r--");
                metadataBuild = build(ws);
                metadata = ws;
            }
            return metadata;
        }
    }

    /** A crate `mig` with two bins (mig, mig-ext) and an assets folder: config.json, run.sh, sub/data.txt. */
    static Path workspace(String name, String cargoTomlTail, String scriptMode, String configMode) throws IOException {
        Path ws = Repo.scratch(name);
        Fixtures.writeCrate(ws, "mig", MAIN);
        Files.writeString(ws.resolve("Cargo.toml"), cargoTomlTail, java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(ws.resolve("src/bin"));
        Files.writeString(ws.resolve("src/bin/mig-ext.rs"), EXT);
        writeAssets(ws, scriptMode, configMode);
        Files.writeString(ws.resolve("assets/../only.txt"), "only\n");
        return ws;
    }

    static void writeAssets(Path ws, String scriptMode, String configMode) throws IOException {
        Files.createDirectories(ws.resolve("assets/sub"));
        Files.writeString(ws.resolve("assets/config.json"), "{\"a\":1}\n");
        Files.writeString(ws.resolve("assets/run.sh"), "#!/bin/sh\necho run\n");
        Files.writeString(ws.resolve("assets/sub/data.txt"), "x\n");
        Files.setPosixFilePermissions(ws.resolve("assets/run.sh"), PosixFilePermissions.fromString(scriptMode));
        Files.setPosixFilePermissions(ws.resolve("assets/config.json"), PosixFilePermissions.fromString(configMode));
    }

    /** build-lambda run in ws as a user runs it, with its own target folder. */
    static Proc run(Path ws, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Repo.ROOT.resolve("jbang").toString(), Repo.ROOT.resolve("build-lambda.java").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(ws, Map.of("CARGO_TARGET_DIR", ws.resolve("target").toString(), "NO_COLOR", "1"), cmd);
    }

    static Proc build(Path ws, String... args) {
        Proc p = run(ws, args);
        assertEquals(0, p.exit, p.toString());
        return p;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The options as picocli parses them for build-lambda. */
    @CommandLine.Command(name = "build-lambda")
    static final class Options {
        @CommandLine.Mixin
        BuildOptions o = new BuildOptions();
    }

    static BuildConfig config(Workspace ws, Path cwd, String... args) {
        Options opts = new Options();
        CommandLine cl = new CommandLine(opts);
        cl.parseArgs(args);
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        return BuildConfig.resolve(spec, opts.o, ws, Selection.select(spec, opts.o, ws), cwd);
    }

    static BuildConfig.Packaged packaged(BuildConfig c, String name) {
        return c.functions().stream().filter(p -> p.function().name().equals(name)).findFirst().orElseThrow();
    }

    static List<String> names(BuildConfig.Packaged p) {
        return p.included().stream().map(LambdaZip.Entry::name).toList();
    }

    /**
     * cargo metadata's JSON for a workspace at root: package a (bins a-fn, a-ext; its metadata.lambda.build is aBuild, and
     * bin a-ext is an internal extension) and package b (bin b-fn; bBuild when given), with wsBuild as the workspace's.
     */
    static Workspace syntheticWorkspace(Path root, String aBuild, String wsBuild, String... bBuild) {
        String bMeta = bBuild.length == 0 ? "null" : "{\"lambda\":{\"build\":" + bBuild[0] + "}}";
        String json = "{\"workspace_root\":\"" + root + "\",\"target_directory\":\"" + root.resolve("target") + "\","
                + "\"workspace_members\":[\"a-id\",\"b-id\"],\"metadata\":{\"lambda\":{\"build\":" + wsBuild + "}},\"packages\":["
                + "{\"name\":\"a\",\"id\":\"a-id\",\"manifest_path\":\"" + root.resolve("a/Cargo.toml") + "\",\"targets\":["
                + "{\"kind\":[\"bin\"],\"name\":\"a-fn\"},{\"kind\":[\"bin\"],\"name\":\"a-ext\"}],"
                + "\"metadata\":{\"lambda\":{\"build\":" + aBuild + ",\"bin\":{\"a-ext\":{\"build\":{\"extension\":true,\"internal\":true}}}}}},"
                + "{\"name\":\"b\",\"id\":\"b-id\",\"manifest_path\":\"" + root.resolve("b/Cargo.toml") + "\",\"targets\":["
                + "{\"kind\":[\"bin\"],\"name\":\"b-fn\"}],\"metadata\":" + bMeta + "}]}";
        return Workspace.parse(root.resolve("Cargo.toml"), json);
    }
}
