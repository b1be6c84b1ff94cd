import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * docs/reference/manifest.schema.json applied to a manifest. tests/all.java runs it over every manifest.json
 * a build wrote during the run (one with .build-state.json beside it: a lambda folder), after the tests.
 */
final class ManifestSchema {
    private ManifestSchema() {}

    static final Path FILE = Repo.ROOT.resolve("docs/reference/manifest.schema.json");
    private static JsonSchema schema;

    private static synchronized JsonSchema schema() throws IOException {
        if (schema == null) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(FILE));
        }
        return schema;
    }

    /** The schema's complaints about one manifest's text; empty when it is valid. */
    static List<String> problems(String json) throws IOException {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : schema().validate(new ObjectMapper().readTree(json))) out.add(m.getMessage());
        return out;
    }

    /** Every manifest.json below dir that a build wrote (a .build-state.json beside it) since `since`. */
    static List<Path> writtenSince(Path dir, FileTime since) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) return found;
        Set<String> skip = Set.of(".git", "node_modules", "cdk.out", "release", "debug", "registry", ".fingerprint", "deps", "incremental");
        Files.walkFileTree(dir, Set.of(), 8, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                String n = d.getFileName() == null ? "" : d.getFileName().toString();
                return skip.contains(n) || n.contains("-unknown-linux-") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (f.getFileName().toString().equals("manifest.json") && Files.isRegularFile(f.resolveSibling(".build-state.json"))
                        && a.lastModifiedTime().compareTo(since) >= 0) {
                    found.add(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }
}
