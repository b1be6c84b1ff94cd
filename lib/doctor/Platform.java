import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The host as doctor's fix commands see it: which package manager, which arch, root or not. */
final class Platform {
    final boolean linux, mac;
    /** Debian, Ubuntu and their derivatives: apt-get. */
    final boolean apt;
    final boolean root;
    /** aarch64 or x86_64 (as in Rust triples), else what the JVM says. */
    final String arch;

    Platform(boolean linux, boolean mac, boolean apt, boolean root, String arch) {
        this.linux = linux;
        this.mac = mac;
        this.apt = apt;
        this.root = root;
        this.arch = arch;
    }

    static Platform detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linux = os.contains("linux"), mac = os.contains("mac") || os.contains("darwin");
        boolean apt = false;
        if (linux) {
            try {
                for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                    if (line.startsWith("ID=") || line.startsWith("ID_LIKE=")) {
                        String v = line.substring(line.indexOf('=') + 1).replace("\"", "").toLowerCase(Locale.ROOT);
                        if (v.matches(".*\\b(debian|ubuntu)\\b.*")) apt = true;
                    }
                }
            } catch (IOException e) {
                // no os-release: not a distribution we know the package names of
            }
        }
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String arch = a.equals("amd64") || a.equals("x86_64") ? "x86_64" : a.equals("aarch64") || a.equals("arm64") ? "aarch64" : a;
        return new Platform(linux, mac, apt, uid() == 0, arch);
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }

    /**
     * `apt-get install PKGS` for Debian/Ubuntu: run by --fix only as root (doctor never uses sudo by
     * itself); otherwise the text tells the user to run it with sudo. Null on other systems.
     */
    Check.Fix aptInstall(String... packages) {
        if (!apt) return null;
        String text = (root ? "" : "sudo ") + "apt-get install " + String.join(" ", packages);
        if (!root) return Check.Fix.manual(text);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y"));
        cmd.addAll(List.of(packages));
        return new Check.Fix(text, cmd);
    }

    /** The first of the fixes that applies to this system. */
    static Check.Fix first(Check.Fix... fixes) {
        for (Check.Fix f : fixes) if (f != null) return f;
        return null;
    }

    Check.Fix brew(String what) {
        return mac ? Check.Fix.manual("brew install " + what) : null;
    }
}
