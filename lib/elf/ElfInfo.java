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

/** What an ELF file says about itself, in the terms `file` uses. Fields are null when unknown. */
final class ElfInfo {
    /** The facts' words, as printed and in --json: the constant's name in lower case, '-' for '_' (static-pie). */
    static String word(Enum<?> fact) {
        return fact.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** EI_DATA: little or big. */
    enum Endian {
        LITTLE, BIG;

        @Override
        public String toString() {
            return word(this);
        }
    }

    /** e_type, with ET_DYN split as `file` splits it: pie (DF_1_PIE) or shared. */
    enum Type {
        EXEC, PIE, SHARED, RELOCATABLE, CORE, OTHER;

        boolean executable() {
            return this == EXEC || this == PIE;
        }

        @Override
        public String toString() {
            return word(this);
        }
    }

    /** How the program is linked, in libmagic's terms; NONE when there are no program headers. */
    enum Linkage {
        STATIC, STATIC_PIE, DYNAMIC, NONE;

        @Override
        public String toString() {
            return word(this);
        }
    }

    long size;
    boolean elf;
    Integer elfClass;          // 32 | 64
    Endian endian;
    int machine = -1;
    Type type;
    Linkage linkage;
    String interpreter;
    final List<String> needed = new ArrayList<>();
    /** GLIBC_x.y versions named in .gnu.version_r, oldest first ("2.17", "2.34"). */
    final List<String> glibc = new ArrayList<>();
    Boolean hasSymtab;
    Boolean debugInfo;
    Boolean stripped;
    boolean noSectionHeaders;
    /** Where cargo-auditable's `.dep-v0` section (the zlib-compressed dependency list scanners read) lies: offset and size, or null. */
    long[] depList;
    /** The file read, for the CPU check's pass over the code. */
    Path path;
    /** The executable code, each {vaddr, file offset, size}: the SHF_EXECINSTR sections, else the PF_X loads. */
    final List<long[]> code = new ArrayList<>();
    /** The 64-bit SHT_RELA sections, each {file offset, size}: where a static executable's IFUNC resolvers are named. */
    final List<long[]> relas = new ArrayList<>();
    /** PT_GNU_EH_FRAME (.eh_frame_hdr, whose table gives every function's start, stripped or not): {vaddr, offset, size}, or null. */
    long[] ehFrameHdr;
    /** The .eh_frame section {vaddr, offset, size}, read when there is no .eh_frame_hdr (GNU ld's static links), or null. */
    long[] ehFrame;
    /** The CPU check's answer once the policy ran it, or null. */
    CpuCheck.Report cpuReport;
    /** Why the file could not be read whole: not ELF, truncated, malformed. */
    final List<String> malformed = new ArrayList<>();

    String arch() {
        return machine < 0 ? null : ElfReader.archName(machine);
    }

    /** A `file`-like description: "ELF 64-bit LSB executable, ARM aarch64, statically linked, stripped". */
    String describe() {
        if (!elf) return "not ELF";
        StringBuilder sb = new StringBuilder("ELF");
        if (elfClass != null) sb.append(' ').append(elfClass).append("-bit");
        if (endian != null) sb.append(' ').append(endian == Endian.LITTLE ? "LSB" : "MSB");
        if (type != null) sb.append(' ').append(switch (type) {
            case EXEC -> "executable";
            case PIE -> "pie executable";
            case SHARED -> "shared object";
            case RELOCATABLE -> "relocatable";
            case CORE -> "core file";
            case OTHER -> "file";
        });
        if (machine >= 0) sb.append(", ").append(ElfReader.archWords(machine));
        if (linkage != null && linkage != Linkage.NONE) sb.append(", ").append(switch (linkage) {
            case STATIC -> "statically";
            case STATIC_PIE -> "static-pie";
            default -> "dynamically";
        }).append(" linked");
        if (interpreter != null) sb.append(", interpreter ").append(interpreter);
        if (noSectionHeaders) sb.append(", no section header");
        else if (stripped != null) sb.append(Boolean.TRUE.equals(debugInfo) ? ", with debug_info" : "")
                .append(stripped ? ", stripped" : ", not stripped");
        return sb.toString();
    }
}
