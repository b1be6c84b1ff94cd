import java.util.List;

/** zig (found the way cargo-zigbuild finds it, and whether that cargo-zigbuild works with it) and cargo-zigbuild. */
final class CheckZig {
    /** zig versions cargo-zigbuild is known to work with; 0.16 broke `zig ar` (cargo-zigbuild issue 433). */
    static final int ZIG_GOOD_FROM = 11, ZIG_GOOD_TO = 15;
    static final String ZIG_PIN = "ziglang==0.15.2";

    private final CheckPlatform platform;

    CheckZig(Checks c) {
        this.platform = c.platform;
    }

    Check zig(CheckProbe py, CheckProbe bin, CheckProbe czb, Pip pip, String python) {
        // cargo-zigbuild's own order: `python3 -m ziglang` (CARGO_ZIGBUILD_PYTHON_PATH), then zig (CARGO_ZIGBUILD_ZIG_PATH).
        CheckProbe used = null;
        String tooOld = null;
        for (CheckProbe p : List.of(py, bin)) {
            if (!p.ok()) continue;
            int[] v = majorMinor(p.firstLine());
            if (v == null) continue;
            if (v[0] == 0 && v[1] < 9) {
                tooOld = p.shown.replace(" version", "") + " is zig " + p.firstLine();
                continue;
            }
            used = p;
            break;
        }
        Check.Fix install = pip.install(ZIG_PIN);
        if (used == null) {
            String why = tooOld != null ? tooOld + ", cargo-zigbuild needs 0.9 or later"
                    : "cargo-zigbuild looks for `" + python + " -m ziglang` (" + (py.found() ? "no ziglang module" : python + " not found")
                    + "), then zig on PATH (none); CARGO_ZIGBUILD_PYTHON_PATH and CARGO_ZIGBUILD_ZIG_PATH override them"
                    + (platform.mac ? "; or: brew install zig" : "");
            return Check.of(Check.Status.MISSING, "zig", "zig", null, why).fix(install);
        }
        String version = used.firstLine();
        int[] v = majorMinor(version);
        String how = used == py ? python + " -m ziglang (" + py.tool + ")" : "zig at " + bin.tool;
        if (v[0] == 0 && v[1] < ZIG_GOOD_FROM) {
            return Check.of(Check.Status.WARN, "zig", "zig", version, how + "; older than the versions known to work (0."
                    + ZIG_GOOD_FROM + "-0." + ZIG_GOOD_TO + ")").fix(install.text);
        }
        if (v[0] > 0 || v[1] > ZIG_GOOD_TO) {
            int[] c = czb.ok() ? majorMinor(czb.version()) : null;
            if (c == null || (c[0] == 0 && c[1] <= 24)) {
                return Check.of(Check.Status.WARN, "zig", "zig", version, how + "; zig 0.16+ may not work with cargo-zigbuild <= 0.24: "
                        + "`zig ar` breaks (cargo-zigbuild issue 433); zig 0.15.2 works").fix(install.text);
            }
            return Check.ok("zig", "zig", version, how + "; newer than the versions known to work (0." + ZIG_GOOD_FROM + "-0." + ZIG_GOOD_TO + ")");
        }
        return Check.ok("zig", "zig", version, how);
    }

    Check cargoZigbuild(CheckProbe czb, CheckProbe cargo, Pip pip) {
        String alt = "cargo install --locked cargo-zigbuild";
        if (czb.ok()) return Check.ok("cargo-zigbuild", "cargo-zigbuild", czb.version(), czb.tool.toString());
        String why = czb.found() ? czb.why() : "cargo-zigbuild not found on PATH";
        Check.Fix f = pip.install("cargo-zigbuild");
        if (f.command == null && cargo.ok() && !pip.managed) {
            f = new Check.Fix(alt, List.of(cargo.tool.toString(), "install", "--locked", "cargo-zigbuild"));
        } else {
            why += "; or: " + alt;
        }
        return Check.of(Check.Status.MISSING, "cargo-zigbuild", "cargo-zigbuild", null, why).fix(f);
    }

    /** pip for the python cargo-zigbuild uses: run by --fix unless that python is externally managed or has no pip. */
    static final class Pip {
        final String python;
        /** What that python said about itself: "EXTERNALLY-MANAGED? has pip?" as two 0/1 digits. */
        final CheckProbe info;
        final boolean managed, hasPip;
        private final CheckPlatform platform;

        Pip(String python, CheckProbe info, CheckPlatform platform) {
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
                return new Check.Fix(text, List.of(info.tool.toString(), "-m", "pip", "install", pkg));
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

    static int[] majorMinor(String version) {
        if (version == null) return null;
        var m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
        return m.find() ? new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }
}
