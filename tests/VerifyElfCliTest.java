import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `./jbang verify-elf@. ...` as a user runs it: exit codes, the lines it prints, --json. */
@org.junit.jupiter.api.Tag("fast")
class VerifyElfCliTest {
    private static ElfSamples samples;
    private static Path stripped, unstripped, scratch;

    @BeforeAll
    static void samples() {
        samples = ElfSamples.get();
        stripped = samples.path(ElfSamples.A64_STATIC_STRIPPED);
        unstripped = samples.path(ElfSamples.A64_STATIC);
        scratch = Repo.scratch("verify-elf-cli");
    }

    static Proc verifyElf(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "verify-elf@.";
        System.arraycopy(args, 0, all, 1, args.length);
        return Proc.jbang(null, all);
    }

    /** What verify-elf printed on stdout, once its exit code and its number of lines are as expected. */
    static List<String> verifyElfSays(int exit, int lineCount, String... args) {
        Proc p = verifyElf(args);
        assertEquals(exit, p.exit, p.toString());
        List<String> out = lines(p.out);
        assertEquals(lineCount, out.size(), p.toString());
        return out;
    }

    static List<String> lines(String s) {
        List<String> l = new ArrayList<>(Arrays.asList(s.split("\n")));
        l.removeIf(String::isBlank);
        return l;
    }

    @Test
    void hostLsFailsForArchAndLinkage() {
        Proc p = verifyElf("/bin/ls");
        assertEquals(1, p.exit, p.toString());
        List<String> out = lines(p.out);
        assertEquals(1, out.size(), p.toString());
        String line = out.get(0);
        assertTrue(line.startsWith("/bin/ls: FAIL "), line);
        assertTrue(line.contains("x86-64, expected aarch64"), line);
        assertTrue(line.contains("dynamically linked (interpreter /lib64/ld-linux-x86-64.so.2"), line);
        assertTrue(line.contains("[ELF 64-bit LSB pie executable, x86-64, dynamically linked"), line);
        assertEquals("", p.err);
    }

    @Test
    void hostLsPassesAsDynamicX86() {
        List<String> out = verifyElfSays(0, 1, "--arch", "x86_64", "--allow-dynamic", "/bin/ls");
        assertTrue(out.get(0).startsWith("/bin/ls: OK ELF 64-bit LSB pie executable, x86-64, dynamically linked"), out.get(0));
    }

    @Test
    void strippedStaticAarch64PassesWithTheExactLine() throws IOException {
        String rel = Repo.ROOT.relativize(stripped).toString(); // as typed from the project folder
        Proc p = verifyElf(rel);
        assertEquals(0, p.exit, p.toString());
        List<String> out = lines(p.out);
        assertEquals(List.of(rel + ": OK ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped, "
                + Sizes.human(Files.size(stripped))), out);
        assertTrue(out.get(0).matches(".*, stripped, \\d+\\.\\d KiB"), out.get(0));
        assertEquals("", p.err);
    }

    @Test
    void unstrippedFails() {
        List<String> out = verifyElfSays(1, 1, unstripped.toString());
        assertTrue(out.get(0).startsWith(unstripped + ": FAIL not stripped (.symtab present) [ELF 64-bit LSB executable, ARM aarch64, statically linked, not stripped, "), out.get(0));
    }

    @Test
    void directoryIsSearchedForBootstraps() throws IOException {
        Path dir = scratch.resolve("lambda");
        for (String name : List.of("a", "b")) {
            Files.createDirectories(dir.resolve(name));
            Files.copy(stripped, dir.resolve(name).resolve("bootstrap"));
        }
        Files.copy(unstripped, dir.resolve("a").resolve("not-a-bootstrap"));
        List<String> out = verifyElfSays(0, 3, dir.toString());
        assertTrue(out.get(0).startsWith(dir.resolve("a/bootstrap") + ": OK ELF 64-bit LSB executable, ARM aarch64"), out.get(0));
        assertTrue(out.get(1).startsWith(dir.resolve("b/bootstrap") + ": OK ELF 64-bit LSB executable, ARM aarch64"), out.get(1));
        assertEquals("2 files checked: 2 OK, 0 FAIL", out.get(2));
    }

