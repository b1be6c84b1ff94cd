import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Thousands of deterministic mutations of real ELF files (truncations, header fields, extended
 * numbering, class and byte-order flips, random bytes in the header tables, out-of-range offsets):
 * verify-elf must give every one a verdict, never an exception or an "internal error".
 */
@org.junit.jupiter.api.Tag("fast")
class ElfFuzzTest {
    static final long SEED = 20240611L;
    static final int BATCH = 200;

    private static final String[] BASES = {ElfSamples.A64_STATIC, ElfSamples.A64_DYNAMIC, ElfSamples.X64_DYNAMIC, ElfSamples.A64_SHARED};
    private static List<Mutant> mutants;
    private static Path scratch;

    /** One mutated copy of a base file, made on demand so thousands never sit in memory at once. */
    static final class Mutant {
        final String label;
        final byte[] base;
        final int length;              // truncation length, or -1 for the whole file
        final Consumer<ByteBuffer> edit;
        /** Files this short must fail: they end before the headers the reader needs. */
        final boolean mustFail;

        Mutant(String label, byte[] base, int length, Consumer<ByteBuffer> edit, boolean mustFail) {
            this.label = label;
            this.base = base;
            this.length = length;
            this.edit = edit;
            this.mustFail = mustFail;
        }

        byte[] bytes() {
            byte[] b = length < 0 ? base.clone() : Arrays.copyOf(base, length);
            if (edit != null) edit.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
            return b;
        }
    }

    /** Where things are in a base file (all bases are ELF64 LSB). */
    static final class Layout {
        final int size;
        final long phoff, shoff;
        final int phnum, shnum, shstrndx;
        final long namesOff;
        final int dynIndex, interpIndex, loadIndex;
        final long dynOff, dynSize, interpOff;

        Layout(byte[] f) {
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            size = f.length;
            phoff = b.getLong(32);
            shoff = b.getLong(40);
            phnum = Short.toUnsignedInt(b.getShort(56));
            shnum = Short.toUnsignedInt(b.getShort(60));
            shstrndx = Short.toUnsignedInt(b.getShort(62));
            namesOff = b.getLong((int) shoff + shstrndx * 64 + 24);
            int dyn = -1, interp = -1, load = -1;
            for (int i = 0; i < phnum; i++) {
                int t = b.getInt((int) phoff + i * 56);
                if (t == 2 && dyn < 0) dyn = i;
                if (t == 3 && interp < 0) interp = i;
                if (t == 1 && load < 0) load = i;
            }
            dynIndex = dyn;
            interpIndex = interp;
            loadIndex = load;
            dynOff = dyn < 0 ? -1 : b.getLong((int) phoff + dyn * 56 + 8);
            dynSize = dyn < 0 ? 0 : b.getLong((int) phoff + dyn * 56 + 32);
            interpOff = interp < 0 ? -1 : b.getLong((int) phoff + interp * 56 + 8);
        }

        long headersEnd() {
            return Math.max(64, Math.max(phoff + 56L * phnum, shoff + 64L * shnum));
        }

        int ph(int i) {
            return (int) phoff + i * 56;
        }

        int sh(int i) {
            return (int) shoff + i * 64;
        }
    }

    @BeforeAll
    static void makeMutants() throws IOException {
        ElfSamples samples = ElfSamples.get();
        scratch = Repo.scratch("elf-fuzz");
        mutants = new ArrayList<>();
        for (int k = 0; k < BASES.length; k++) {
            byte[] base = Files.readAllBytes(samples.path(BASES[k]));
            mutants.addAll(mutantsOf(BASES[k], base, new Random(SEED + k)));
        }
    }

