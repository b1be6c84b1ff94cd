import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions about what a script printed, shared by the test classes. */
final class Asserts {
    private Asserts() {}

    static void assertNoTrace(Proc p) {
        assertFalse(p.err.contains("Exception") || p.err.matches("(?s).*\\n\\s+at [a-z].*"), "stack trace shown:\n" + p.err);
        List<String> lines = new ArrayList<>();
        p.err.lines().filter(l -> !l.startsWith("[jbang]") && !l.isBlank()).forEach(lines::add);
        assertTrue(lines.size() <= 2, "expected one clear line (plus a usage hint), got:\n" + p.err);
    }

    /** A build run with --json that succeeded: its stdout is the JSON report alone, naming every function. Returns it. */
    static String assertJsonReport(Proc build, List<String> functions) {
        assertEquals(0, build.exit, build.toString());
        String json = build.out.trim();
        assertTrue(json.startsWith("{") && json.endsWith("}"), "stdout must be only the JSON report:\n" + build.out);
        for (String f : functions) assertTrue(json.contains("\"name\":\"" + f + "\""), f + " missing from " + json);
        return json;
    }

    /** A bootstrap as every build must leave it: an ARM64 executable, statically linked, stripped, by our reader and by `file`. */
    static void assertStaticStrippedArm64(Path bootstrap) throws IOException {
        ElfInfo i = ElfReader.read(bootstrap);
        assertEquals("aarch64", i.arch(), bootstrap.toString());
        assertEquals(ElfInfo.Linkage.STATIC, i.linkage, bootstrap.toString());
        assertEquals(Boolean.TRUE, i.stripped, bootstrap.toString());
        assertEquals(ElfInfo.Type.EXEC, i.type, bootstrap.toString());
        String file = Proc.run(Repo.ROOT, "file", "-b", bootstrap.toString()).out;
        assertTrue(file.startsWith("ELF 64-bit LSB executable, ARM aarch64") && file.contains("statically linked, stripped"), file);
    }

    static String lastLine(String s) {
        List<String> lines = s.strip().lines().collect(Collectors.toList());
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
