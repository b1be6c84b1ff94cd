import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads only the ELF header, program headers, the dynamic segment, section headers and section
 * names, with every offset, size and count checked against the file size before it is read.
 * Linkage and strippedness follow libmagic's readelf.c (file 5.44) so the two never disagree.
 */
final class ElfReader {
    static final int EM_386 = 3, EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183, EM_RISCV = 243;
    static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_GNU_EH_FRAME = 0x6474e550, PF_X = 1;
    static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_RELA = 4, SHT_GNU_VERNEED = 0x6ffffffe, SHF_EXECINSTR = 4;
    /** Bounds for the version-needs walk: a real binary names a few dozen versions. */
    static final int MAX_VERNEED_BYTES = 1 << 20, MAX_VERNEED_ENTRIES = 4096;
    static final long DT_NEEDED = 1, DT_STRTAB = 5, DT_FLAGS_1 = 0x6ffffffbL, DF_1_PIE = 0x08000000L;
    /** Bounds on untrusted counts: far above any real binary, low enough to never exhaust memory. */
    static final long MAX_SEGMENTS = 65_536, MAX_SECTIONS = 262_144;
    /** file(1) reads at most BUFSIZ bytes of PT_DYNAMIC and of PT_INTERP; so do we, to agree with it. */
    static final int FILE_BUFSIZ = 8192;

    private final FileChannel ch;
    private final ElfInfo info;
    private ByteOrder order;
    private boolean is64;

    private ElfReader(FileChannel ch, ElfInfo info) {
        this.ch = ch;
        this.info = info;
    }

    static String archName(int machine) {
        switch (machine) {
            case EM_AARCH64: return "aarch64";
            case EM_X86_64: return "x86_64";
            case EM_386: return "i386";
            case EM_ARM: return "arm";
            case EM_RISCV: return "riscv";
            case 8: return "mips";
            case 20: return "ppc";
            case 21: return "ppc64";
            case 22: return "s390";
            case 43: return "sparcv9";
            case 258: return "loongarch";
            default: return "machine-" + machine;
        }
    }

    /** The words `file` prints for a machine. */
    static String archWords(int machine) {
        switch (machine) {
            case EM_AARCH64: return "ARM aarch64";
            case EM_X86_64: return "x86-64";
            case EM_386: return "Intel 80386";
            case EM_ARM: return "ARM";
            case EM_RISCV: return "UCB RISC-V";
            default: return archName(machine);
        }
    }