    static List<Mutant> mutantsOf(String name, byte[] f, Random rnd) {
        Layout l = new Layout(f);
        assertTrue(l.phnum > 0 && l.shnum > 0 && l.headersEnd() <= l.size, name + " is not a usable base");
        List<Mutant> out = new ArrayList<>();
        out.add(new Mutant(name + " unchanged", f, -1, null, false));

        // Truncation at every length that ends somewhere interesting.
        TreeSet<Long> cuts = new TreeSet<>();
        for (long n = 0; n <= 64; n++) cuts.add(n);
        for (long d : new long[]{-1, 0, 1, 28}) cuts.add(l.phoff + d);
        for (int i = 0; i < l.phnum; i++) for (int d : new int[]{1, 8, 28, 55}) cuts.add(l.phoff + 56L * i + d);
        cuts.add(l.phoff + 56L * l.phnum);
        for (long d : new long[]{-1, 0, 1}) cuts.add(l.shoff + d);
        for (int i = 0; i < l.shnum; i++) for (int d : new int[]{1, 32}) cuts.add(l.shoff + 64L * i + d);
        cuts.add(l.shoff + 64L * l.shnum - 1);
        for (long d : new long[]{0, 1, 5, 11}) cuts.add(l.namesOff + d);
        if (l.dynOff >= 0) for (long d : new long[]{0, 8, 16, l.dynSize - 1}) cuts.add(l.dynOff + d);
        if (l.interpOff >= 0) for (long d : new long[]{0, 3}) cuts.add(l.interpOff + d);
        for (int i = 0; i < 50; i++) cuts.add((long) rnd.nextInt(l.size));
        for (long c : cuts) {
            if (c < 0 || c >= l.size) continue;
            out.add(new Mutant(name + " cut at " + c, f, (int) c, null, c < l.headersEnd()));
        }

        // Header fields set to awkward values.
        long[] wide = {0, 1, 63, 64, l.size - 1, l.size, l.size + 1, Long.MAX_VALUE, -1, 1L << 32, 1L << 40,
                rnd.nextLong(), rnd.nextInt(l.size), rnd.nextInt(l.size)};
        for (int field : new int[]{32, 40}) {
            for (long v : wide) out.add(edit(name + " e_" + (field == 32 ? "phoff" : "shoff") + "=" + v, f, b -> b.putLong(field, v)));
        }
        String[] halfNames = {"e_type", "e_machine", "e_phentsize", "e_phnum", "e_shentsize", "e_shnum", "e_shstrndx", "e_ehsize"};
        int[] halfOffsets = {16, 18, 54, 56, 58, 60, 62, 52};
        for (int h = 0; h < halfOffsets.length; h++) {
            int off = halfOffsets[h];
            int real = Short.toUnsignedInt(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getShort(off));
            for (int v : new int[]{0, 1, 2, 3, 4, 0x7fff, 0x8000, 0xfffe, 0xffff, real - 1, real + 1, rnd.nextInt(0x10000), rnd.nextInt(0x10000)}) {
                out.add(edit(name + " " + halfNames[h] + "=" + v, f, b -> b.putShort(off, (short) v)));
            }
        }

        // Extended numbering: counts and the name table index in section header 0.
        int sh0 = l.sh(0);
        for (long v : new long[]{l.shnum, 0, 1, l.shnum - 1, l.shnum + 1, 0xffffffffL, 1L << 40, -1, 262_145, rnd.nextInt(100_000)}) {
            out.add(edit(name + " e_shnum=0 sh_size=" + v, f, b -> b.putShort(60, (short) 0).putLong(sh0 + 32, v)));
        }
        for (long v : new long[]{l.shstrndx, 0, l.shnum, l.shnum - 1, 0xffffffffL, 0xfffe, 0xffff, rnd.nextInt(1000)}) {
            out.add(edit(name + " e_shstrndx=0xffff sh_link=" + v, f, b -> b.putShort(62, (short) 0xffff).putInt(sh0 + 40, (int) v)));
        }
        for (long v : new long[]{l.phnum, 0, 1, l.phnum + 1, 0xffff, 65_536, 65_537, 0xffffffffL, rnd.nextInt(100_000)}) {
            out.add(edit(name + " e_phnum=0xffff sh_info=" + v, f, b -> b.putShort(56, (short) 0xffff).putInt(sh0 + 44, (int) v)));
        }
        out.add(edit(name + " all three extended, real values", f, b -> b.putShort(56, (short) 0xffff).putShort(60, (short) 0)
                .putShort(62, (short) 0xffff).putLong(sh0 + 32, l.shnum).putInt(sh0 + 40, l.shstrndx).putInt(sh0 + 44, l.phnum)));
        out.add(edit(name + " all three extended, e_shoff=0", f, b -> b.putShort(56, (short) 0xffff).putShort(60, (short) 0)
                .putShort(62, (short) 0xffff).putLong(40, 0)));
        out.add(edit(name + " e_shnum=0 with e_shentsize=40", f, b -> b.putShort(60, (short) 0).putShort(58, (short) 40)));
        out.add(edit(name + " e_shnum=0 with e_shoff past the end", f, b -> b.putShort(60, (short) 0).putLong(40, l.size - 10)));

        // Class and byte order flips (the rest of the file stays 64-bit little-endian).
        for (int cls : new int[]{0, 1, 2, 3, 0xff}) {
            for (int data : new int[]{0, 1, 2, 3}) {
                out.add(edit(name + " EI_CLASS=" + cls + " EI_DATA=" + data, f, b -> b.put(4, (byte) cls).put(5, (byte) data)));
            }
        }
        for (int cut : new int[]{51, 52, 53, 63, 64, 65}) {
            out.add(new Mutant(name + " ELF32 cut at " + cut, f, cut, b -> b.put(4, (byte) 1), false));
            out.add(new Mutant(name + " MSB cut at " + cut, f, cut, b -> b.put(5, (byte) 2), false));
        }

        // Random bytes in the ELF header, the program header table and the section header table.
        addRandom(out, name + " ELF header", f, rnd, 16, 64, 100);
        addRandom(out, name + " program headers", f, rnd, (int) l.phoff, (int) l.phoff + 56 * l.phnum, 200);
        addRandom(out, name + " section headers", f, rnd, (int) l.shoff, (int) l.shoff + 64 * l.shnum, 200);
        if (l.dynOff >= 0) addRandom(out, name + " dynamic segment", f, rnd, (int) l.dynOff, (int) (l.dynOff + l.dynSize), 50);
        if (l.interpOff >= 0) addRandom(out, name + " interpreter", f, rnd, (int) l.interpOff, (int) l.interpOff + 28, 10);

        // Segment and section offsets and sizes out of range.
        long[] far = {0, 1, l.size - 1, l.size, l.size + 1, 8191, 8192, 8193, 1L << 32, Long.MAX_VALUE, -1, -8192};
        for (int[] seg : new int[][]{{l.dynIndex, 2}, {l.interpIndex, 3}, {l.loadIndex, 1}}) {
            if (seg[0] < 0) continue;
            int ph = l.ph(seg[0]);
            for (long v : far) {
                out.add(edit(name + " p_offset of type " + seg[1] + " = " + v, f, b -> b.putLong(ph + 8, v)));
                out.add(edit(name + " p_filesz of type " + seg[1] + " = " + v, f, b -> b.putLong(ph + 32, v)));
                if (seg[1] == 1) out.add(edit(name + " p_vaddr of PT_LOAD = " + v, f, b -> b.putLong(ph + 16, v)));
            }
        }
        int names = l.sh(l.shstrndx);
        for (long v : far) {
            out.add(edit(name + " shstrtab sh_offset=" + v, f, b -> b.putLong(names + 24, v)));
            out.add(edit(name + " shstrtab sh_name=" + v, f, b -> b.putInt(names, (int) v)));
        }
        out.add(edit(name + " every sh_name huge", f, b -> {
            for (int i = 0; i < l.shnum; i++) b.putInt(l.sh(i), 0xfffffff0);
        }));
        out.add(edit(name + " every section SHT_SYMTAB", f, b -> {
            for (int i = 0; i < l.shnum; i++) b.putInt(l.sh(i) + 4, 2);
        }));
        out.add(edit(name + " every segment PT_DYNAMIC", f, b -> {
            for (int i = 0; i < l.phnum; i++) b.putInt(l.ph(i), 2);
        }));
        out.add(edit(name + " every segment PT_INTERP", f, b -> {
            for (int i = 0; i < l.phnum; i++) b.putInt(l.ph(i), 3);
        }));
        return out;
    }

