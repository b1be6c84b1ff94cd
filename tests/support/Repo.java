import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project is, and a scratch folder under it (under the repo so its cargo config applies). */
final class Repo {
    private Repo() {}

    static final Path ROOT = find();

    private static Path find() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.exists(q.resolve("jbang-catalog.json")) && Files.exists(q.resolve("verify-elf.java"))) return q;
        }
        throw new IllegalStateException("run the tests from inside the project (no jbang-catalog.json above " + p + ")");
    }

    /** The zig version setup.sh installs (its ZIG_VERSION line). */
    static String pinnedZig() {
        try {
            return Files.readAllLines(ROOT.resolve("setup.sh")).stream().filter(l -> l.startsWith("ZIG_VERSION="))
                    .map(l -> l.substring(12).replaceAll("\\s.*", "")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh folder below target/test-work/ that no other test uses. */
    static Path scratch(String name) {
        try {
            Path base = ROOT.resolve("target/test-work");
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