    /** Never throws for file content; I/O errors (unreadable file) propagate. */
    static ElfInfo read(Path path) throws IOException {
        ElfInfo info = new ElfInfo();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            info.size = ch.size();
            try {
                new ElfReader(ch, info).parse(path);
            } catch (Malformed m) {
                info.malformed.add(m.getMessage());
            } catch (RuntimeException e) {
                // A bug, not a property of the file: say so rather than crash the whole run.
                info.malformed.add("internal error while reading ELF: " + e);
            }
            info.path = path;
        }
        return info;
    }

    private static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private ByteBuffer readAt(long offset, int length, String what) throws IOException {
        if (offset < 0 || length < 0 || offset > info.size || length > info.size - offset) {
            throw new Malformed("truncated: " + what + " end past the end of the file");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) throw new Malformed("truncated: " + what + " (file shrank while read)");
        }
        return b.flip();
    }

    /** Reads up to max bytes at offset, fewer if the file ends first (as pread does). */
    private ByteBuffer readUpTo(long offset, long max) throws IOException {
        long len = (offset < 0 || offset >= info.size) ? 0 : Math.min(max, info.size - offset);
        return readAt(Math.max(0, Math.min(offset, info.size)), (int) len, "data");
    }

    private long word(ByteBuffer b, int pos64, int pos32) {
        return is64 ? b.getLong(pos64) : Integer.toUnsignedLong(b.getInt(pos32));
    }

    /** The ELF header's fields the rest of the reading needs, extended numbering resolved. */
    private record Header(int etype, long phoff, int phentsize, long phnum, long shoff, int shentsize, long shnum, long shstrndx) {}

    /** What the program headers say: PT_INTERP, PT_DYNAMIC's entries, and the loads that map addresses to offsets. */
    private static final class Segments {
        boolean dynamic, flags1, pieFlag;
        int need;
        final List<long[]> loads = new ArrayList<>(), execLoads = new ArrayList<>();
        final List<Long> neededOffsets = new ArrayList<>();
        long strtab = -1;
    }

    /** Identification and header, then segments, then sections: each step reads only what `file` reads. */
    private void parse(Path path) throws IOException {
        Header h = readHeader();
        if (h == null) return;
        boolean execOrDyn = h.etype() == 2 || h.etype() == 3;
        Segments seg = execOrDyn && h.phnum() > 0 ? readSegments(h) : new Segments();
        judgeLinkage(h, seg, path);
        long strtabOff = vaddrToOffset(seg.loads, seg.strtab);
        for (long nameOff : seg.neededOffsets) {
            info.needed.add(strtabOff < 0 ? "?" : cString(readUpTo(strtabOff + nameOff, 256)));
        }
        readSections(h.shoff(), h.shnum(), h.shentsize(), is64 ? 64 : 40, h.shstrndx());
        // The code the CPU check decodes: sections marked executable, else (no usable section headers) the PF_X loads.
        if (info.code.isEmpty()) info.code.addAll(seg.execLoads);
    }

    /** The identification bytes and the ELF header; null (and the verdict noted) when there is no ELF magic. */
    private Header readHeader() throws IOException {
        ByteBuffer ident = readUpTo(0, 16);
        if (ident.remaining() < 4 || ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            info.malformed.add("not an ELF file (no ELF magic)");
            return null;
        }
        info.elf = true;
        if (ident.remaining() < 16) throw new Malformed("truncated: ELF identification ends past the end of the file");
        int cls = ident.get(4), data = ident.get(5);
        if (cls != 1 && cls != 2) throw new Malformed("unknown ELF class " + cls);
        info.elfClass = cls == 2 ? 64 : 32;
        is64 = cls == 2;
        if (data != 1 && data != 2) throw new Malformed("unknown ELF data encoding " + data);
        info.endian = data == 1 ? ElfInfo.Endian.LITTLE : ElfInfo.Endian.BIG;
        order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

        ByteBuffer eh = readAt(0, is64 ? 64 : 52, "ELF header");
        int etype = Short.toUnsignedInt(eh.getShort(16));
        info.machine = Short.toUnsignedInt(eh.getShort(18));
        long phoff = word(eh, 32, 28), shoff = word(eh, 40, 32);
        int phentsize = Short.toUnsignedInt(eh.getShort(is64 ? 54 : 42));
        long phnum = Short.toUnsignedInt(eh.getShort(is64 ? 56 : 44));
        int shentsize = Short.toUnsignedInt(eh.getShort(is64 ? 58 : 46));
        long shnum = Short.toUnsignedInt(eh.getShort(is64 ? 60 : 48));
        long shstrndx = Short.toUnsignedInt(eh.getShort(is64 ? 62 : 50));
        info.type = etype == 1 ? ElfInfo.Type.RELOCATABLE : etype == 2 ? ElfInfo.Type.EXEC : etype == 3 ? ElfInfo.Type.SHARED
                : etype == 4 ? ElfInfo.Type.CORE : ElfInfo.Type.OTHER;
        int wantSh = is64 ? 64 : 40;

        // Extended numbering: the real counts live in section header 0.
        if (shoff != 0 && (shnum == 0 || shstrndx == 0xffff || phnum == 0xffff)) {
            if (shentsize != wantSh) throw new Malformed("bad section header entry size " + shentsize + " (expected " + wantSh + ")");
            ByteBuffer s0 = readAt(shoff, wantSh, "section header 0 (extended numbering)");
            if (shnum == 0) shnum = word(s0, 32, 20);
            if (shstrndx == 0xffff) shstrndx = Integer.toUnsignedLong(s0.getInt(is64 ? 40 : 24));
            if (phnum == 0xffff) phnum = Integer.toUnsignedLong(s0.getInt(is64 ? 44 : 28));
        }
        if (shoff == 0) shnum = 0;
        return new Header(etype, phoff, phentsize, phnum, shoff, shentsize, shnum, shstrndx);
    }

    private Segments readSegments(Header h) throws IOException {
        int wantPh = is64 ? 56 : 32, phentsize = h.phentsize();
        long phnum = h.phnum();
        if (phentsize != wantPh) throw new Malformed("bad program header entry size " + phentsize + " (expected " + wantPh + ")");
        if (phnum > MAX_SEGMENTS) throw new Malformed("too many program headers (" + Long.toUnsignedString(phnum) + ")");
        Segments seg = new Segments();
        ByteBuffer ph = readAt(h.phoff(), (int) (phnum * phentsize), "program headers");
        for (int i = 0; i < phnum; i++) {
            int base = i * phentsize;
            ByteBuffer e = ph.duplicate().order(order).position(base).limit(base + phentsize).slice().order(order);
            int ptype = e.getInt(0);
            long off = word(e, 8, 4), vaddr = word(e, 16, 8), filesz = word(e, 32, 16);
            if (ptype == PT_LOAD) seg.loads.add(new long[]{vaddr, off, filesz});
            if (ptype == PT_LOAD && (e.getInt(is64 ? 4 : 24) & PF_X) != 0) seg.execLoads.add(new long[]{vaddr, off, filesz});
            if (ptype == PT_GNU_EH_FRAME) info.ehFrameHdr = new long[]{vaddr, off, filesz};
            if (ptype == PT_INTERP) {
                seg.need++;
                ByteBuffer s = readUpTo(off, Long.compareUnsigned(filesz, FILE_BUFSIZ) < 0 ? filesz : FILE_BUFSIZ);
                String interp = cString(s);
                info.interpreter = interp.isEmpty() ? "*empty*" : interp;
            } else if (ptype == PT_DYNAMIC) {
                readDynamic(off, filesz, seg);
            }
        }
        return seg;
    }

    /** PT_DYNAMIC's entries, as file(1) reads them: the first 8 KiB, every whole entry, DT_NULL does not stop it. */
    private void readDynamic(long off, long filesz, Segments seg) throws IOException {
        seg.dynamic = true;
        seg.pieFlag = false;
        ByteBuffer d = readUpTo(off, Long.compareUnsigned(filesz, FILE_BUFSIZ) < 0 ? filesz : FILE_BUFSIZ);
        int entry = is64 ? 16 : 8;
        for (int p = 0; p + entry <= d.limit(); p += entry) {
            long tag = is64 ? d.getLong(p) : d.getInt(p);
            long val = is64 ? d.getLong(p + 8) : Integer.toUnsignedLong(d.getInt(p + 4));
            if (tag == DT_FLAGS_1) {
                seg.flags1 = true;
                seg.pieFlag = (val & DF_1_PIE) != 0;
            } else if (tag == DT_NEEDED) {
                seg.need++;
                seg.neededOffsets.add(val);
            } else if (tag == DT_STRTAB) {
                seg.strtab = val;
            }
        }
    }

    /** static, static-pie, dynamic or none; and whether a shared object is a pie executable. */
    private void judgeLinkage(Header h, Segments seg, Path path) {
        if (h.etype() != 2 && h.etype() != 3) {
            info.linkage = ElfInfo.Linkage.NONE;
            return;
        }
        if (h.phnum() == 0) info.linkage = ElfInfo.Linkage.NONE;
        else info.linkage = !seg.dynamic ? ElfInfo.Linkage.STATIC
                : seg.flags1 && seg.need == 0 ? ElfInfo.Linkage.STATIC_PIE : ElfInfo.Linkage.DYNAMIC;
        if (h.etype() == 3) {
            // file(1) prints "pie executable" when DF_1_PIE is set; with no PT_DYNAMIC it falls back to the file's x bits.
            boolean x = seg.dynamic ? seg.pieFlag : anyExecBit(path);
            info.type = x ? ElfInfo.Type.PIE : ElfInfo.Type.SHARED;
        }
    }

    private void readSections(long shoff, long shnum, int shentsize, int wantSh, long shstrndx) throws IOException {
        if (shnum == 0) {
            info.noSectionHeaders = true;
            info.hasSymtab = false;
            info.debugInfo = false;
            info.stripped = true;
            return;
        }
        if (shentsize != wantSh) throw new Malformed("bad section header entry size " + shentsize + " (expected " + wantSh + ")");
        if (Long.compareUnsigned(shnum, MAX_SECTIONS) > 0) throw new Malformed("too many section headers (" + Long.toUnsignedString(shnum) + ")");
        ByteBuffer sh = readAt(shoff, (int) (shnum * shentsize), "section headers");
        if (Long.compareUnsigned(shstrndx, shnum) >= 0) {
            throw new Malformed("section name table index " + Long.toUnsignedString(shstrndx) + " is out of range (" + shnum + " sections)");
        }
        long namesOff = word(sh, (int) shstrndx * shentsize + 24, (int) shstrndx * shentsize + 16);
        if (Long.compareUnsigned(namesOff, info.size) > 0) throw new Malformed("truncated: section name table starts past the end of the file");
        boolean symtab = false, debug = false;
        for (int i = 0; i < shnum; i++) {
            int base = i * shentsize;
            long nameIdx = Integer.toUnsignedLong(sh.getInt(base));
            if (sh.getInt(base + 4) == SHT_SYMTAB) symtab = true;
            if (sh.getInt(base + 4) == SHT_PROGBITS && (word(sh, base + 8, base + 8) & SHF_EXECINSTR) != 0) {
                info.code.add(new long[]{word(sh, base + 16, base + 12), word(sh, base + 24, base + 16), word(sh, base + 32, base + 20)});
            }
            if (sh.getInt(base + 4) == SHT_RELA && shentsize == 64) info.relas.add(new long[]{word(sh, base + 24, base + 16), word(sh, base + 32, base + 20)});
            if (nameIdx > info.size) continue;
            if (!debug) debug = named(namesOff + nameIdx, DEBUG_INFO);
            if (info.ehFrame == null && named(namesOff + nameIdx, EH_FRAME)) {
                info.ehFrame = new long[]{word(sh, base + 16, base + 12), word(sh, base + 24, base + 16), word(sh, base + 32, base + 20)};
            }
            if (info.depList == null && named(namesOff + nameIdx, DEP_LIST)) {
                info.depList = new long[] {word(sh, base + 24, base + 16), word(sh, base + 32, base + 20)};
            }
        }
        info.hasSymtab = symtab;
        info.debugInfo = debug;
        info.stripped = !symtab && !debug;
        for (int i = 0; i < shnum; i++) {
            if (sh.getInt(i * shentsize + 4) == SHT_GNU_VERNEED) readVersionNeeds(sh, i, shnum, shentsize);
        }
    }

    private static final byte[] DEBUG_INFO = ".debug_info\0".getBytes(StandardCharsets.US_ASCII),
            DEP_LIST = ".dep-v0\0".getBytes(StandardCharsets.US_ASCII), EH_FRAME = ".eh_frame\0".getBytes(StandardCharsets.US_ASCII);

    /** Whether the NUL-terminated name at offset is want (which ends in its NUL). */
    private boolean named(long offset, byte[] want) throws IOException {
        ByteBuffer n = readUpTo(offset, want.length);
        return n.remaining() >= want.length - 1 && java.util.Arrays.equals(java.util.Arrays.copyOf(bytes(n), want.length), want);
    }

    /** The GLIBC_x.y names of .gnu.version_r (Elf_Verneed and Elf_Vernaux are 16 bytes in both classes). */
    private void readVersionNeeds(ByteBuffer sh, int index, long shnum, int shentsize) throws IOException {
        int base = index * shentsize;
        long off = word(sh, base + 24, base + 16), size = word(sh, base + 32, base + 20);
        long link = Integer.toUnsignedLong(sh.getInt(is64 ? base + 40 : base + 24));
        if (Long.compareUnsigned(link, shnum) >= 0) throw new Malformed(".gnu.version_r links to section " + link + ", which does not exist");
        long strOff = word(sh, (int) link * shentsize + 24, (int) link * shentsize + 16);
        ByteBuffer v = readAt(off, (int) Math.min(Long.compareUnsigned(size, MAX_VERNEED_BYTES) < 0 ? size : MAX_VERNEED_BYTES, info.size), ".gnu.version_r");
        java.util.TreeSet<String> found = new java.util.TreeSet<>(ElfReader::compareVersions);
        int pos = 0, entries = 0;
        while (pos >= 0 && pos + 16 <= v.limit() && entries++ < MAX_VERNEED_ENTRIES) {
            int cnt = Short.toUnsignedInt(v.getShort(pos + 2));
            long aux = pos + Integer.toUnsignedLong(v.getInt(pos + 8));
            for (int a = 0; a < cnt && aux >= 0 && aux + 16 <= v.limit() && entries++ < MAX_VERNEED_ENTRIES; a++) {
                String name = cString(readUpTo(strOff + Integer.toUnsignedLong(v.getInt((int) aux + 8)), 64));
                if (name.matches("GLIBC_\\d+(\\.\\d+)*")) found.add(name.substring(6));
                long next = Integer.toUnsignedLong(v.getInt((int) aux + 12));
                if (next == 0) break;
                aux += next;
            }
            long next = Integer.toUnsignedLong(v.getInt(pos + 12));
            if (next == 0) break;
            pos = next > v.limit() ? -1 : pos + (int) next;
        }
        info.glibc.addAll(found);
    }

    /** Compares dotted versions numerically: 2.9 < 2.17 < 2.34. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0, q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) return Long.compare(p, q);
        }
        return 0;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static long vaddrToOffset(List<long[]> loads, long vaddr) {
        if (vaddr < 0) return -1;
        for (long[] l : loads) {
            if (Long.compareUnsigned(vaddr, l[0]) >= 0 && Long.compareUnsigned(vaddr - l[0], l[2]) < 0) return l[1] + (vaddr - l[0]);
        }
        return -1;
    }

    private static String cString(ByteBuffer b) {
        byte[] a = bytes(b);
        int n = 0;
        while (n < a.length && a[n] != 0) n++;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = a[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString();
    }

    private static boolean anyExecBit(Path p) {
        try {
            var perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
