import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** --smoke and --smoke-events: each installed function started once, as Lambda starts it. */
final class SmokeCheck {
    private SmokeCheck() {}

    /**
     * --smoke: each installed bootstrap started against its own Runtime API (qemu where needed): init must reach
     * GET invocation/next, and with --smoke-event an event it has must be answered without an error. The results
     * go into the rows and a rewritten manifest.json; failures are collected for one line each. Extensions are
     * not functions: they are not started.
     */
    static List<Report.Row> run(PipelineContext c, Path lambdaDir, List<Report.Row> rows, ToolVersions tools, String buildRecord,
                                List<String> failures) {
        BuildOptions o = c.o();
        Invoker.Settings settings = new Invoker.Settings(128, "neoverse-n1", (long) (o.smokeTimeout * 1000), Map.of());
        Path events = o.smokeEvents == null ? null : c.cwd().resolve(o.smokeEvents).normalize();
        List<Report.Row> out = new ArrayList<>();
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        for (Report.Row r : rows) {
            if (r.packaged().kind() != Layout.Kind.FUNCTION) {
                out.add(r);
                continue;
            }
            String name = r.function().name();
            Path event = events == null ? null : events.resolve(name + ".json");
            byte[] body;
            try {
                body = event != null && Files.isRegularFile(event) ? Files.readAllBytes(event) : null;
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + event + ": " + e.getMessage());
            }
            Invoker.Run run = Invoker.run(name, r.bootstrap(), body, settings, quiet);
            boolean ok = run.outcome() instanceof Invoker.Ready || run.outcome() instanceof Invoker.Answered;
            String detail = ok ? (body == null ? "init reached invocation/next " + run.how() : "answered " + event.getFileName() + " " + run.how())
                    : Invoker.what(run);
            if (!ok) failures.add(name + ": " + detail);
            out.add(r.withSmoke(new Report.Smoke(ok, run.initMs(), detail)));
        }
        try (Install.Staging staging = new Install.Staging()) {
            Installer.stageManifest(staging, lambdaDir, out, tools.get(), buildRecord);
            staging.commit();
        }
        return out;
    }
}