    private static Mutant edit(String label, byte[] f, Consumer<ByteBuffer> e) {
        return new Mutant(label, f, -1, e, false);
    }

    private static void addRandom(List<Mutant> out, String what, byte[] f, Random rnd, int from, int to, int count) {
        for (int n = 0; n < count; n++) {
            int changes = 1 + rnd.nextInt(8);
            int[] pos = new int[changes];
            byte[] val = new byte[changes];
            for (int c = 0; c < changes; c++) {
                pos[c] = from + rnd.nextInt(to - from);
                int kind = rnd.nextInt(4);
                val[c] = (byte) (kind == 0 ? 0 : kind == 1 ? 0xff : rnd.nextInt(256));
            }
            out.add(edit(what + " random #" + n + " at " + Arrays.toString(pos), f, b -> {
                for (int c = 0; c < pos.length; c++) b.put(pos[c], val[c]);
            }));
        }
    }

    /** Reads one mutant in-process; returns what is wrong with the result, or null. */
    static String check(Mutant m, Path p, ElfPolicy.Verdict[] verdictOut) {
        try {
            ElfInfo info = ElfReader.read(p);
            ElfPolicy.Verdict v = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).withCpu(CpuCheck.Cpu.NEOVERSE_N1).check(p.toString(), info); // verify-elf's defaults
            if (verdictOut != null) verdictOut[0] = v;
            String line = v.line();
            if (line == null || !(line.startsWith(p + ": OK ") || line.startsWith(p + ": FAIL "))) return "bad line: " + line;
            if (v.ok() != v.problems().isEmpty()) return "ok=" + v.ok() + " with problems " + v.problems();
            for (String s : v.problems()) if (s == null || s.contains("internal error")) return "problem: " + s;
            if (m.mustFail && v.ok()) return "a file cut before its headers end passed: " + line;
            long want = m.length < 0 ? m.base.length : m.length;
            if (info.size != want) return "size " + info.size + ", expected " + want;
            String json = v.toJson();
            if (!json.startsWith("{\"path\":") || !json.endsWith("}")) return "bad JSON: " + json;
            info.describe();
            return null;
        } catch (Throwable t) {
            return "threw " + t;
        }
    }

    @Test
    void thousandsOfMutantsGetAVerdictAndNeverAnInternalError() throws IOException {
        assertTrue(mutants.size() >= 3000, "only " + mutants.size() + " mutants");
        Path[] slots = new Path[8];
        for (int s = 0; s < slots.length; s++) slots[s] = scratch.resolve("mutant-" + s);
        List<String> bad = new ArrayList<>();
        int ok = 0, mustFail = 0;
        ElfPolicy.Verdict[] v = new ElfPolicy.Verdict[1];
        try {
            for (int i = 0; i < mutants.size(); i++) {
                Mutant m = mutants.get(i);
                Path p = slots[i % slots.length];
                Files.write(p, m.bytes());
                String wrong = check(m, p, v);
                if (wrong != null) bad.add(m.label + ": " + wrong);
                else if (v[0].ok()) ok++;
                if (m.mustFail) mustFail++;
            }
        } finally {
            delete(slots);
        }
        assertTrue(bad.isEmpty(), bad.size() + " of " + mutants.size() + " mutants went wrong:\n"
                + String.join("\n", bad.subList(0, Math.min(40, bad.size()))));
        // Every base fails the default policy (unstripped, dynamic, x86-64 or a shared object); only a few
        // mutations (such as hiding the section header table) turn one into a pass.
        assertTrue(mustFail > 400, "truncations below the headers: " + mustFail);
        assertTrue(ok < mutants.size() / 10, ok + " mutants passed the default policy");
    }

    @Test
    void verifyElfJsonOverBatchesOfMutants() throws IOException {
        Path[] slots = new Path[BATCH];
        for (int s = 0; s < BATCH; s++) slots[s] = scratch.resolve("batch-" + s);
        List<String> bad = new ArrayList<>();
        try {
            runBatches(slots, bad);
        } finally {
            delete(slots);
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad.subList(0, Math.min(40, bad.size()))));
    }

    private static void runBatches(Path[] slots, List<String> bad) throws IOException {
        int batches = 0, checked = 0;
        for (int start = 0; start < mutants.size(); start += BATCH) {
            int n = Math.min(BATCH, mutants.size() - start);
            String[] args = new String[n + 1];
            args[0] = "--json";
            int expectedOk = 0;
            ElfPolicy.Verdict[] v = new ElfPolicy.Verdict[1];
            for (int k = 0; k < n; k++) {
                Mutant m = mutants.get(start + k);
                Files.write(slots[k], m.bytes());
                args[k + 1] = slots[k].toString();
                String wrong = check(m, slots[k], v);
                if (wrong != null) bad.add(m.label + ": " + wrong);
                else if (v[0].ok()) expectedOk++;
            }
            ElfSamples.Run r = ElfSamples.verifyElf(args);
            String label = "batch from mutant " + start + " (" + mutants.get(start).label + ")";
            assertTrue(r.exit == 0 || r.exit == 1 || r.exit == 2, label + ": " + r.exit);
            assertEquals(expectedOk == n ? 0 : 1, r.exit, label);
            assertEquals("", r.err, label);
            String out = r.out.trim();
            assertTrue(out.startsWith("[") && out.endsWith("]"), label + ": not a JSON array: " + out.substring(0, Math.min(200, out.length())));
            assertEquals(n, count(out, "\"path\":"), label);
            assertEquals(n, count(out, "\"problems\":["), label);
            assertEquals(expectedOk, count(out, "\"ok\":true"), label);
            assertFalse(out.contains("internal error"), label);
            batches++;
            checked += n;
        }
        assertEquals(mutants.size(), checked);
        assertTrue(batches >= 15, batches + " batches");
    }

    private static void delete(Path[] files) throws IOException {
        for (Path f : files) Files.deleteIfExists(f);
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) n++;
        return n;
    }

    @Test
    void fourGigabyteSparseFileReadsOnlyItsHeaders() throws IOException {
        Path original = ElfSamples.get().path(ElfSamples.A64_STATIC_STRIPPED);
        Path big = scratch.resolve("sparse-bootstrap");
        Files.copy(original, big);
        long length = (4L << 30) + 12345;
        try {
            try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
                raf.setLength(length);
            }
            ElfInfo a = ElfReader.read(original), b = ElfReader.read(big);
            assertEquals(length, b.size);
            assertEquals(Files.size(original), a.size);
            assertEquals(a.describe(), b.describe());
            assertEquals(List.of(a.elf, a.elfClass, a.endian, a.machine, a.type, a.linkage, String.valueOf(a.interpreter), a.needed,
                            a.hasSymtab, a.debugInfo, a.stripped, a.noSectionHeaders, a.malformed),
                    List.of(b.elf, b.elfClass, b.endian, b.machine, b.type, b.linkage, String.valueOf(b.interpreter), b.needed,
                            b.hasSymtab, b.debugInfo, b.stripped, b.noSectionHeaders, b.malformed));
            ElfPolicy policy = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1);
            assertTrue(policy.check("a", a).ok());
            ElfPolicy.Verdict vb = policy.check(big.toString(), b);
            assertTrue(vb.ok(), vb.line());
            assertEquals(big + ": OK " + a.describe() + ", 4.0 GiB", vb.line());

            ElfSamples.Run r = ElfSamples.verifyElf("--json", "--max-size", "50MB", big.toString(), original.toString());
            assertEquals(1, r.exit, r.toString());
            assertEquals(1, count(r.out, "\"ok\":true"), r.out);
            assertEquals(1, count(r.out, "4.0 GiB, larger than --max-size 47.7 MiB"), r.out);
            assertEquals(1, count(r.out, "\"size\":" + length + ","), r.out);
        } finally {
            Files.deleteIfExists(big);
        }
    }
}
