import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What to build and how to package each function: the command line's options over the Cargo.toml metadata
 * (LambdaMetadata). Precedence, strongest first: a flag; [package.metadata.lambda.bin.NAME.build];
 * [package.metadata.lambda.build]; [workspace.metadata.lambda.bin.NAME.build]; [workspace.metadata.lambda.build];
 * the default. Settings of the whole build (arch or target, profile, lambda_dir, disable_optimizations) set by
 * several selected packages must agree; include, extension, internal and output_format are per function.
 * warnings: lines to show before the build (metadata keys not applied).
 */
record BuildConfig(List<Target> targets, String profile, Path lambdaDir, boolean disableOptimizations, List<Packaged> functions,
                   List<String> warnings) {
    /** One function as it is packaged: kind, internal (extensions), a zip, and the files its includes add. */
    record Packaged(Workspace.Function function, Layout.Kind kind, boolean internal, boolean zip, List<LambdaZip.Entry> included) {}

    /** The command line's own checks, before cargo metadata runs: arches, --target with them, --internal. */
    static List<Target> flagTargets(CommandLine.Model.CommandSpec spec, BuildOptions o) {
        if (o.internal && !o.extension) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--internal needs --extension (it says which kind of extension to build)");
        }
        List<String> arches = o.arch.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
        if (o.target != null && arches.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target names one triple; for several arches use --arch "
                    + String.join(",", arches) + " alone");
        }
        if (o.target != null) return List.of(Target.of(spec, null, o.target));
        Map<Integer, Target> byMachine = new LinkedHashMap<>();
        for (String a : arches) {
            Target t = Target.of(spec, a, null);
            byMachine.putIfAbsent(t.machine, t);
        }
        return List.copyOf(byMachine.values());
    }

    static BuildConfig resolve(CommandLine.Model.CommandSpec spec, BuildOptions o, Workspace ws, List<Workspace.Function> selected, Path cwd) {
        Map<Workspace.Function, List<LambdaMetadata.Table>> tables = new LinkedHashMap<>();
        Set<LambdaMetadata.Table> seen = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        for (Workspace.Function f : selected) {
            List<LambdaMetadata.Table> ts = LambdaMetadata.forFunction(ws, f);
            tables.put(f, ts);
            for (LambdaMetadata.Table t : ts) {
                if (!seen.add(t)) continue;
                warnings.addAll(LambdaMetadata.check(t));
                if (Boolean.FALSE.equals(t.bool("release"))) {
                    warnings.add(t.where() + ": release = false is not applied: the build uses the release profile unless profile "
                            + "(or --profile) names another");
                }
            }
        }
        List<Target> targets = flagTargets(spec, o);
        if (targets.isEmpty()) {
            Valued<List<String>> choice = global(tables, "arm64/x86_64/target", t -> {
                List<String> a = t.arches();
                return a != null ? a : t.string("target") == null ? null : List.of("triple:" + t.string("target"));
            });
            targets = choice == null ? List.of(Target.of(spec, "arm64", null)) : choice.value().stream().map(v -> {
                if (!v.startsWith("triple:")) return Target.of(spec, v, null);
                String triple = v.substring(7);
                if (ElfPolicy.machineOf(triple.split("-", 2)[0]) == null || !triple.contains("-")) {
                    throw new Cli.UserError(ExitCode.USAGE, "target = \"" + triple + "\" in " + choice.from().where()
                            + ": Lambda runs aarch64 and x86_64 (e.g. aarch64-unknown-linux-musl)");
                }
                return Target.of(spec, null, triple);
            }).toList();
        }
        String profile = o.profile;
        if (profile == null) {
            Valued<String> p = global(tables, "profile", t -> t.string("profile") != null ? t.string("profile")
                    : Boolean.TRUE.equals(t.bool("release")) ? "release" : null);
            profile = p == null ? "release" : p.value();
        }
        Path lambdaDir;
        if (o.lambdaDir != null) {
            lambdaDir = cwd.resolve(o.lambdaDir).normalize();
        } else {
            Valued<Path> d = global(tables, "lambda_dir", t -> t.string("lambda_dir") == null ? null : t.base().resolve(t.string("lambda_dir")).normalize());
            lambdaDir = d == null ? ws.targetDir.resolve("lambda") : d.value();
        }
        Valued<Boolean> noOpt = global(tables, "disable_optimizations", t -> t.bool("disable_optimizations"));
        boolean disable = noOpt != null && noOpt.value();

        List<Include.Spec> flagIncludes = o.include.stream().map(i -> Include.parse(i, cwd, "--include")).toList();
        List<Packaged> out = new ArrayList<>();
        for (Workspace.Function f : selected) {
            List<LambdaMetadata.Table> ts = tables.get(f);
            Valued<Boolean> ext = first(ts, t -> t.bool("extension"));
            Layout.Kind kind = o.extension || (ext != null && ext.value()) ? Layout.Kind.EXTENSION : Layout.Kind.FUNCTION;
            Valued<Boolean> internal = first(ts, t -> t.bool("internal"));
            boolean isInternal = o.extension ? o.internal : internal != null && internal.value();
            if (isInternal && kind != Layout.Kind.EXTENSION) {
                throw new Cli.UserError(ExitCode.USAGE, "internal = true in " + internal.from().where() + " needs extension = true for "
                        + f.name() + " (internal says which kind of extension)");
            }
            Valued<Boolean> zip = first(ts, LambdaMetadata.Table::zip);
            boolean wantZip = o.zip || kind == Layout.Kind.EXTENSION || (zip != null && zip.value());
            List<Include.Spec> specs = flagIncludes;
            if (o.include.isEmpty()) {
                Valued<List<String>> inc = first(ts, t -> t.strings("include"));
                specs = inc == null ? List.of()
                        : inc.value().stream().map(i -> Include.parse(i, inc.from().base(), "include in " + inc.from().where())).toList();
            }
            Set<String> reserved = kind == Layout.Kind.FUNCTION ? Set.of(LambdaZip.ENTRY, LambdaZip.ENTRY + ".zip")
                    : Set.of("extensions", "extensions/" + f.name(), f.name());
            out.add(new Packaged(f, kind, isInternal, wantZip, Include.expand(specs, reserved)));
        }
        if (targets.size() > 1 || out.stream().anyMatch(p -> p.kind() == Layout.Kind.EXTENSION)) {
            for (Packaged p : out) {
                if (p.kind() == Layout.Kind.FUNCTION && p.function().name().equals("extensions")) {
                    throw new Cli.UserError(ExitCode.USAGE, "a function named 'extensions' would share its folder with the extensions: "
                            + "build the extensions apart (--bin), or rename the bin");
                }
            }
        }
        return new BuildConfig(targets, profile, lambdaDir, disable, List.copyOf(out), List.copyOf(warnings));
    }

    /** A value and the table it came from. */
    record Valued<V>(V value, LambdaMetadata.Table from) {}

    private static <V> Valued<V> first(List<LambdaMetadata.Table> tables, Function<LambdaMetadata.Table, V> read) {
        for (LambdaMetadata.Table t : tables) {
            V v = read.apply(t);
            if (v != null) return new Valued<>(v, t);
        }
        return null;
    }

    /**
     * A setting of the whole build: the package-level tables of the selected functions first (bin and package
     * sections), then the workspace's; within a level every table that sets it must say the same.
     */
    private static <V> Valued<V> global(Map<Workspace.Function, List<LambdaMetadata.Table>> tables, String key,
                                        Function<LambdaMetadata.Table, V> read) {
        for (boolean packageLevel : new boolean[]{true, false}) {
            Valued<V> found = null;
            for (List<LambdaMetadata.Table> ts : tables.values()) {
                for (LambdaMetadata.Table t : ts) {
                    if (t.where().startsWith("[package.") != packageLevel) continue;
                    V v = read.apply(t);
                    if (v == null) continue;
                    if (found == null) found = new Valued<>(v, t);
                    else if (!found.value().equals(v)) {
                        throw new Cli.UserError(ExitCode.USAGE, key + " differs between " + found.from().where() + " and " + t.where()
                                + ": one build has one value; build them apart (-p), or set it once in [workspace.metadata.lambda.build]");
                    }
                }
            }
            if (found != null) return found;
        }
        return null;
    }
}
