import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Rust rows: rustc and cargo (and whose toolchain), the target's std, and a linker for native builds. */
final class RustChecks {
    /**
     * The oldest rustc measured to build and run this project's workspaces (the suite ran on it, 2026-11-27), and the
     * combination measured with today's stable (2026-12-01: the suite, and a lambda_runtime bootstrap under qemu).
     */
    static final String OLDEST_MEASURED = "1.95.0";
    static final String WORKING = "rustc 1.99.1 with cargo-zigbuild 0.24.0 and zig 0.15.2";
    /** Rust 1.98 began passing --fix-cortex-a53-843419 to the aarch64 linker; zig rejects it unless cargo-zigbuild drops it (0.23+). */
    static final String CORTEX_FIX_RUST = "1.98.0", CORTEX_FIX_ZIGBUILD = "0.23.0";

    private final Map<String, String> env;
    private final Platform platform;
    private final Target target;

    RustChecks(Checkup c) {
        this.env = c.env;
        this.platform = c.platform;
        this.target = c.target;
    }

    Check rustc(Probe v, Probe rustup, Probe sysroot) {
        if (!v.found()) {
            return Check.of(Check.Status.MISSING, "rustc", "rustc", null, "rustc not found on PATH").fix(rustFix());
        }
        if (!v.ok()) {
            return Check.of(Check.Status.FAIL, "rustc", "rustc", null, v.why())
                    .fix("see `rustup show` (is the toolchain selected here installed?)");
        }
        String release = releaseOf(v.out());
        if (olderThanMeasured(release)) {
            return Check.of(Check.Status.WARN, "rustc", "rustc", release, toolchain(rustup, sysroot) + "; older than " + OLDEST_MEASURED
                    + ", the oldest measured to work; measured to work: " + WORKING)
                    .fix("rustup toolchain install 1.99.1 --profile minimal --target " + target.cargoTriple
                            + ", then select it (rust-toolchain.toml: channel = \"1.99.1\", or rustup default 1.99.1)");
        }
        return Check.ok("rustc", "rustc", release, toolchain(rustup, sysroot));
    }

    /** Whether a rustc release (1.96.0, 1.100.0-nightly) is older than the oldest measured to work; false when unreadable. */
    static boolean olderThanMeasured(String release) {
        return compare(release, OLDEST_MEASURED) < 0;
    }

    /** Dotted versions compared by number, pre-release words dropped; 0 when either is unreadable. */
    static int compare(String a, String b) {
        if (a == null || b == null) return 0;
        String x = a.replaceFirst("[-+].*$", ""), y = b.replaceFirst("[-+].*$", "");
        if (!x.matches("\\d+(\\.\\d+)*") || !y.matches("\\d+(\\.\\d+)*")) return 0;
        return ElfReader.compareVersions(x, y);
    }

    Check cargo(Probe v) {
        if (!v.found()) {
            return Check.of(Check.Status.MISSING, "cargo", "cargo", null, "cargo not found on PATH").fix(rustFix());
        }
        if (!v.ok()) return Check.of(Check.Status.FAIL, "cargo", "cargo", null, v.why()).fix("see `rustup show`");
        return Check.ok("cargo", "cargo", v.version(), v.tool().toString());
    }

    Check.Fix rustFix() {
        return Platform.first(platform.mac ? Check.Fix.manual("brew install rustup && rustup-init -y") : null,
                Check.Fix.manual("install Rust with rustup: curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
                        + (platform.apt ? " (Debian 12 offline: apt-get install rustc-web cargo-web)" : "")));
    }

    private String toolchain(Probe rustup, Probe sysroot) {
        String root = sysroot.ok() ? sysroot.firstLine() : "?";
        if (rustup.ok()) return "rustup toolchain " + rustup.firstLine() + ", sysroot " + root;
        if (!rustup.found()) return "not managed by rustup; sysroot " + root;
        return "rustup: " + rustup.why() + "; sysroot " + root;
    }

    Check std(Path dir, Probe rustcV, Probe sysroot, Probe rustup, Probe buildStd) {
        String triple = target.cargoTriple, label = "std " + triple;
        if (!rustcV.ok() || !sysroot.ok()) {
            return Check.of(Check.Status.MISSING, "std", label, null, "needs a working rustc (see the rustc row)").fix(rustFix());
        }
        String version = releaseOf(rustcV.out());
        Path root = Path.of(sysroot.firstLine());
        Path lib = root.resolve("lib/rustlib").resolve(triple).resolve("lib");
        if (hasFiles(lib)) return Check.ok("std", label, version, "prebuilt, in " + lib);

        Path src = root.resolve("lib/rustlib/src/rust/library");
        boolean rustSrc = Files.isDirectory(src);
        Path configured = configWith(dir, RustChecks::enablesBuildStd);
        if (buildStd.ok() && rustSrc) {
            return Check.ok("std", label, version, "built from source (build-std " + buildStd.firstLine().replaceFirst("^.*?=\\s*", "")
                    + "; rust-src in " + src + ")");
        }
        boolean dist = isRustupDist(root);
        Check.Fix add = rustup.found() && dist
                ? new Check.Fix("rustup target add " + triple, List.of(rustup.tool().toString(), "target", "add", triple))
                : Check.Fix.manual("rustup target add " + triple + (rustup.found() ? " (with a rustup-installed toolchain such as stable)" : ""));
        if (buildStd.ok()) {
            return Check.of(Check.Status.MISSING, "std", label, version, "cargo config enables build-std, but rust-src is missing ("
                    + src + ")").fix(rustup.found() && dist ? new Check.Fix("rustup component add rust-src",
                            List.of(rustup.tool().toString(), "component", "add", "rust-src")) : Check.Fix.manual("install rust-src for this toolchain"));
        }
        String why = "no prebuilt std in " + lib;
        if (configured != null && buildStd.err().contains("nightly")) {
            why += "; " + configured + " enables build-std, but this cargo is on the stable channel and ignores [unstable] "
                    + "(use a nightly toolchain, or RUSTC_BOOTSTRAP=1)";
        } else if (rustSrc) {
            why += "; or build it from source: rust-src is present (" + src + "): add [unstable] build-std = [\"std\", \"panic_abort\"] "
                    + "to .cargo/config.toml, with a nightly toolchain or RUSTC_BOOTSTRAP=1 (docs/guides/toolchain.md)";
        } else {
            why += "; offline: build it from source (rust-src and [unstable] build-std; docs/guides/toolchain.md)";
        }
        return Check.of(Check.Status.MISSING, "std", label, version, why).fix(add);
    }

