import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What is inside a bootstrap, for scanners and auditors. cargo-auditable (run as `cargo auditable zigbuild ...`)
 * embeds each binary's crates in a `.dep-v0` section (zlib-compressed JSON), which Syft, Trivy and Grype read; this
 * class reads that section back from the built binary and writes the same list as CycloneDX 1.6 JSON next to the
 * binary's zip, with what the section leaves out: each crate's licence (cargo metadata) and checksum (Cargo.lock).
 * The file is derived from the section, so the two cannot disagree.
 */
final class Sbom {
    static final String SPEC_VERSION = "1.6";
    /** Sections larger than this are not a dependency list (cargo-auditable's own limit is far lower). */
    private static final int MAX_SECTION = 8 << 20, MAX_JSON = 64 << 20;

    private Sbom() {}

    /** An SBOM file as manifest.json names it. */
    record Ref(Path path, String sha256) {
        String toJson(Path base) {
            return new JsonWriter.Obj().put("path", base == null ? path.toString() : base.relativize(path).toString())
                    .put("format", "CycloneDX " + SPEC_VERSION).put("sha256", sha256).toString();
        }
    }

    /** One entry of the embedded list. kind: "runtime" or "build" (a build script's dependency: not linked in). */
    record Crate(String name, String version, String source, String kind, List<Integer> dependencies, boolean root) {
        String key() {
            return name + "@" + version;
        }

        String ref() {
            return source.equals("crates.io") ? purl() : source + ":" + key();
        }

        /** Package URLs name crates.io crates only: a local or git crate of the same name is another crate. */
        String purl() {
            return source.equals("crates.io") ? "pkg:cargo/" + name + "@" + version : null;
        }
    }

    /**
     * Whether this build runs cargo through cargo-auditable: unless --no-sbom, when the builder runs cargo on this
     * host, cargo-auditable is on PATH and no sccache is in the way. Where it is not, the build writes the same
     * section itself (writtenByTheBuild).
     */
    static boolean auditable(PipelineContext c, Builder<?> builder) {
        if (c.o().noSbom || !builder.embedsDependencyLists()) return false;
        // Under sccache cargo would run `sccache cargo-auditable rustc ...` for the workspace's crates, and sccache refuses a
        // compiler it cannot identify: the build fails.
        if (c.cached()) return false;
        return Exec.which("cargo-auditable", c.env()).isPresent();
    }

    /** Whether the build writes each binary's dependency list itself (DepList): an SBOM is wanted and cargo-auditable does not run. */
    static boolean writtenByTheBuild(PipelineContext c, boolean auditable) {
        return !auditable && !c.o().noSbom;
    }

    /** The crates embedded in binary (info says where its .dep-v0 section lies), or null when it has none. */
    static List<Crate> read(Path binary, ElfInfo info) throws IOException {
        if (info.depList == null) return null;
        long offset = info.depList[0], size = info.depList[1];
        if (size <= 0 || size > MAX_SECTION || offset < 0 || offset + size > info.size) {
            throw new IOException(binary + ": its .dep-v0 section lies outside the file");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        try (FileChannel ch = FileChannel.open(binary, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) throw new IOException(binary + ": truncated .dep-v0 section");
            }
        }
        JsonObject list = Json.parse(inflate(b.array(), binary)).asObject();
        List<Crate> crates = new ArrayList<>();
        for (JsonValue v : list.get("packages").asArray()) {
            JsonObject p = v.asObject();
            List<Integer> deps = new ArrayList<>();
            JsonValue d = p.get("dependencies");
            if (d != null) d.asArray().forEach(i -> deps.add(i.asInt()));
            JsonValue root = p.get("root");
            crates.add(new Crate(text(p, "name", "?"), text(p, "version", "?"), text(p, "source", "unknown"), text(p, "kind", "runtime"),
                    deps, root != null && root.isTrue()));
        }
        return crates;
    }

    /** A string member, or otherwise (absent, JSON null, not a string): cargo metadata writes "license": null. */
    private static String text(JsonObject o, String key, String otherwise) {
        JsonValue v = o.get(key);
        return v != null && v.isString() ? v.asString() : otherwise;
    }

