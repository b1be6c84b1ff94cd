import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How cargo is run: the only thing the build scripts do differently. prepare() finds what the build
 * needs and returns it as a value (T, a record); every later step takes that value, so no step depends
 * on another having run first.
 */
interface Builder<T> {
    /** Shown in messages, e.g. "cargo zigbuild". */
    String label();

    /**
     * Finds the tools the build needs: a UserError naming the fix (exit 3, or the docker build's 4 and 5)
     * when one is missing. Runs while `cargo metadata` does, so it only gets the environment.
     */
    T prepare(Map<String, String> env);

    /**
     * The `cargo metadata` command to run: the host's, unless the builder must run it elsewhere (its
     * container). prepared waits for prepare()'s value; a builder that runs cargo metadata itself asks it.
     */
    default List<String> metadataCommand(Path manifest, List<String> command, Map<String, String> env, Supplier<T> prepared) {
        return command;
    }

    /** The one command that builds every selected function. */
    List<String> command(Plan plan, T prepared);

    /**
     * Whether command() needs prepare()'s value (the docker build's does). When it does not (zig, native), cargo starts while the
     * prerequisites are still being checked (the zig probe is a python start), its output held back
     * until they pass; if they do not, cargo is stopped and only the missing prerequisite is reported.
     */
    default boolean commandNeedsPrepared() {
        return false;
    }

    /** cargo SUBCOMMAND with the plan's selection: the zig and the native build's command, run on the host. */
    static List<String> cargo(String subcommand, Plan plan) {
        List<String> c = plan.cargo(subcommand);
        c.addAll(plan.cargoSelection());
        return c;
    }

    /**
     * Called when this process is stopped (Ctrl-C) while command() runs: stops what that command started
     * beyond its own process. The command's process is destroyed anyway; a container is not, so the docker
     * build stops its container here.
     */
    default void stop(Plan plan, T prepared) {}

    /** The versions of the tools that build, for the manifest; asked while cargo builds. */
    default Map<String, String> toolVersions(Path dir, Map<String, String> env, T prepared) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("rustc", version(dir, env, "rustc", "-V"));
        v.put("cargo", version(dir, env, "cargo", "-V"));
        return v;
    }

    /**
     * The names toolVersions() reports, so a no-op build can keep the versions the manifest records for exactly
     * these tools; empty when what it reports can change without cargo rebuilding anything (a container's image).
     */
    default List<String> toolNames() {
        return List.of("rustc", "cargo");
    }

    /** A tool's one-line version, or null when it does not answer. */
    static String version(Path dir, Map<String, String> env, String... command) {
        try {
            Exec.Result r = Exec.capture(dir, List.of(command), env, 30);
            String line = r.out.strip().lines().findFirst().orElse("");
            return r.exit == 0 && !line.isEmpty() ? line : null;
        } catch (Cli.UserError e) {
            return null;
        }
    }

    /** cargo, which every host-side build needs: a UserError naming the fix when it is not on PATH. */
    static void requireCargo(Map<String, String> env) {
        if (Exec.which("cargo", env).isEmpty()) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE,
                    "cargo not found on PATH: install Rust with rustup (https://rustup.rs), then run `jbang doctor@.`");
        }
    }

    /**
     * Whether cargo can run through the host's cargo-auditable (Sbom): not in a container, whose image has its own
     * tools.
     */
    default boolean embedsDependencyLists() {
        return !inContainer();
    }

    /**
     * Variables that hand the build command what prepare() found, so that it does not look for it again; empty by
     * default. They are not part of the plan: an early cargo (EarlyCargo) runs with last time's, and the build runs
     * its call again when this build's prepare() finds something else (CargoBuild).
     */
    default Map<String, String> handoff(T found, Map<String, String> env) {
        return Map.of();
    }

    /** The names handoff() may set. */
    default java.util.Set<String> handoffNames() {
        return java.util.Set.of();
    }

    /** True when cargo runs somewhere else than this host (a container): the compile cache is then that place's. */
    default boolean inContainer() {
        return false;
    }

    /** The compile cache's counts for this build, where the builder collects them itself (a container's sccache); null otherwise. */
    default CompileCache.Stats cacheStats(Plan plan) {
        return null;
    }

    /** What a build that fails tells us beyond cargo's exit code (a missing std, say); null when nothing. */
    default String explainFailure(Plan plan, String stderr) {
        return missingStd(stderr) ? "the Rust standard library for " + plan.target().cargoTriple + " is not installed: run `rustup target add "
                + plan.target().cargoTriple + "` (`jbang doctor@.` shows other ways)" : null;
    }

    static boolean missingStd(String stderr) {
        return stderr.contains("can't find crate for `std`") || stderr.contains("can't find crate for `core`")
                || stderr.contains("target may not be installed");
    }

    /**
     * What the pipeline decided, handed to the builder. id is unique to this build: it names what the build
     * starts (the docker build's container).
     */
    record Plan(Workspace workspace, List<Workspace.Function> functions, Target target, String profile,
                List<String> cargoArgs, Map<String, String> env, Path lambdaDir, String id, boolean auditable) {

        Plan(Workspace workspace, List<Workspace.Function> functions, Target target, String profile,
             List<String> cargoArgs, Map<String, String> env, Path lambdaDir) {
            this(workspace, functions, target, profile, cargoArgs, env, lambdaDir, false);
        }

        /** auditable: run cargo through cargo-auditable, which embeds each binary's dependency list (Sbom). */
        Plan(Workspace workspace, List<Workspace.Function> functions, Target target, String profile,
             List<String> cargoArgs, Map<String, String> env, Path lambdaDir, boolean auditable) {
            this(workspace, functions, target, profile, cargoArgs, env, lambdaDir,
                    "build-lambda-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()), auditable);
        }

        /** `cargo SUBCOMMAND`, or `cargo auditable SUBCOMMAND`: cargo-auditable runs cargo's subcommand with itself as the rustc wrapper. */
        List<String> cargo(String subcommand) {
            List<String> c = new ArrayList<>(List.of("cargo"));
            if (auditable) c.add("auditable");
            c.add(subcommand);
            return c;
        }

        /** cargo's selection arguments: profile, target, packages and bins. */
        List<String> cargoSelection() {
            List<String> a = new ArrayList<>();
            if (profile.equals("release")) a.add("--release");
            else a.addAll(List.of("--profile", profile));
            a.addAll(List.of("--target", target.triple));
            functions.stream().map(Workspace.Function::pkg).distinct().forEach(p -> a.addAll(List.of("-p", p)));
            functions.forEach(f -> a.addAll(List.of("--bin", f.name())));
            a.addAll(cargoArgs);
            return a;
        }

        /** Where cargo leaves a function's binary. */
        Path output(Workspace.Function f) {
            return workspace.targetDir.resolve(target.cargoTriple).resolve(Target.profileDir(profile)).resolve(f.name());
        }
    }
}
