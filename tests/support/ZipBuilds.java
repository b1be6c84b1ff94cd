import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat-lite fixture (LiteBuild) built with --zip twice from clean, in two copies (a and b) with their own
 * target folders, as a deploy pipeline would build it on two days; then one function's source changed
 * in copy b (ws-connect greets "guest" instead of "anonymous") and b rebuilt. Built once per run and
 * shared by the CDK and manifest-diff tests (LiteBuild builds without --zip, into one folder).
 */
final class ZipBuilds {
    static final String CHANGED = "ws-connect";

    /** Lambda folders: a's, b's before the change (a copy), b's after it. */
    final Path a, bBefore, bAfter;

    private static ZipBuilds instance;

    private ZipBuilds(Path a, Path bBefore, Path bAfter) {
        this.a = a;
        this.bBefore = bBefore;
        this.bAfter = bAfter;
    }

    static synchronized ZipBuilds get() {
        if (instance == null) {
            try {
                instance = build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static ZipBuilds build() throws IOException {
        Path wsA = clean("zip-build-a"), wsB = clean("zip-build-b");
        Path bBefore = Repo.scratch("zip-build-b-before").resolve("lambda");
        PackagingTest.copyTree(wsB.resolve("target/lambda"), bBefore);
        Path main = wsB.resolve(CHANGED + "/src/main.rs");
        String src = Files.readString(main);
        assertTrue(src.contains("\"anonymous\""), "the source edit no longer applies to " + main);
        Files.writeString(main, src.replace("\"anonymous\"", "\"guest\""));
        PackagingTest.buildIn(wsB, env(wsB), "--zip");
        return new ZipBuilds(wsA.resolve("target/lambda"), bBefore, wsB.resolve("target/lambda"));
    }

    /** A copy of the chat-lite fixture (without target/) built from clean with --zip. */
    private static Path clean(String name) throws IOException {
        Path ws = Repo.scratch(name);
        PackagingTest.copyTree(LiteBuild.WORKSPACE, ws);
        PackagingTest.buildIn(ws, env(ws), "--zip");
        return ws;
    }

    private static Map<String, String> env(Path ws) {
        return new HashMap<>(Map.of("CARGO_TARGET_DIR", ws.resolve("target").toString(), "NO_COLOR", "1"));
    }
}
