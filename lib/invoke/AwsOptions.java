import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options for what the functions' AWS SDK calls reach (docs/guides/local-aws.md): --local-aws (moto's
 * server, started here and stopped on exit), --aws (the caller's own credentials), or neither; and --app,
 * the app definition whose tables the functions get. {@link #open} starts what was asked for.
 */
final class AwsOptions {
    static final class Mode {
        @Option(names = "--local-aws", description = "start a local AWS (moto's server on 127.0.0.1) for the functions' SDK calls, "
                + "with the tables of the app definition, and stop it on exit")
        boolean local;

        @Option(names = "--aws", description = "let the functions call real AWS with your own credentials (environment or profile, "
                + "as the SDK resolves them); never sent to a local endpoint")
        boolean real;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    @Option(names = "--app", paramLabel = "FILE", description = "the app definition (tables, routes; default: app.json beside the workspace's Cargo.toml)")
    Path app;

    /** What the functions get, and the local AWS to stop afterwards (close). */
    record Session(FunctionEnv env, LocalAws local) implements AutoCloseable {
        @Override
        public void close() {
            if (local != null) local.close();
        }
    }

    Session open(Path manifestPath, PrintStream log) {
        AppTables tables = AppTables.NONE;
        Path file = app;
        if (file == null) {
            try {
                Path manifest = Workspace.findManifest(manifestPath, Path.of("").toAbsolutePath());
                Path beside = manifest.toAbsolutePath().getParent().resolve("app.json");
                if (Files.isRegularFile(beside)) file = beside;
            } catch (RuntimeException noWorkspace) {
                // --lambda-dir alone: no app definition unless --app names one
            }
        } else if (!Files.isRegularFile(file)) {
            throw new Cli.UserError(ExitCode.USAGE, "no app definition at " + file + " (--app takes an app.json)");
        }
        if (file != null) tables = AppTables.read(file);
        if (mode != null && mode.local) {
            LocalAws aws = LocalAws.start("python3");
            try {
                for (AppTables.Table t : tables.tables()) aws.createTable(t);
            } catch (RuntimeException e) {
                aws.close();
                throw e;
            }
            log.println("invoke-lambda: local AWS (moto) on " + aws.endpoint + (tables.tables().isEmpty() ? ""
                    : ", tables " + String.join(", ", tables.tables().stream().map(AppTables.Table::id).toList())));
            return new Session(FunctionEnv.local(tables, aws), aws);
        }
        if (mode != null && mode.real) return new Session(FunctionEnv.realAws(tables, System.getenv()), null);
        return new Session(FunctionEnv.of(tables), null);
    }
}
