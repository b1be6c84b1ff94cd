import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

    static String lastLine(String s) {
        List<String> lines = s.strip().lines().collect(Collectors.toList());
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
