import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The versions of the tools that built, for manifest.json: each is a program start (rustc -V, cargo -V,
 * cargo-zigbuild --version, a python start behind pyenv's shims), so they are asked only when a build needs
 * them. They start once cargo has run for a moment (a build that compiles, where they overlap with it), or
 * when the manifest is written; a no-op build, in which cargo changed no output and nothing was installed
 * afresh, keeps the versions the manifest already records for the same tools and starts no program at all.
 */
final class ToolVersions {
    /** How long cargo runs before the versions are asked beside it: a no-op build is done by then. */
    static final long START_AFTER_MS = 1000;

    private final Supplier<CompletableFuture<Map<String, String>>> ask;
    private final List<String> names;
    private CompletableFuture<Map<String, String>> asked;
    private Map<String, String> kept;

    /** names: the tools builder.toolVersions() reports (empty: the recorded versions are never kept). */
    ToolVersions(Supplier<CompletableFuture<Map<String, String>>> ask, List<String> names) {
        this.ask = ask;
        this.names = names;
    }

    /** Asks beside cargo once it has run START_AFTER_MS. */
    ToolVersions startLater() {
        CompletableFuture.delayedExecutor(START_AFTER_MS, TimeUnit.MILLISECONDS).execute(this::start);
        return this;
    }

    synchronized void start() {
        if (asked == null && kept == null) asked = ask.get();
    }

    /** The versions: the ones kept, else asked (waiting for them). */
    Map<String, String> get() {
        CompletableFuture<Map<String, String>> f;
        synchronized (this) {
            if (kept != null) return kept;
            start();
            f = asked;
        }
        return Pipeline.await(f);
    }

    /**
     * Nothing was installed afresh: the manifest's recorded versions describe the bootstraps in place, when it
     * records exactly these tools (another builder's manifest does not count); else they are asked.
     */
    Map<String, String> forUnchanged(Path lambdaDir) {
        Map<String, String> recorded = recorded(lambdaDir.resolve(Manifest.FILE));
        synchronized (this) {
            if (recorded != null && !names.isEmpty() && recorded.keySet().equals(new java.util.HashSet<>(names))) {
                kept = recorded;
            }
        }
        return get();
    }

    private static Map<String, String> recorded(Path manifest) {
        try {
            if (!Files.isRegularFile(manifest)) return null;
            JsonValue t = ManifestReader.parse(Files.readString(manifest), manifest + ": ").get("tools");
            if (t == null || !t.isObject()) return null;
            Map<String, String> out = new LinkedHashMap<>();
            for (JsonObject.Member m : t.asObject()) {
                if (!m.getValue().isString()) return null;   // a tool that did not answer then is asked again
                out.put(m.getName(), m.getValue().asString());
            }
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