    @Test
    void filesReadBesideTheOptionParsingAnswerAsFilesReadAfterIt() throws IOException {
        // verify-elf's main reads what its arguments seem to name while picocli builds the command (EarlyRead);
        // BUILD_LAMBDA_NO_EARLY_READ=1 leaves all reading to the command. Both must print the same, byte for byte.
        Path dir = scratch.resolve("early-lambda");
        Files.createDirectories(dir.resolve("a"));
        Files.copy(stripped, dir.resolve("a").resolve("bootstrap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<List<String>> runs = List.of(
                List.of("--json", stripped.toString(), unstripped.toString()),
                List.of("--json", "--cpu", "neoverse-v1", stripped.toString()),
                List.of("--cpu=none", "--json", dir.toString()),
                List.of("--json", "--max-size", "1K", "--", stripped.toString()),
                List.of(stripped.toString(), "--cpu", "graviton4", dir.toString()));
        for (List<String> args : runs) {
            Proc early = verifyElf(args.toArray(String[]::new));
            List<String> all = new ArrayList<>(List.of("verify-elf@."));
            all.addAll(args);
            Proc late = Proc.jbang(java.util.Map.of("BUILD_LAMBDA_NO_EARLY_READ", "1"), all.toArray(String[]::new));
            assertEquals(late.exit, early.exit, args + "\n" + early + "\n" + late);
            assertEquals(late.out, early.out, args.toString());
            assertEquals(late.err, early.err, args.toString());
        }
        // What the comparison is worth: the CPU check ran and found glibc's guarded variants.
        Proc p = verifyElf("--json", stripped.toString());
        assertTrue(p.out.contains("\"guarded\":true"), p.toString());
    }

    @Test
    void anEarlyReadingIsTakenOnlyForTheFileAsItWasWhenRead() throws Exception {
        Path dir = scratch.resolve("early-stale");
        Files.createDirectories(dir.resolve("f"));
        Path f = dir.resolve("f").resolve("bootstrap");
        Files.copy(stripped, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // Unchanged: the command gets the very reading made beside the option parsing, checked for the CPU given.
        ElfInfo early = startAndAwait(f, "--json", "--cpu", "neoverse-v1", dir.toString());
        assertNotNull(early.cpuReport, "the early reading ran the CPU check");
        assertSame(CpuCheck.Cpu.NEOVERSE_V1, early.cpuReport.cpu());
        assertSame(early, EarlyRead.read(f));
        assertFalse(EarlyRead.holds(f), "taken once");
        assertEquals(CpuCheck.run(ElfReader.read(f), CpuCheck.Cpu.NEOVERSE_V1).json().text, early.cpuReport.json().text);

        // The same bytes with another modification time: read again.
        early = startAndAwait(f, f.toString());
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 60_000));
        ElfInfo again = EarlyRead.read(f);
        assertNotSame(early, again);
        assertNull(again.cpuReport, "the command's own reading leaves the CPU check to the policy");

        // Another file in its place (another inode and size): read again, the new one.
        early = startAndAwait(f, "--cpu=none", f.toString());
        assertNull(early.cpuReport, "--cpu none: no check");
        Files.copy(unstripped, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ElfInfo other = EarlyRead.read(f);
        assertNotSame(early, other);
        assertEquals(Files.size(unstripped), other.size);
    }

    /** Starts EarlyRead on args and waits until it holds f's reading (an order of events; the limit only ends a hang). */
    private static ElfInfo startAndAwait(Path f, String... args) throws InterruptedException {
        EarlyRead.start(args);
        for (int i = 0; i < 24_000 && !EarlyRead.holds(f); i++) Thread.sleep(5);
        assertTrue(EarlyRead.holds(f), "no early reading of " + f + " started");
        ElfInfo info = EarlyRead.awaitForTest(f);
        assertNotNull(info, "the early reading of " + f + " failed");
        return info;
    }

    @Test
    void directoryWithoutBootstrapFails() throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("empty-lambda/sub"));
        Files.copy(stripped, dir.resolve("my-function"));
        Path top = dir.getParent();
        List<String> out = verifyElfSays(1, 1, top.toString());
        assertTrue(out.get(0).startsWith(top + ": FAIL no file named bootstrap below this directory"), out.get(0));
    }

    @Test
    void missingPathIsAUsageErrorWithoutStackTrace() {
        Path missing = scratch.resolve("no-such-bootstrap");
        Proc p = verifyElf(missing.toString());
        assertEquals(2, p.exit, p.toString());
        assertEquals("", p.out.trim());
        List<String> err = lines(p.err);
        assertEquals(1, err.size(), "one line, nothing else: " + p);
        assertTrue(err.get(0).startsWith("verify-elf: no such file or directory: " + missing), p.toString());
        for (String l : err) {
            assertFalse(l.contains("Exception") || l.trim().startsWith("at "), "stack trace: " + p);
            assertTrue(l.startsWith("verify-elf: ") || l.equals("Try 'verify-elf --help' for usage."), "unexpected line: " + l);
        }
    }

    @Test
    void unknownArchIsAUsageError() {
        Proc p = verifyElf("--arch", "sparc", stripped.toString());
        assertEquals(2, p.exit, p.toString());
        assertEquals("", p.out.trim());
        assertTrue(p.err.startsWith("verify-elf: unknown --arch 'sparc'"), p.err);
        assertFalse(p.err.contains("Exception"), p.err);
    }

    @Test
    void maxSizeFailsLargerFiles() {
        List<String> out = verifyElfSays(1, 1, "--max-size", "1KB", stripped.toString());
        assertTrue(out.get(0).contains(": FAIL "), out.get(0));
        assertTrue(out.get(0).contains("larger than --max-size 1000 B"), out.get(0));
    }

    static final List<String> KEYS = List.of("path", "ok", "elf", "class", "endian", "arch", "type", "linkage", "interpreter",
            "needed", "glibc", "stripped", "debug_info", "size", "cpu_check", "problems");

    @Test
    void jsonHasOneObjectPerFileWithEveryField() throws IOException {
        Path empty = Files.createDirectories(scratch.resolve("json-empty"));
        Proc p = verifyElf("--json", stripped.toString(), unstripped.toString(), "/bin/ls", empty.toString());
        assertEquals(1, p.exit, p.toString());
        String out = p.out.trim();
        assertTrue(out.startsWith("[") && out.endsWith("]"), out);
        List<String> objects = objects(out);
        assertEquals(4, objects.size(), out);
        for (String o : objects) {
            assertEquals(KEYS, topKeys(o), o);
        }
        String s = objects.get(0);
        assertTrue(s.startsWith("{\"path\":\"" + stripped + "\",\"ok\":true,\"elf\":true,\"class\":64,\"endian\":\"little\",\"arch\":\"aarch64\","
                + "\"type\":\"exec\",\"linkage\":\"static\",\"interpreter\":null,\"needed\":[],\"glibc\":[],\"stripped\":true,\"debug_info\":false,"
                + "\"size\":" + Files.size(stripped) + ",\"cpu_check\":{\"cpu\":\"neoverse-n1\",\"words\":"), s);
        assertTrue(s.contains(",\"errors\":0,\"functions\":[{\"function\":\"0x") && s.endsWith("]},\"problems\":[]}"), "glibc's guarded SVE and MTE: " + s);
        assertTrue(objects.get(1).contains("\"ok\":false") && objects.get(1).contains("\"stripped\":false")
                && objects.get(1).contains("\"problems\":[\"not stripped (.symtab present)\"]"), objects.get(1));
        String ls = objects.get(2);
        assertTrue(ls.contains("\"arch\":\"x86_64\"") && ls.contains("\"type\":\"pie\"") && ls.contains("\"linkage\":\"dynamic\"")
                && ls.contains("\"interpreter\":\"/lib64/ld-linux-x86-64.so.2\"") && ls.contains("\"libc.so.6\""), ls);
        String e = objects.get(3);
        assertTrue(e.contains("\"ok\":false,\"elf\":false,\"class\":null") && e.contains("no file named bootstrap"), e);
    }

    /** The keys of one JSON object, its own only (not those of objects inside it). */
    static List<String> topKeys(String object) {
        List<String> keys = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < object.length(); i++) {
            char c = object.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (object.charAt(end) != '"') end += object.charAt(end) == '\\' ? 2 : 1;
                if (depth == 1 && object.charAt(end + 1) == ':') keys.add(object.substring(i + 1, end));
                i = end;
            } else if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') depth--;
        }
        return keys;
    }

    /** The top-level objects of a JSON array (braces inside strings are skipped). */
    static List<String> objects(String array) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = -1;
        boolean inString = false;
        for (int i = 0; i < array.length(); i++) {
            char c = array.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) start = i;
            } else if (c == '}') {
                if (--depth == 0) out.add(array.substring(start, i + 1));
            }
        }
        return out;
    }
}
