import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How cargo is run: the only thing the build scripts do differently. */
interface Builder {
    /** Shown in messages, e.g. "cargo zigbuild". */
    String label();

    /**
     * Fails with a UserError (exit 3) naming the fix when a prerequisite is missing. Runs while
     * `cargo metadata` does, so it only gets the environment.
     */
    void checkPrerequisites(java.util.Map<String, String> env);

    /** The `cargo metadata` command to run: the host's, unless the builder must run it elsewhere (in its container). */
    default List<String> metadataCommand(Path manifest, List<String> command, Map<String, String> env) {
        return command;
    }

    /** The one command that builds every selected function. */
    List<String> command(Plan plan);

    /**
     * Called when this process is stopped (Ctrl-C) while command(plan) runs: stops what that command started
     * beyond its own process. The command's process is destroyed anyway; a container is not, so the docker
     * build stops its container here.
     */
    default void stop(Plan plan) {}

    /** The versions of the tools that build, for the manifest; asked while cargo builds. */
    default Map<String, String> toolVersions(Path dir, Map<String, String> env) {
        Map<String, String> v = new java.util.LinkedHashMap<>();
        v.put("rustc", version(dir, env, "rustc", "-V"));
        v.put("cargo", version(dir, env, "cargo", "-V"));
        return v;
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

    /** What a build that fails tells us beyond cargo's exit code (a missing std, say); null when nothing. */
    default String explainFailure(Plan plan, String stderr) {
        if (stderr.contains("can't find crate for `std`") || stderr.contains("can't find crate for `core`")
                || stderr.contains("target may not be installed")) {
            return "the Rust standard library for " + plan.target.dirName + " is not installed: run `rustup target add "
                    + plan.target.dirName + "` (`jbang doctor@.` shows other ways)";
        }
        return null;
    }

    /** What the pipeline decided, handed to the builder. */
    final class Plan {
        final Workspace workspace;
        final List<Workspace.Function> functions;
        final Target target;
        final String profile;
        final List<String> cargoArgs;
        final Map<String, String> env;
        final Path lambdaDir;
        /** Unique to this build: names what it starts (the docker build's container). */
        final String id = "build-lambda-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());

        Plan(Workspace workspace, List<Workspace.Function> functions, Target target, String profile,
             List<String> cargoArgs, Map<String, String> env, Path lambdaDir) {
            this.workspace = workspace;
            this.functions = functions;
            this.target = target;
            this.profile = profile;
            this.cargoArgs = cargoArgs;
            this.env = env;
            this.lambdaDir = lambdaDir;
        }

        /** cargo's selection arguments: profile, target, packages and bins. */
        List<String> cargoSelection() {
            List<String> a = new java.util.ArrayList<>();
            if (profile.equals("release")) a.add("--release");
            else a.addAll(List.of("--profile", profile));
            a.addAll(List.of("--target", target.triple));
            functions.stream().map(f -> f.pkg).distinct().forEach(p -> a.addAll(List.of("-p", p)));
            functions.forEach(f -> a.addAll(List.of("--bin", f.name)));
            a.addAll(cargoArgs);
            return a;
        }

        Path output(Workspace.Function f) {
            return workspace.targetDir.resolve(target.dirName).resolve(Target.profileDir(profile)).resolve(f.name);
        }
    }
}
