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
 * The requirements a Lambda bootstrap must meet, and the verdict for one file. maxSize < 0: no size limit;
 * maxGlibc: the newest GLIBC_x.y a binary may need (the Lambda runtime's glibc), or null for no limit; cpu: the arm64 CPU
 * whose instructions the code may use (CpuCheck), or null for no CPU check.
 */
record ElfPolicy(int machine, boolean allowDynamic, boolean allowUnstripped, long maxSize, String maxGlibc, CpuCheck.Cpu cpu) {
    ElfPolicy(int machine, boolean allowDynamic, boolean allowUnstripped, long maxSize) {
        this(machine, allowDynamic, allowUnstripped, maxSize, null, null);
    }

    /** This policy with a glibc limit (null: none). */
    ElfPolicy withMaxGlibc(String version) {
        return new ElfPolicy(machine, allowDynamic, allowUnstripped, maxSize, version, cpu);
    }

    /** This policy with a CPU check (null: none). */
    ElfPolicy withCpu(CpuCheck.Cpu c) {
        return new ElfPolicy(machine, allowDynamic, allowUnstripped, maxSize, maxGlibc, c);
    }

    /** The glibc of Lambda's OS-only runtimes: provided.al2023 (Amazon Linux 2023) and provided.al2. */
    static final Map<String, String> RUNTIME_GLIBC = Map.of("provided.al2023", "2.34", "provided.al2", "2.26");

    /** --max-glibc wins over --runtime; either may be null (no limit when both are). */
    static Parsed<String> maxGlibc(String maxGlibc, String runtime) {
        if (maxGlibc != null) {
            return maxGlibc.matches("\\d+\\.\\d+(\\.\\d+)?") ? Parsed.ok(maxGlibc)
                    : Parsed.bad("invalid --max-glibc '" + maxGlibc + "' (use a version such as 2.34)");
        }
        if (runtime == null) return Parsed.ok(null);
        String v = RUNTIME_GLIBC.get(runtime);
        return v != null ? Parsed.ok(v)
                : Parsed.bad("unknown --runtime '" + runtime + "' (use provided.al2023 (glibc 2.34) or provided.al2 (glibc 2.26))");
    }

    /** aarch64 | arm64 | x86_64 | x86-64 | amd64 -> e_machine; null for anything else. */
    static Integer machineOf(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "aarch64": case "arm64": return ElfReader.EM_AARCH64;
            case "x86_64": case "x86-64": case "amd64": return ElfReader.EM_X86_64;
            default: return null;
        }
    }

    List<String> problems(ElfInfo i) {
        List<String> p = new ArrayList<>(i.malformed);
        if (!i.elf) return p;
        if (i.elfClass != null && i.elfClass != 64) p.add(i.elfClass + "-bit, expected 64-bit");
        if (i.endian == ElfInfo.Endian.BIG) p.add("big-endian (MSB), expected little-endian");
        if (i.machine >= 0 && i.machine != machine) {
            p.add(ElfReader.archWords(i.machine) + ", expected " + ElfReader.archName(machine));
        }
        if (!i.malformed.isEmpty()) return p;
        if (i.type == null || !i.type.executable()) {
            p.add(Map.of(ElfInfo.Type.SHARED, "a shared object", ElfInfo.Type.RELOCATABLE, "a relocatable object", ElfInfo.Type.CORE, "a core file")
                    .getOrDefault(i.type == null ? ElfInfo.Type.OTHER : i.type, "not a known ELF type") + ", not an executable");
        } else if (i.linkage == ElfInfo.Linkage.NONE) {
            p.add("no program headers, cannot be loaded");
        }
        if (i.linkage == ElfInfo.Linkage.DYNAMIC && !allowDynamic) {
            List<String> why = new ArrayList<>();
            if (i.interpreter != null) why.add("interpreter " + i.interpreter);
            if (!i.needed.isEmpty()) why.add("needs " + String.join(", ", i.needed));
            if (why.isEmpty()) why.add("dynamic section without DF_1_PIE");
            p.add("dynamically linked (" + String.join(", ", why) + ")");
        }
        if (i.linkage != ElfInfo.Linkage.DYNAMIC && i.interpreter != null && !allowDynamic) {
            // `file` calls this "statically linked, interpreter X", yet the kernel needs X to start it.
            p.add("needs an interpreter (" + i.interpreter + ") although it has no dynamic section");
        }
        if (Boolean.FALSE.equals(i.stripped) && !allowUnstripped) {
            String what = Boolean.TRUE.equals(i.hasSymtab) && Boolean.TRUE.equals(i.debugInfo) ? ".symtab and .debug_info present"
                    : Boolean.TRUE.equals(i.hasSymtab) ? ".symtab present" : ".debug_info present";
            p.add("not stripped (" + what + ")");
        }
        if (maxGlibc != null) {
            List<String> newer = i.glibc.stream().filter(v -> ElfReader.compareVersions(v, maxGlibc) > 0).collect(Collectors.toList());
            if (!newer.isEmpty()) {
                p.add("needs GLIBC_" + newer.get(newer.size() - 1) + ", newer than --max-glibc " + maxGlibc
                        + " (it would fail with \"GLIBC_" + newer.get(newer.size() - 1) + " not found\" at its first invoke)");
            }
        }
        if (maxSize >= 0 && i.size > maxSize) {
            p.add(Sizes.human(i.size) + ", larger than --max-size " + Sizes.human(maxSize));
        }
        if (cpu != null && i.machine == ElfReader.EM_AARCH64 && i.endian == ElfInfo.Endian.LITTLE && i.path != null) {
            try {
                if (i.cpuReport == null || i.cpuReport.cpu() != cpu) i.cpuReport = CpuCheck.run(i, cpu);
                String problem = i.cpuReport.problem();
                if (problem != null) p.add(problem);
            } catch (java.io.IOException e) {
                p.add("its code could not be read for the CPU check: " + e.getMessage());
            }
        }
        return p;
    }

    Verdict check(String path, ElfInfo info) {
        List<String> p = problems(info);
        return new Verdict(path, p.isEmpty(), info, p);
    }

    record Verdict(String path, boolean ok, ElfInfo info, List<String> problems) {
        static Verdict missing(String path, String problem) {
            return new Verdict(path, false, null, List.of(problem));
        }

        String line() {
            if (info == null) return path + ": FAIL " + String.join("; ", problems);
            String desc = info.describe() + (info.glibc.isEmpty() ? "" : ", needs GLIBC_" + info.glibc.get(info.glibc.size() - 1))
                    + ", " + Sizes.human(info.size);
            return ok ? path + ": OK " + desc : path + ": FAIL " + String.join("; ", problems) + " [" + desc + "]";
        }

        String toJson() {
            JsonWriter.Obj o = new JsonWriter.Obj().put("path", path).put("ok", ok);
            ElfInfo i = info;
            o.put("elf", i != null && i.elf)
                    .put("class", i == null ? null : i.elfClass)
                    .put("endian", i == null ? null : i.endian)
                    .put("arch", i == null ? null : i.arch())
                    .put("type", i == null ? null : i.type)
                    .put("linkage", i == null ? null : i.linkage)
                    .put("interpreter", i == null ? null : i.interpreter)
                    .put("needed", i == null ? List.of() : i.needed)
                    .put("glibc", i == null ? List.of() : i.glibc)
                    .put("stripped", i == null ? null : i.stripped)
                    .put("debug_info", i == null ? null : i.debugInfo)
                    .put("size", i == null ? null : i.size)
                    .put("cpu_check", i == null || i.cpuReport == null ? null : i.cpuReport.json())
                    .put("problems", problems);
            return o.toString();
        }
    }
}
