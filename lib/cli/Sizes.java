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

/** Sizes as people write them (50MB, 250MiB, 1048576) and as they read them (1.2 MiB). */
final class Sizes {
    private Sizes() {}

    /** The value of a size option, or the line that says why TEXT is not a size. */
    static Parsed<Long> parse(String option, String text) {
        Long v = parse(text);
        return v != null ? Parsed.ok(v) : Parsed.bad("invalid " + option + " '" + text
                + "' (use a number of bytes or a size such as 50MB, 250MiB; KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024)");
    }

    static Long parse(String text) {
        var m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*").matcher(text);
        if (!m.matches()) return null;
        String u = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = Map.of("b", 1L, "k", 1000L, "kb", 1000L, "kib", 1024L, "m", 1_000_000L, "mb", 1_000_000L,
                "mib", 1L << 20, "g", 1_000_000_000L, "gb", 1_000_000_000L, "gib", 1L << 30).get(u);
        double v = Double.parseDouble(m.group(1)) * mult;
        return v > Long.MAX_VALUE ? null : (long) v;
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
