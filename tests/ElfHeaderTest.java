import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** ElfReader and ElfPolicy on small hand-built ELF images, one header field at a time. */
@org.junit.jupiter.api.Tag("fast")
class ElfHeaderTest {
    private static Path dir;
    private static int counter;

    @BeforeAll
    static void scratch() {
        dir = Repo.scratch("elf-header");
    }

    static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3;
    static final long BASE = 0x400000;
    // Layout of every image (offsets in the file).
    static final int PH = 0x40, INTERP = 0x100, DYN = 0x140, DYNSTR = 0x200, SHSTR = 0x240, SH = 0x300, SIZE = 0x500;
    static final String SHSTRTAB = "\0.shstrtab\0.symtab\0.debug_info\0.text\0";
    static final int N_SHSTRTAB = 1, N_SYMTAB = 11, N_DEBUG = 19, N_TEXT = 31;

    /** An ELF image in memory with setters for the fields these tests touch. */
    static final class Img {
        final boolean e64;
        final ByteBuffer b;

        Img(boolean e64, boolean big) {
            this.e64 = e64;
            b = ByteBuffer.allocate(SIZE).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
            b.put(4, (byte) (e64 ? 2 : 1)).put(5, (byte) (big ? 2 : 1)).put(6, (byte) 1);
            half(16, 2).half(18, 183).word(20, 1).addr(24, BASE);
            half(e64 ? 52 : 40, e64 ? 64 : 52);
            phoff(PH).phentsize(e64 ? 56 : 32).phnum(0);
            shoff(SH).shentsize(e64 ? 64 : 40).shnum(0).shstrndx(0);
            bytes(SHSTR, SHSTRTAB);
        }

        /** A stripped static executable: PT_LOAD over the whole file; sections null, .shstrtab, .text. */
        static Img standard(boolean e64, boolean big) {
            Img i = new Img(e64, big);
            i.phnum(1).ph(0, PT_LOAD, 0, BASE, SIZE);
            i.shnum(3).shstrndx(1);
            i.sh(1, N_SHSTRTAB, SHT_STRTAB, SHSTR, SHSTRTAB.length(), 0, 0);
            i.sh(2, N_TEXT, SHT_PROGBITS, 0x80, 0x10, 0, 0);
            return i;
        }

        Img half(int off, int v) {
            b.putShort(off, (short) v);
            return this;
        }

        Img word(int off, long v) {
            b.putInt(off, (int) v);
            return this;
        }

        Img addr(int off, long v) {
            if (e64) b.putLong(off, v);
            else b.putInt(off, (int) v);
            return this;
        }

        Img bytes(int off, String s) {
            byte[] a = s.getBytes(StandardCharsets.ISO_8859_1);
            for (int k = 0; k < a.length; k++) b.put(off + k, a[k]);
            return this;
        }

        Img type(int v) { return half(16, v); }
        Img phoff(long v) { return addr(e64 ? 32 : 28, v); }
        Img shoff(long v) { return addr(e64 ? 40 : 32, v); }
        Img phentsize(int v) { return half(e64 ? 54 : 42, v); }
        Img phnum(int v) { return half(e64 ? 56 : 44, v); }
        Img shentsize(int v) { return half(e64 ? 58 : 46, v); }
        Img shnum(int v) { return half(e64 ? 60 : 48, v); }
        Img shstrndx(int v) { return half(e64 ? 62 : 50, v); }

        Img ph(int index, int type, long offset, long vaddr, long filesz) {
            int p = PH + index * (e64 ? 56 : 32);
            word(p, type);
            if (e64) {
                word(p + 4, 4).addr(p + 8, offset).addr(p + 16, vaddr).addr(p + 24, vaddr).addr(p + 32, filesz).addr(p + 40, filesz).addr(p + 48, 8);
            } else {
                addr(p + 4, offset).addr(p + 8, vaddr).addr(p + 12, vaddr).addr(p + 16, filesz).addr(p + 20, filesz).word(p + 24, 4).addr(p + 28, 4);
            }
            return this;
        }

        Img sh(int index, int name, int type, long offset, long size, long link, long info) {
            int s = SH + index * (e64 ? 64 : 40);
            word(s, name).word(s + 4, type);
            if (e64) addr(s + 24, offset).addr(s + 32, size).word(s + 40, link).word(s + 44, info);
            else addr(s + 16, offset).addr(s + 20, size).word(s + 24, link).word(s + 28, info);
            return this;
        }

