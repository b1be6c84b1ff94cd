import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The --remap-path-prefix flags that make a bootstrap the same bytes wherever it is built. rustc writes source paths
 * into the binary (panic locations, file!() in the crates, tracing's event names): a dependency's path starts with
 * the cargo home (registry/src, git/checkouts), the workspace's own with its folder, std's with the sysroot when its
 * sources are there. Each of those is mapped to a fixed name: the cargo home to /cargo, the rustup home to /rustup,
 * the workspace root to /workspace (a target folder outside it to /workspace/target, so generated code under OUT_DIR
 * reads the same too). The values depend only on where things are, so the flags are the same on every run of the same
 * workspace in the same folder: cargo's and sccache's caches see one change, the first time.
 * rustc applies the last remap that matches a path: the more specific folder comes later; the user's own remaps
 * stay, and where one of theirs maps the same folder as one of ours, or a folder inside it, ours is left out.
 */
final class PathRemap {
    static final String CARGO = "/cargo", RUSTUP = "/rustup", WORKSPACE = "/workspace";

    private PathRemap() {}

    record Pair(Path from, String to) {}

    /** hostPaths: cargo and rustup run on this host (not in a container, whose homes are the image's). */
    static List<Pair> pairs(Path root, Path targetDir, Map<String, String> env, boolean hostPaths, List<String> userTexts) {
        return pairs(root, targetDir, env, hostPaths, true, userTexts);
    }

    /**
     * workspacePaths false: no remap of the workspace and target folders. With a compile cache those two flags would
     * key every crate, the registry's too, on the folder the build runs in (a CodeBuild checkout's path changes with
     * each build), and no build in another folder would hit; cargo passes the workspace's own sources relative to
     * its root anyway, so what is left out is only what a build script generates under the target folder.
     */
    static List<Pair> pairs(Path root, Path targetDir, Map<String, String> env, boolean hostPaths, boolean workspacePaths, List<String> userTexts) {
        List<Pair> pairs = new ArrayList<>();
        if (hostPaths) {
            add(pairs, RustHomes.cargo(env), CARGO);
            add(pairs, RustHomes.rustup(env), RUSTUP);
        }
        if (workspacePaths) {
            add(pairs, root, WORKSPACE);
            Path target = targetDir.toAbsolutePath().normalize();
            if (!target.startsWith(root.toAbsolutePath().normalize())) add(pairs, target, WORKSPACE + "/target");
        }
        List<Path> theirs = RustFlags.remapSources(userTexts).stream().map(s -> Path.of(s).toAbsolutePath().normalize()).toList();
        pairs.removeIf(p -> theirs.stream().anyMatch(t -> t.startsWith(p.from())));
        // Stable sort: a deeper folder later, so it wins where folders nest (a CARGO_HOME inside the workspace).
        pairs.sort(Comparator.comparingInt(p -> p.from().getNameCount()));
        return pairs;
    }

    static List<String> flags(List<Pair> pairs) {
        return pairs.stream().map(p -> "--remap-path-prefix=" + p.from() + "=" + p.to()).toList();
    }

    /** The folder as given and, where a symbolic link leads elsewhere, as rustc may see it (cargo passes real paths). */
    private static void add(List<Pair> pairs, Path dir, String to) {
        Path abs = dir.toAbsolutePath().normalize();
        pairs.add(new Pair(abs, to));
        try {
            Path real = abs.toRealPath();
            if (!real.equals(abs)) pairs.add(new Pair(real, to));
        } catch (IOException e) {
            // not there (yet): only the path as given
        }
    }
}
