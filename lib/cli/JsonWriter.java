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

/** Just enough JSON writing for reports; values are String, Number, Boolean, null, List or raw Json. */
final class JsonWriter {
    private JsonWriter() {}

    static final class Raw {
        final String text;

        Raw(String text) {
            this.text = text;
        }
    }

    static final class Obj {
        private final StringBuilder sb = new StringBuilder();

        Obj put(String key, Object value) {
            sb.append(sb.length() == 0 ? "" : ",").append(quote(key)).append(':').append(value(value));
            return this;
        }

        @Override
        public String toString() {
            return "{" + sb + "}";
        }
    }

    static String array(List<String> rawItems) {
        return rawItems.isEmpty() ? "[]" : "[\n  " + String.join(",\n  ", rawItems) + "\n]";
    }

    static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof Raw) return ((Raw) v).text;
        if (v instanceof Obj) return v.toString();
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d && Double.isFinite(d)) return d.toString();
        if (v instanceof List) {
            return "[" + ((List<?>) v).stream().map(JsonWriter::value).collect(Collectors.joining(",")) + "]";
        }
        return quote(v.toString());
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