        Img dyn(int index, long tag, long val) {
            int d = DYN + index * (e64 ? 16 : 8);
            return addr(d, tag).addr(d + (e64 ? 8 : 4), val);
        }

        /** PT_DYNAMIC at DYN with the given entries, names in DYNSTR. */
        Img dynamic(int phIndex, long[]... entries) {
            bytes(DYNSTR, "\0libc.so.6\0libm.so.6\0");
            for (int k = 0; k < entries.length; k++) dyn(k, entries[k][0], entries[k][1]);
            return ph(phIndex, PT_DYNAMIC, DYN, BASE + DYN, (long) entries.length * (e64 ? 16 : 8));
        }

        Path write() throws IOException {
            Path p = dir.resolve("img-" + (counter++));
            Files.write(p, b.array());
            return p;
        }

        Path write(int length) throws IOException {
            Path p = dir.resolve("img-" + (counter++));
            Files.write(p, java.util.Arrays.copyOf(b.array(), length));
            return p;
        }
    }

    static final long DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_FLAGS_1 = 0x6ffffffbL, DF_1_PIE = 0x08000000L, DF_1_NOW = 1;

    static ElfInfo read(Img i) throws IOException {
        return ElfReader.read(i.write());
    }

    static List<String> problems(ElfInfo info) {
        return new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).problems(info);
    }

    @Test
    void standardImageIsAStrippedStaticExecutable() throws IOException {
        ElfInfo i = read(Img.standard(true, false));
        assertEquals(List.of(), i.malformed);
        assertEquals("ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped", i.describe());
        assertEquals(List.of(), problems(i));
        assertEquals(SIZE, i.size);
    }

    @Test
    void extendedSectionCountComesFromSectionHeaderZero() throws IOException {
        Img img = Img.standard(true, false).shnum(4);
        img.sh(3, N_SYMTAB, SHT_SYMTAB, 0x90, 0x18, 0, 0);
        assertEquals(Boolean.TRUE, read(img).hasSymtab, "4 sections given directly");

        img.shnum(0).sh(0, 0, 0, 0, 4, 0, 0);
        ElfInfo i = read(img);
        assertEquals(List.of(), i.malformed);
        assertEquals(Boolean.TRUE, i.hasSymtab, "e_shnum = 0 and sh_size = 4 must reach the .symtab in section 3");
        assertFalse(i.noSectionHeaders);
        assertEquals(List.of("not stripped (.symtab present)"), problems(i));

        img.sh(0, 0, 0, 0, 3, 0, 0);
        assertEquals(Boolean.FALSE, read(img).hasSymtab, "sh_size = 3 leaves section 3 out");

        img.sh(0, 0, 0, 0, 0, 0, 0);
        ElfInfo none = read(img);
        assertTrue(none.noSectionHeaders, "e_shnum = 0 and sh_size = 0: no sections");
        assertEquals("ELF 64-bit LSB executable, ARM aarch64, statically linked, no section header", none.describe());

        img.sh(0, 0, 0, 0, 1L << 40, 0, 0);
        ElfInfo huge = read(img);
        assertEquals(1, huge.malformed.size(), huge.malformed.toString());
        assertTrue(huge.malformed.get(0).startsWith("too many section headers"), huge.malformed.toString());
    }

    @Test
    void extendedNameTableIndexComesFromShLink() throws IOException {
        Img img = Img.standard(true, false).shnum(4);
        img.sh(2, N_DEBUG, SHT_PROGBITS, 0x80, 0x10, 0, 0); // .debug_info
        img.sh(3, N_SHSTRTAB, SHT_STRTAB, SHSTR, SHSTRTAB.length(), 0, 0);
        img.sh(1, N_TEXT, SHT_PROGBITS, 0x80, 0x10, 0, 0);
        img.shstrndx(0xffff).sh(0, 0, 0, 0, 0, 3, 0);
        ElfInfo i = read(img);
        assertEquals(List.of(), i.malformed);
        assertEquals(Boolean.TRUE, i.debugInfo, "names must be read from section 3, named by sh_link");
        assertEquals(Boolean.FALSE, i.hasSymtab);
        assertEquals("ELF 64-bit LSB executable, ARM aarch64, statically linked, with debug_info, not stripped", i.describe());

        img.sh(0, 0, 0, 0, 0, 1, 0); // section 1 is .text: its bytes are no name table
        assertEquals(Boolean.FALSE, read(img).debugInfo);

        img.sh(0, 0, 0, 0, 0, 99, 0);
        ElfInfo bad = read(img);
        assertEquals(List.of("section name table index 99 is out of range (4 sections)"), bad.malformed);
        assertNull(bad.stripped);
    }

    @Test
    void extendedSegmentCountComesFromShInfo() throws IOException {
        Img img = Img.standard(true, false);
        img.phnum(0xffff).sh(0, 0, 0, 0, 0, 0, 2);
        img.dynamic(1, new long[]{DT_NEEDED, 1}, new long[]{DT_STRTAB, BASE + DYNSTR}, new long[]{DT_NULL, 0});
        ElfInfo i = read(img);
        assertEquals(List.of(), i.malformed);
        assertEquals(ElfInfo.Linkage.DYNAMIC, i.linkage, "the PT_DYNAMIC in segment 1 is only seen when sh_info = 2 is used");
        assertEquals(List.of("libc.so.6"), i.needed);
        assertEquals(List.of("dynamically linked (needs libc.so.6)"), problems(i));

        img.sh(0, 0, 0, 0, 0, 0, 1);
        assertEquals(ElfInfo.Linkage.STATIC, read(img).linkage, "sh_info = 1 leaves the PT_DYNAMIC out");

        img.sh(0, 0, 0, 0, 0, 0, 70_000);
        ElfInfo many = read(img);
        assertEquals(List.of("too many program headers (70000)"), many.malformed);

        img.sh(0, 0, 0, 0, 0, 0, 2).shoff(0); // no section headers: e_phnum 0xffff is taken as it is
        ElfInfo literal = read(img);
        assertEquals(List.of("truncated: program headers end past the end of the file"), literal.malformed);
    }

    @Test
    void extendedNumberingWithSectionHeaderZeroPastTheEnd() throws IOException {
        ElfInfo i = read(Img.standard(true, false).shnum(0).shoff(SIZE - 8));
        assertEquals(List.of("truncated: section header 0 (extended numbering) end past the end of the file"), i.malformed);
        assertTrue(problems(i).contains(i.malformed.get(0)));
    }

    @Test
    void wrongProgramHeaderEntrySize() throws IOException {
        ElfInfo i = read(Img.standard(true, false).phentsize(32));
        assertEquals(List.of("bad program header entry size 32 (expected 56)"), i.malformed);
        assertNull(i.linkage);
        List<String> p = problems(i);
        assertEquals(List.of("bad program header entry size 32 (expected 56)"), p);
        ElfPolicy.Verdict v = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).check("x", i);
        assertFalse(v.ok());
        assertTrue(v.line().startsWith("x: FAIL bad program header entry size 32 (expected 56) [ELF 64-bit LSB executable, ARM aarch64, "), v.line());
    }

    @Test
    void wrongSectionHeaderEntrySize() throws IOException {
        ElfInfo i = read(Img.standard(true, false).shentsize(40));
        assertEquals(List.of("bad section header entry size 40 (expected 64)"), i.malformed);
        assertEquals(ElfInfo.Linkage.STATIC, i.linkage, "program headers are read before the section headers fail");
    }

    @Test
    void sectionHeadersPastTheEnd() throws IOException {
        Img img = Img.standard(true, false);
        ElfInfo cut = ElfReader.read(img.write(SH + 64 + 10)); // the file ends inside section header 1
        assertEquals(List.of("truncated: section headers end past the end of the file"), cut.malformed);
        assertEquals(ElfInfo.Linkage.STATIC, cut.linkage);
        assertNull(cut.stripped);
        assertFalse(new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).check("x", cut).ok());

        ElfInfo far = read(Img.standard(true, false).shoff(1L << 40));
        assertEquals(List.of("truncated: section headers end past the end of the file"), far.malformed);
        ElfInfo negative = read(Img.standard(true, false).shoff(-64));
        assertEquals(List.of("truncated: section headers end past the end of the file"), negative.malformed);
    }

    @Test
    void programHeadersPastTheEnd() throws IOException {
        ElfInfo i = read(Img.standard(true, false).phoff(SIZE - 20));
        assertEquals(List.of("truncated: program headers end past the end of the file"), i.malformed);
        ElfInfo header = ElfReader.read(Img.standard(true, false).write(40));
        assertEquals(List.of("truncated: ELF header end past the end of the file"), header.malformed);
        assertTrue(header.elf);
    }

    @Test
    void nameTablePastTheEnd() throws IOException {
        ElfInfo i = read(Img.standard(true, false).sh(1, N_SHSTRTAB, SHT_STRTAB, SIZE + 1, 10, 0, 0));
        assertEquals(List.of("truncated: section name table starts past the end of the file"), i.malformed);
    }

    @Test
    void elf32IsReportedAsClass32() throws IOException {
        ElfInfo i = read(Img.standard(false, false));
        assertEquals(List.of(), i.malformed, "a well-formed ELF32 image is read whole");
        assertEquals(32, i.elfClass);
        assertEquals(ElfInfo.Endian.LITTLE, i.endian);
        assertEquals(ElfInfo.Linkage.STATIC, i.linkage);
        assertEquals(Boolean.TRUE, i.stripped);
        assertEquals("ELF 32-bit LSB executable, ARM aarch64, statically linked, stripped", i.describe());
        assertEquals(List.of("32-bit, expected 64-bit"), problems(i));

        Img dyn = Img.standard(false, false).phnum(2);
        dyn.dynamic(1, new long[]{DT_NEEDED, 11}, new long[]{DT_STRTAB, BASE + DYNSTR}, new long[]{DT_NULL, 0});
        ElfInfo d = read(dyn);
        assertEquals(List.of("libm.so.6"), d.needed, "ELF32 dynamic entries are 8 bytes");
        assertEquals(ElfInfo.Linkage.DYNAMIC, d.linkage);
    }

    @Test
    void bigEndianIsReported() throws IOException {
        ElfInfo i = read(Img.standard(true, true));
        assertEquals(List.of(), i.malformed);
        assertEquals(64, i.elfClass);
        assertEquals(ElfInfo.Endian.BIG, i.endian);
        assertEquals(ElfReader.EM_AARCH64, i.machine, "e_machine must be read big-endian");
        assertEquals("ELF 64-bit MSB executable, ARM aarch64, statically linked, stripped", i.describe());
        assertEquals(List.of("big-endian (MSB), expected little-endian"), problems(i));

        ElfInfo both = read(Img.standard(false, true));
        assertEquals(List.of("32-bit, expected 64-bit", "big-endian (MSB), expected little-endian"), problems(both));
    }

    @Test
    void unknownClassAndEncoding() throws IOException {
        Img img = Img.standard(true, false);
        img.b.put(4, (byte) 3);
        ElfInfo c = read(img);
        assertTrue(c.elf);
        assertEquals(List.of("unknown ELF class 3"), c.malformed);
        img.b.put(4, (byte) 2).put(5, (byte) 0);
        assertEquals(List.of("unknown ELF data encoding 0"), read(img).malformed);
    }

    @Test
    void notElf() throws IOException {
        for (String content : List.of("#!/bin/sh\necho hi\n", "", "\u007fEL", "MZ\u0090\u0000", "\u007fELX" + "x".repeat(100))) {
            Path p = dir.resolve("not-elf-" + (counter++));
            Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
            ElfInfo i = ElfReader.read(p);
            assertFalse(i.elf, content);
            assertEquals(List.of("not an ELF file (no ELF magic)"), i.malformed);
            assertEquals("not ELF", i.describe());
            assertEquals(List.of("not an ELF file (no ELF magic)"), problems(i));
            ElfPolicy.Verdict v = new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).check("f", i);
            assertEquals("f: FAIL not an ELF file (no ELF magic) [not ELF, " + content.length() + " B]", v.line());
        }
        ElfInfo shortElf = ElfReader.read(Img.standard(true, false).write(10));
        assertTrue(shortElf.elf);
        assertEquals(List.of("truncated: ELF identification ends past the end of the file"), shortElf.malformed);
    }

    @Test
    void pieFlagAndNeededDecideTypeAndLinkage() throws IOException {
        Img pie = Img.standard(true, false).type(3).phnum(2);
        pie.dynamic(1, new long[]{DT_FLAGS_1, DF_1_PIE | DF_1_NOW}, new long[]{DT_NULL, 0});
        ElfInfo sp = read(pie);
        assertEquals(ElfInfo.Type.PIE, sp.type);
        assertEquals(ElfInfo.Linkage.STATIC_PIE, sp.linkage);
        assertEquals(List.of(), problems(sp));

        Img noPieFlag = Img.standard(true, false).type(3).phnum(2);
        noPieFlag.dynamic(1, new long[]{DT_FLAGS_1, DF_1_NOW}, new long[]{DT_NULL, 0});
        ElfInfo so = read(noPieFlag);
        assertEquals(ElfInfo.Type.SHARED, so.type, "DT_FLAGS_1 without DF_1_PIE: shared object");
        assertEquals(ElfInfo.Linkage.STATIC_PIE, so.linkage, "any DT_FLAGS_1 and nothing needed: static-pie (as file says)");
        assertEquals(List.of("a shared object, not an executable"), problems(so));

        Img afterNull = Img.standard(true, false).type(3).phnum(2);
        afterNull.dynamic(1, new long[]{DT_FLAGS_1, DF_1_PIE}, new long[]{DT_NULL, 0}, new long[]{DT_NEEDED, 1}, new long[]{DT_STRTAB, BASE + DYNSTR});
        ElfInfo an = read(afterNull);
        assertEquals(ElfInfo.Linkage.DYNAMIC, an.linkage, "entries after DT_NULL still count");
        assertEquals(List.of("libc.so.6"), an.needed);

        Img noFlags = Img.standard(true, false).type(3).phnum(2);
        noFlags.dynamic(1, new long[]{DT_NULL, 0});
        ElfInfo nf = read(noFlags);
        assertEquals(ElfInfo.Linkage.DYNAMIC, nf.linkage, "PT_DYNAMIC without DT_FLAGS_1 is dynamic");
        assertEquals(ElfInfo.Type.SHARED, nf.type);
        assertTrue(problems(nf).contains("dynamically linked (dynamic section without DF_1_PIE)"), problems(nf).toString());
    }

    @Test
    void interpreterWithoutDynamicSegmentIsStatic() throws IOException {
        Img img = Img.standard(true, false).phnum(2).bytes(INTERP, "/lib/ld-linux-aarch64.so.1\0");
        img.ph(1, PT_INTERP, INTERP, BASE + INTERP, 27);
        ElfInfo i = read(img);
        assertEquals(ElfInfo.Linkage.STATIC, i.linkage);
        assertEquals("/lib/ld-linux-aarch64.so.1", i.interpreter);
        assertEquals("ELF 64-bit LSB executable, ARM aarch64, statically linked, interpreter /lib/ld-linux-aarch64.so.1, stripped", i.describe());

        Img empty = Img.standard(true, false).phnum(2);
        empty.ph(1, PT_INTERP, SIZE, BASE, 10);
        assertEquals("*empty*", read(empty).interpreter, "PT_INTERP at the end of the file reads nothing");

        Img withDynamic = Img.standard(true, false).phnum(3).bytes(INTERP, "/lib/ld-linux-aarch64.so.1\0");
        withDynamic.ph(1, PT_INTERP, INTERP, BASE + INTERP, 27);
        withDynamic.dynamic(2, new long[]{DT_FLAGS_1, DF_1_PIE}, new long[]{DT_NULL, 0});
        ElfInfo wd = read(withDynamic);
        assertEquals(ElfInfo.Linkage.DYNAMIC, wd.linkage, "an interpreter counts as needed: not static-pie");
        assertEquals(List.of("dynamically linked (interpreter /lib/ld-linux-aarch64.so.1)"), problems(wd));
    }

    @Test
    void noProgramHeadersCannotBeLoaded() throws IOException {
        ElfInfo i = read(Img.standard(true, false).phnum(0));
        assertEquals(ElfInfo.Linkage.NONE, i.linkage);
        assertEquals(List.of("no program headers, cannot be loaded"), problems(i));
        ElfInfo rel = read(Img.standard(true, false).type(1));
        assertEquals(ElfInfo.Type.RELOCATABLE, rel.type);
        assertEquals(ElfInfo.Linkage.NONE, rel.linkage);
        assertEquals(List.of("a relocatable object, not an executable"), problems(rel));
    }

    @Test
    void policyOptionsAndSize() throws IOException {
        Img img = Img.standard(true, false).shnum(4);
        img.sh(3, N_SYMTAB, SHT_SYMTAB, 0x90, 0x18, 0, 0);
        ElfInfo i = read(img);
        assertFalse(new ElfPolicy(ElfReader.EM_AARCH64, false, false, -1).check("x", i).ok());
        assertTrue(new ElfPolicy(ElfReader.EM_AARCH64, false, true, -1).check("x", i).ok());
        assertEquals(List.of("1.3 KiB, larger than --max-size 1000 B"),
                new ElfPolicy(ElfReader.EM_AARCH64, false, true, 1000).problems(i));
        assertTrue(new ElfPolicy(ElfReader.EM_AARCH64, false, true, SIZE).check("x", i).ok(), "a file of exactly --max-size passes");
        assertEquals(List.of("ARM aarch64, expected x86_64", "not stripped (.symtab present)"),
                new ElfPolicy(ElfReader.EM_X86_64, false, false, -1).problems(i));
    }
}
