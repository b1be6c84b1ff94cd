import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every step of one build shares: the command (for usage errors), its options, where it reports, the
 * working folder and environment, the compile cache (wanted; the host's sccache when cargo runs here), and whether
 * cargo runs in a container (whose cargo and rustup homes are the image's).
 */
record PipelineContext(CommandLine.Model.CommandSpec spec, BuildOptions o, PrintWriter err, String me, Path cwd,
                       Map<String, String> env, boolean cached, Path sccache, boolean inContainer) {
    void warn(String message) {
        err.println(me + ": warning: " + message);
    }
}
