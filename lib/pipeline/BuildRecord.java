import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * manifest.json's "build": how this build was asked for, so `--reproduce` can ask for it again elsewhere. The
 * command, its arguments (less those that only say where output goes or how it is shown), the workspace and the
 * folder the command ran in (both relative, so the record is the same wherever the workspace is), the profile, the
 * targets, the tuning and the profile settings it added. The tools that must match are the manifest's "tools".
 */
final class BuildRecord {
    /** Options that change where results go or how they are shown, never the bytes built. */
    static final Set<String> NOT_REPLAYED = Set.of("--manifest-path", "--lambda-dir", "--json", "--verbose", "--clean", "--smoke",
            "--smoke-event", "--smoke-timeout", "--sccache", "--reproduce");

    private BuildRecord() {}

    static String json(CommandLine.Model.CommandSpec spec, Path lambdaDir, Path wsRoot, Path manifest, Path cwd, String profile,
                       List<Target> targets, Tune tune, List<Planner.Step> steps) {
        Map<String, String> settings = new TreeMap<>();
        for (Planner.Step s : steps) {
            s.added().forEach((k, v) -> {
                if (k.startsWith("CARGO_PROFILE_")) settings.put(k, v);
            });
        }
        JsonWriter.Obj set = new JsonWriter.Obj();
        settings.forEach(set::put);
        Path root = wsRoot.toAbsolutePath().normalize();
        Path here = cwd.toAbsolutePath().normalize();
        return new JsonWriter.Obj().put("command", spec.name()).put("args", replayed(spec))
                .put("workspace", relative(lambdaDir.toAbsolutePath().normalize(), root))
                .put("manifest", relative(root, manifest.toAbsolutePath().normalize()))
                .put("cwd", here.startsWith(root) ? relative(root, here) : ".")
                .put("profile", profile).put("targets", targets.stream().map(t -> t.triple).toList()).put("tune", tune.word)
                .put("settings", set).put("path_remaps", List.of("cargo home=" + PathRemap.CARGO, "rustup home=" + PathRemap.RUSTUP,
                        "workspace root=" + PathRemap.WORKSPACE)).toString();
    }

    /** The command line as given, less the NOT_REPLAYED options (and their values). */
    static List<String> replayed(CommandLine.Model.CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> original = parsed == null ? List.of() : parsed.originalArgs();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--")) {
                out.addAll(original.subList(i, original.size()));
                break;
            }
            String name = a.startsWith("-") ? a.split("=", 2)[0] : null;
            CommandLine.Model.OptionSpec o = name == null ? null : spec.findOption(name);
            if (o != null && o.names().length > 0 && o.names().length > 0 && NOT_REPLAYED.stream().anyMatch(n -> List.of(o.names()).contains(n))) {
                if (!a.contains("=") && o.arity().min() > 0) i++;
                continue;
            }
            out.add(a);
        }
        return out;
    }

    private static String relative(Path from, Path to) {
        String r = from.relativize(to).toString();
        return r.isEmpty() ? "." : r;
    }
}