    private boolean isRustupDist(Path sysroot) {
        return sysroot.toAbsolutePath().normalize().startsWith(RustHomes.rustup(env).resolve("toolchains").normalize());
    }

    Check linker(Path dir) {
        String triple = target.cargoTriple, arch = triple.split("-", 2)[0];
        if (platform.linux && platform.arch.equals(arch)) {
            var cc = Exec.which("cc", env);
            if (cc.isPresent()) return Check.ok("linker", "linker", null, "the host's cc links " + triple + " (same arch)");
            return Check.of(Check.Status.MISSING, "linker", "linker", null, "no cc on PATH")
                    .fix(Platform.first(platform.aptInstall("gcc"), Check.Fix.manual("install a C compiler (gcc or clang) as cc")));
        }
        String envName = "CARGO_TARGET_" + triple.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_LINKER";
        String linker = env.get(envName), from = envName;
        if (linker == null) {
            Path file = configWith(dir, text -> linkerIn(text, triple) != null);
            if (file != null) {
                linker = linkerIn(CargoConfig.read(file), triple);
                from = file.toString();
            }
        }
        if (linker != null) {
            var found = Exec.which(linker, env);
            if (found.isPresent()) return Check.ok("linker", "linker", null, linker + " (set in " + from + ")");
            return Check.of(Check.Status.MISSING, "linker", "linker", null, linker + " (set in " + from + ") not found")
                    .fix("install " + linker + ", or point [target." + triple + "] linker at one that exists");
        }
        String gcc = arch + "-linux-gnu-gcc";
        String why = "no linker set for " + triple + " ([target." + triple + "] linker in .cargo/config.toml, or " + envName
                + "): a native build on this " + platform.arch + " host needs one"
                + (Exec.which(gcc, env).isPresent() ? "; " + gcc + " is installed (fine for -gnu targets; musl links best with zig)" : "");
        String fix = (platform.apt ? (platform.root ? "" : "sudo ") + "apt-get install gcc-" + arch + "-linux-gnu, then " : "")
                + "add [target." + triple + "] linker = \"" + gcc + "\" to .cargo/config.toml, or build with zig (--for zig)";
        return Check.of(Check.Status.MISSING, "linker", "linker", null, why).fix(fix);
    }

    static String releaseOf(String rustcVV) {
        for (String line : rustcVV.split("\\R")) if (line.startsWith("release:")) return line.substring(8).trim();
        return Probe.versionIn(rustcVV);
    }

    private static boolean hasFiles(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("libstd-") || p.getFileName().toString().startsWith("libcore-"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The first cargo config file (as cargo looks) whose text matches. */
    private Path configWith(Path dir, java.util.function.Predicate<String> matches) {
        return CargoConfig.files(dir, env).stream().filter(f -> matches.test(CargoConfig.read(f))).findFirst().orElse(null);
    }

    static boolean enablesBuildStd(String toml) {
        String section = "";
        for (String raw : toml.split("\\R")) {
            String line = raw.replaceFirst("#.*$", "").trim();
            if (line.startsWith("[")) section = line.replaceAll("[\\[\\]\\s]", "");
            else if (section.equals("unstable") && line.matches("build-std\\s*=.*")) return true;
            else if (section.isEmpty() && line.matches("unstable\\.build-std\\s*=.*")) return true;
        }
        return false;
    }

    /** The linker set for a triple in a cargo config text ([target.TRIPLE] linker = "..."), or null. */
    static String linkerIn(String toml, String triple) {
        String section = "";
        var value = java.util.regex.Pattern.compile("^\\s*(?:target\\.[\"']?" + java.util.regex.Pattern.quote(triple)
                + "[\"']?\\.)?linker\\s*=\\s*[\"']([^\"']+)[\"']");
        for (String raw : toml.split("\\R")) {
            String line = raw.replaceFirst("#.*$", "").trim();
            if (line.startsWith("[")) {
                section = line.replaceAll("[\\[\\]\\s\"']", "");
                continue;
            }
            boolean here = section.equals("target." + triple) || (section.isEmpty() && line.startsWith("target."));
            var m = value.matcher(line);
            if (here && m.find()) return m.group(1);
        }
        return null;
    }
}
