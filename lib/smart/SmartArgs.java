import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * build-lambda-smart's arguments, split three ways: its own options, the container options (for the docker
 * build only, named by ContainerOptions), and everything else, forwarded unchanged and in order.
 */
final class SmartArgs {
    final List<String> own = new ArrayList<>();
    final List<String> dockerOnly = new ArrayList<>();
    final List<String> forwarded = new ArrayList<>();

    private SmartArgs() {}

    static SmartArgs split(String[] argv, CommandSpec ownSpec) {
        CommandSpec containerSpec = CommandSpec.forAnnotatedObject(new ContainerOptions());
        SmartArgs a = new SmartArgs();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--")) {
                for (int j = i; j < argv.length; j++) a.forwarded.add(argv[j]);
                break;
            }
            List<String> to = a.forwarded;
            OptionSpec o = find(ownSpec, arg);
            if (o != null) to = a.own;
            else if ((o = find(containerSpec, arg)) != null) to = a.dockerOnly;
            to.add(arg);
            boolean valueAttached = arg.startsWith("--") ? arg.contains("=") : arg.length() > 2;
            if (o != null && o.arity().max() > 0 && !valueAttached && i + 1 < argv.length) to.add(argv[++i]);
        }
        return a;
    }

    /** The option an argument names (`--name`, `--name=value`, `-x`, `-xVALUE`), or null. */
    private static OptionSpec find(CommandSpec spec, String arg) {
        if (!arg.startsWith("-") || arg.equals("-")) return null;
        if (arg.startsWith("--")) return spec.findOption(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
        OptionSpec o = spec.findOption(arg.substring(0, 2));
        return o != null && arg.length() > 2 && o.arity().max() == 0 ? null : o;
    }

    /** The forwarded --manifest-path, if any (the catalog may sit above it). */
    Path manifestPath() {
        for (int i = 0; i < forwarded.size(); i++) {
            String a = forwarded.get(i);
            if (a.equals("--")) break;
            if (a.equals("--manifest-path") && i + 1 < forwarded.size()) return Path.of(forwarded.get(i + 1));
            if (a.startsWith("--manifest-path=")) return Path.of(a.substring(16));
        }
        return null;
    }

    /**
     * What a build said it did, from the outcome file it wrote (Outcome): its one-line message without the closing
     * "(what to do ...)" hint, which belongs to the build's own line above. A build that wrote none, or one of
     * another exit code (it died before its handler ran), is said to have exited without a reason.
     */
    static String outcomeMessage(Path file, String alias, int exit) {
        com.eclipsesource.json.JsonObject o;
        try {
            o = com.eclipsesource.json.Json.parse(java.nio.file.Files.readString(file)).asObject();
            java.nio.file.Files.deleteIfExists(file);
        } catch (java.io.IOException | RuntimeException e) {
            return alias + " ended without an outcome (its output is above)";
        }
        if (o.getInt("exit", Integer.MIN_VALUE) != exit) return alias + " ended without an outcome (its output is above)";
        com.eclipsesource.json.JsonValue m = o.get("message");
        if (m == null || !m.isString()) return "no message";
        return shorter(m.asString());
    }

    /** A message without its closing "(...)" hint. */
    static String shorter(String message) {
        String s = message.strip().replaceFirst("\\s*\\([^()]*\\)$", "");
        return s.isEmpty() ? message.strip() : s;
    }
}