    private static String inflate(byte[] compressed, Path binary) throws IOException {
        Inflater in = new Inflater();
        in.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try {
            while (!in.finished()) {
                int n = in.inflate(buf);
                if (n == 0 && (in.needsInput() || in.needsDictionary())) throw new IOException(binary + ": truncated .dep-v0 section");
                out.write(buf, 0, n);
                if (out.size() > MAX_JSON) throw new IOException(binary + ": .dep-v0 section inflates past " + (MAX_JSON >> 20) + " MiB");
            }
        } catch (DataFormatException e) {
            throw new IOException(binary + ": .dep-v0 section is not zlib data: " + e.getMessage());
        } finally {
            in.end();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * What the embedded list leaves out, by "name@version": licences from `cargo metadata` (with dependencies;
     * offline: the build has just fetched them) and checksums from Cargo.lock. Loaded once per build, and only
     * when an SBOM is written.
     */
    record Facts(Map<String, String> licences, Map<String, String> checksums) {
        static Facts load(Workspace ws, Map<String, String> env, UnaryOperator<List<String>> runner, List<String> triples) {
            Map<String, String> licences = new HashMap<>();
            // Only the built targets' resolve: offline, the whole one needs every platform's crates, which a build
            // for Lambda never downloads (windows-sys on a new machine), and cargo metadata then fails.
            List<String> cmd = new java.util.ArrayList<>(List.of("cargo", "metadata", "--format-version", "1", "--offline",
                    "--manifest-path", ws.root.resolve("Cargo.toml").toString()));
            for (String t : triples) cmd.addAll(List.of("--filter-platform", t));
            Exec.Result r = Exec.capture(ws.root, runner.apply(cmd), env, 300);
            if (r.exit == 0) {
                for (JsonValue v : Json.parse(r.out).asObject().get("packages").asArray()) {
                    JsonObject p = v.asObject();
                    String licence = text(p, "license", null);
                    if (licence != null) licences.put(text(p, "name", "") + "@" + text(p, "version", ""), licence);
                }
            }
            return new Facts(licences, CargoLock.checksums(ws.root.resolve("Cargo.lock")));
        }
    }

    /** The CycloneDX document for one binary. binarySha256 names the file it describes (and seeds its serial number). */
    static String render(String binaryName, String binarySha256, List<Crate> crates, Facts facts) {
        Crate root = crates.stream().filter(Crate::root).findFirst().orElse(null);
        List<String> components = new ArrayList<>(), dependencies = new ArrayList<>();
        for (Crate k : crates) {
            List<String> dependsOn = k.dependencies().stream().filter(i -> i >= 0 && i < crates.size()).map(i -> crates.get(i).ref()).toList();
            dependencies.add(new JsonWriter.Obj().put("ref", k.ref()).put("dependsOn", dependsOn).toString());
            if (k == root) continue;
            components.add(component(k, "library", facts).put("scope", k.kind().equals("build") ? "excluded" : "required").toString());
        }
        JsonWriter.Obj app = root == null ? new JsonWriter.Obj().put("type", "application").put("bom-ref", binaryName).put("name", binaryName)
                : component(root, "application", facts);
        app.put("hashes", new JsonWriter.Raw(JsonWriter.array(List.of(hash(binarySha256)))));
        JsonWriter.Obj tool = new JsonWriter.Obj().put("type", "application").put("name", "build-lambda").put("version", ProjectVersion.VERSION);
        JsonWriter.Obj metadata = new JsonWriter.Obj()
                .put("tools", new JsonWriter.Obj().put("components", new JsonWriter.Raw(JsonWriter.array(List.of(tool.toString())))))
                .put("component", app);
        String doc = new JsonWriter.Obj().put("bomFormat", "CycloneDX").put("specVersion", SPEC_VERSION)
                .put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(binarySha256.getBytes(StandardCharsets.US_ASCII)))
                .put("version", 1).put("metadata", metadata)
                .put("components", new JsonWriter.Raw(JsonWriter.array(components)))
                .put("dependencies", new JsonWriter.Raw(JsonWriter.array(dependencies))).toString();
        return Json.parse(doc).toString(com.eclipsesource.json.WriterConfig.PRETTY_PRINT) + "\n";
    }

    private static JsonWriter.Obj component(Crate k, String type, Facts facts) {
        JsonWriter.Obj o = new JsonWriter.Obj().put("type", type).put("bom-ref", k.ref()).put("name", k.name()).put("version", k.version());
        if (k.purl() != null) o.put("purl", k.purl());
        String licence = facts.licences().get(k.key());
        // Old manifests write "MIT/Apache-2.0": SPDX says "MIT OR Apache-2.0".
        if (licence != null) {
            String expression = licence.replace(" / ", " OR ").replace("/", " OR ");
            o.put("licenses", new JsonWriter.Raw(JsonWriter.array(List.of(new JsonWriter.Obj().put("expression", expression).toString()))));
        }
        String checksum = k.source().equals("crates.io") ? facts.checksums().get(k.key()) : null;
        if (checksum != null) o.put("hashes", new JsonWriter.Raw(JsonWriter.array(List.of(hash(checksum)))));
        o.put("properties", new JsonWriter.Raw(JsonWriter.array(List.of(
                new JsonWriter.Obj().put("name", "cargo:source").put("value", k.source()).toString()))));
        return o;
    }

    private static String hash(String sha256) {
        return new JsonWriter.Obj().put("alg", "SHA-256").put("content", sha256).toString();
    }

    /** Writes each fresh binary's SBOM into the build's staging; the facts are loaded at the first one. */
    static final class Writer {
        private final Map<String, String> env;
        private final UnaryOperator<List<String>> runner;
        private final List<String> triples;
        private Facts facts;

        /** runner: where cargo metadata runs; triples: the cargo target triples the binaries were built for, whose resolve names their crates. */
        Writer(Map<String, String> env, UnaryOperator<List<String>> runner, List<String> triples) {
            this.env = env;
            this.runner = runner;
            this.triples = triples;
        }

        /** The SBOM of output (installed as dest), staged beside dest; null when output carries no dependency list. */
        Ref stage(Install.Staging staging, Workspace ws, Path output, ElfInfo info, Path dest, String binarySha256) {
            List<Crate> crates;
            try {
                crates = read(output, info);
            } catch (IOException | RuntimeException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read the dependency list embedded in " + output + ": " + e.getMessage()
                        + "; rebuild with --clean, or pass --no-sbom");
            }
            if (crates == null) return null;
            if (facts == null) facts = Facts.load(ws, env, runner, triples);
            String doc = render(dest.getParent().getFileName() + "/" + dest.getFileName(), binarySha256, crates, facts);
            Path file = fileFor(dest);
            Path tmp = staging.stage(file, t -> Files.writeString(t, doc));
            return new Ref(file, Installer.sha256(tmp));
        }
    }

    /** Where a binary's SBOM goes: <name>/bootstrap.cdx.json beside bootstrap.zip, extensions/<name>.cdx.json beside <name>.zip. */
    static Path fileFor(Path binary) {
        return binary.resolveSibling(binary.getFileName() + ".cdx.json");
    }

    static boolean exists(Path binary) {
        return Files.isRegularFile(fileFor(binary));
    }
}
