import java.util.List;

/** zig (found the way cargo-zigbuild finds it, and whether it is a version measured to work) and cargo-zigbuild. */
final class ZigChecks {
    /**
     * The zig versions bench/zig-versions.sh built with cargo-zigbuild 0.24.0 and found working: the example
     * (std only) and bench/c-deps (ring and aws-lc-sys: C and assembly compiled and archived by zig), every
     * bootstrap started under qemu. bench/README.md has the figures. 0.16 did not break `zig ar` here.
     */
    static final List<String> MEASURED = List.of("0.15", "0.16", "0.17");
    static final String ZIG_PIN = "ziglang==0.15.2";

    private final Platform platform;

    ZigChecks(Checkup c) {
        this.platform = c.platform;
    }

    /** The row's verdict for a zig version: ok where measured, a warning elsewhere (null detail: nothing to add). */
    static String unmeasured(String version) {
        int[] v = ZigLookup.majorMinor(version);
        if (v != null && MEASURED.contains(v[0] + "." + v[1])) return null;
        return "not among the versions measured with cargo-zigbuild 0.24.0 (" + String.join(", ", MEASURED)
                + ": bench/zig-versions.sh); if a build fails, try " + ZIG_PIN;
    }

    Check zig(ZigLookup.Result found, Pip pip, String python) {
        Check.Fix install = pip.install(ZIG_PIN);
        ZigLookup.Candidate used = found.chosen();
        if (used == null) {
            String why = "cargo-zigbuild found no zig: " + found.whyNone()
                    + "; CARGO_ZIGBUILD_PYTHON_PATH and CARGO_ZIGBUILD_ZIG_PATH override where it looks"
                    + (platform.mac ? "; or: brew install zig" : "");
            return Check.of(Check.Status.MISSING, "zig", "zig", null, why).fix(install);
        }
        String how = used == found.tried().get(0) ? python + " -m ziglang (" + used.tool() + ")" : "zig at " + used.tool();
        String warning = unmeasured(used.version());
        if (warning != null) return Check.of(Check.Status.WARN, "zig", "zig", used.version(), how + "; " + warning).fix(install.text);
        return Check.ok("zig", "zig", used.version(), how + "; a version measured to work with cargo-zigbuild 0.24.0");
    }

    Check cargoZigbuild(Probe czb, Probe cargo, Pip pip, String rustcRelease) {
        String alt = "cargo install --locked cargo-zigbuild";
        if (czb.ok() && tooOldForRust(czb.version(), rustcRelease)) {
            return Check.of(Check.Status.WARN, "cargo-zigbuild", "cargo-zigbuild", czb.version(), czb.tool() + "; rustc " + rustcRelease
                    + " passes --fix-cortex-a53-843419 to the linker, which zig rejects unless cargo-zigbuild " + RustChecks.CORTEX_FIX_ZIGBUILD
                    + "+ drops it; measured to work: " + RustChecks.WORKING).fix(pip.install("cargo-zigbuild==0.24.0").text);
        }
        if (czb.ok()) return Check.ok("cargo-zigbuild", "cargo-zigbuild", czb.version(), czb.tool().toString());
        String why = czb.found() ? czb.why() : "cargo-zigbuild not found on PATH";
        Check.Fix f = pip.install("cargo-zigbuild");
        if (f.command == null && cargo.ok() && !pip.managed) {
            f = new Check.Fix(alt, List.of(cargo.tool().toString(), "install", "--locked", "cargo-zigbuild"));
        } else {
            why += "; or: " + alt;
        }
        return Check.of(Check.Status.MISSING, "cargo-zigbuild", "cargo-zigbuild", null, why).fix(f);
    }

    /** Rust 1.98+ with a cargo-zigbuild before 0.23: the link fails on the flag that release began to pass. */
    static boolean tooOldForRust(String zigbuild, String rustc) {
        return RustChecks.compare(rustc, RustChecks.CORTEX_FIX_RUST) >= 0 && RustChecks.compare(zigbuild, RustChecks.CORTEX_FIX_ZIGBUILD) < 0;
    }

    /** pip for the python cargo-zigbuild uses: run by --fix unless that python is externally managed or has no pip. */
    static final class Pip {
        final String python;
        /** What that python said about itself: "EXTERNALLY-MANAGED? has pip?" as two 0/1 digits. */
        final Probe info;
        final boolean managed, hasPip;
        private final Platform platform;

        Pip(String python, Probe info, Platform platform) {
            this.python = python;
            this.platform = platform;
            this.info = info;
            String[] f = info.ok() ? info.firstLine().trim().split("\\s+") : new String[0];
            managed = f.length == 2 && f[0].equals("1");
            hasPip = f.length == 2 && f[1].equals("1");
        }

        Check.Fix install(String pkg) {
            String text = python + " -m pip install " + pkg;
            if (info.ok() && hasPip && !managed) {
                return new Check.Fix(text, List.of(info.tool().toString(), "-m", "pip", "install", pkg));
            }
            if (managed) {
                return Check.Fix.manual(python + " is externally managed (PEP 668): " + python + " -m venv ~/.venvs/lambda-zig && "
                        + "~/.venvs/lambda-zig/bin/pip install " + ZIG_PIN + " cargo-zigbuild, then put ~/.venvs/lambda-zig/bin first on PATH");
            }
            Check.Fix apt = platform.aptInstall("python3-pip");
            String first = apt != null ? apt.text : info.found() ? "install pip" : platform.mac ? "brew install python" : "install Python 3";
            return Check.Fix.manual(first + ", then " + text);
        }
    }
}
