import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** GLIBC_x.y needs read from .gnu.version_r, against readelf's, and the --max-glibc/--runtime guard. */
@org.junit.jupiter.api.Tag("fast")
class GlibcTest {
    static final ElfSamples samples = ElfSamples.get();

    /** The GLIBC versions `readelf -V` lists in a file's version-needs section, sorted as verify-elf sorts them. */
    static List<String> readelf(Path p) {
        String readelf = p.toString().contains("aarch64") ? "aarch64-linux-gnu-readelf" : "readelf";
        Proc r = Proc.run(Repo.ROOT, readelf, "-V", "-W", p.toString());
        assertEquals(0, r.exit, r.toString());
        String needs = r.out.contains(".gnu.version_r") ? r.out.substring(r.out.indexOf(".gnu.version_r")) : "";
        Matcher m = Pattern.compile("Name: GLIBC_(\\d+(?:\\.\\d+)*)").matcher(needs);
        List<String> out = new ArrayList<>();
        while (m.find()) if (!out.contains(m.group(1))) out.add(m.group(1));
        out.sort(ElfReader::compareVersions);
        return out;
    }

    @Test
    void versionNeedsAgreeWithReadelfOnRealBinaries() throws Exception {
        List<Path> files = new ArrayList<>(List.of(samples.path(ElfSamples.A64_DYNAMIC), samples.path(ElfSamples.X64_DYNAMIC),
                Path.of("/bin/ls"), Path.of("/usr/bin/find"), Path.of("/usr/bin/ssh-keygen")));
        List<String> mismatches = new ArrayList<>();
        int withGlibc = 0;
        for (Path f : files) {
            if (!f.toFile().isFile()) continue;
            List<String> ours = ElfReader.read(f).glibc, theirs = readelf(f);
            if (!theirs.isEmpty()) withGlibc++;
            if (!ours.equals(theirs)) mismatches.add(f + ": verify-elf " + ours + ", readelf " + theirs);
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertTrue(withGlibc >= 3, "too few binaries with glibc needs: " + withGlibc);
        assertEquals(List.of(), ElfReader.read(samples.path(ElfSamples.A64_STATIC_STRIPPED)).glibc, "a static binary needs no glibc");
    }

    @Test
    void maxGlibcFailsABinaryThatNeedsNewer() throws Exception {
        Path dyn = samples.path(ElfSamples.A64_DYNAMIC);
        List<String> needs = ElfReader.read(dyn).glibc;
        String newest = needs.get(needs.size() - 1);
        assertTrue(ElfReader.compareVersions(newest, "2.26") > 0, "Debian 12's gcc links __libc_start_main@GLIBC_2.34: " + needs);
        ElfSamples.Run al2 = ElfSamples.verifyElf("--allow-dynamic", "--runtime", "provided.al2", dyn.toString());
        assertEquals(1, al2.exit, al2.toString());
        assertTrue(al2.out.contains("needs GLIBC_" + newest + ", newer than --max-glibc 2.26"), al2.out);
        ElfSamples.Run fits = ElfSamples.verifyElf("--allow-dynamic", "--allow-unstripped", "--max-glibc", newest, dyn.toString());
        assertEquals(0, fits.exit, fits.toString());
        ElfSamples.Run bad = ElfSamples.verifyElf("--max-glibc", "two", dyn.toString());
        assertEquals(2, bad.exit, bad.toString());
    }

    @Test
    void versionsCompareNumerically() {
        List<String> v = Arrays.stream("2.34 2.2.5 2.17 2.9 2.3.4 2.3".split(" ")).sorted(ElfReader::compareVersions).collect(Collectors.toList());
        assertEquals(List.of("2.2.5", "2.3", "2.3.4", "2.9", "2.17", "2.34"), v);
    }
}
