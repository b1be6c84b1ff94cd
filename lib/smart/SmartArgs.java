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

    /** A failed build's one-line error (its last line that starts with its name) without the name and the hint; else its last line. */
    static String reason(String stderr, String alias) {
        String named = null, last = "(no output)";
        for (String line : stderr.split("\\R")) {
            if (line.isBlank()) continue;
            last = line.trim();
            if (line.startsWith(alias + ": ")) named = line.substring(alias.length() + 2).trim();
        }
        String why = named != null ? named : last;
        // A closing "(what to do ...)" belongs to the build's own message; the summary keeps what happened.
        String shorter = why.replaceFirst("\\s*\\([^()]*\\)$", "");
        return shorter.isEmpty() ? why : shorter;
    }
}
