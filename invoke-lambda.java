///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/invoke/*.java lib/gateway/*.java
//MAIN InvokeLambda
//CDS
//DESCRIPTION Run a built bootstrap (the artifact you deploy) against a local Lambda Runtime API, under qemu for ARM64; --serve for a local Invoke endpoint

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "invoke-lambda", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Start <lambda dir>/NAME/bootstrap as Lambda would (its environment, a Runtime API on 127.0.0.1; "
                + "under qemu-user with -cpu neoverse-n1 when it is ARM64 and this host is not), send it one event, print its "
                + "answer on stdout exactly as it sent it, and on stderr its own output and a REPORT line.",
                "With --serve: a local gateway for every function: Lambda's Invoke API (POST /2015-03-31/functions/NAME/invocations), "
                + "Function URLs (/lambda-url/NAME/...), and app.json's HTTP API, REST API, ALB and WebSocket API routes with @connections "
                + "(docs/guides/local-gateway.md)."})
@ExitCodes({ExitCode.OK, ExitCode.CHECK_FAILED, ExitCode.USAGE, ExitCode.MISSING_PREREQUISITE, ExitCode.FUNCTION_CRASHED, ExitCode.TIMED_OUT, ExitCode.INTERNAL})
class InvokeLambda implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the function (a folder of the lambda dir)")
    String name;

    @Option(names = "--event", paramLabel = "FILE", description = "the event: a JSON file, or - for stdin (default: {})")
    String event;

    @Option(names = "--lambda-dir", paramLabel = "DIR", description = "where the bootstraps are (default: <target dir>/lambda of the workspace)")
    Path lambdaDir;

    @Option(names = "--manifest-path", paramLabel = "PATH", description = "the workspace whose target/lambda to use (default: the nearest Cargo.toml)")
    Path manifestPath;

    @Option(names = "--env", paramLabel = "K=V", description = "an extra environment variable for the function (repeatable); wins over "
            + "--env-file and Cargo.toml's env tables")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "variables for every function from a dotenv file (KEY=VALUE lines), "
            + "over Cargo.toml's [*.metadata.lambda[.bin.NAME].env] tables (docs/guides/running-locally.md)")
    Path envFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "the longest init and the longest invocation, each (default: ${DEFAULT-VALUE}; qemu makes init slower than on Lambda)")
    double timeout;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "128", description = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE (default: ${DEFAULT-VALUE})")
    int memory;

    @Option(names = "--cpu", paramLabel = "MODEL", defaultValue = "neoverse-n1",
            description = "qemu's CPU model for ARM64 bootstraps (default: ${DEFAULT-VALUE}, Graviton2: Lambda's arm64 baseline)")
    String cpu;

    @Option(names = "--serve", description = "serve every function until Ctrl-C: the Invoke API, Function URLs and app.json's routes (HTTP API, REST API, ALB, WebSocket API)")
    boolean serve;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", description = "--serve's port (default: ${DEFAULT-VALUE}; 0: a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "--serve's address (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--host", description = "build the workspace for this host (`cargo build`, no qemu) and run those binaries: "
            + "a fast edit-run loop; the deployed artifact is the lambda folder's bootstrap, which runs without it")
    boolean host;

    @Option(names = "--watch", description = "with --serve: rebuild a package when its files change (build-lambda, or cargo build "
            + "with --host) and restart its functions on their next invoke")
    boolean watch;

    @Option(names = "--verbose", description = "show stack traces of unexpected errors")
    boolean verbose;

    @CommandLine.Mixin
    AwsOptions aws = new AwsOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return Cli.commandLine(new InvokeLambda()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (timeout <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds");
        if (memory < 128 || memory > 10240) throw new CommandLine.ParameterException(spec.commandLine(), "--memory is from 128 to 10240 MB, as on Lambda");
        if (watch && !serve) throw new CommandLine.ParameterException(spec.commandLine(), "--watch goes with --serve");
        if (serve && name != null) throw new CommandLine.ParameterException(spec.commandLine(), "--serve serves every function: give no NAME");
        // cargo metadata runs once, and only where a workspace is asked for or needed (--lambda-dir alone needs none);
        // its env tables and --env-file are checked before the local AWS or any function starts.
        Workspace ws = null;
        if (host || watch || lambdaDir == null || manifestPath != null) {
            ws = Workspace.load(Workspace.findManifest(manifestPath, Path.of("").toAbsolutePath()), System.getenv(), c -> c);
        }
        CargoEnv cargoEnv = CargoEnv.read(ws, envFile);
        cargoEnv.warnings().forEach(w -> System.err.println("invoke-lambda: warning: " + w));
        try (AwsOptions.Session session = aws.open(manifestPath, System.err)) {
            return invoke(session.env().withCargoEnv(cargoEnv), ws);
        }
    }

    private Integer invoke(FunctionEnv functionEnv, Workspace ws) throws Exception {
        Invoker.Settings settings = new Invoker.Settings(memory, cpu, (long) (timeout * 1000), Map.copyOf(env), functionEnv);
        Path manifest = watch ? Workspace.findManifest(manifestPath, Path.of("").toAbsolutePath()) : null;
        FunctionSource source;
        java.util.function.Predicate<java.util.Set<String>> rebuild = null;
        if (host) {
            Workspace w = ws;
            if (!Rebuild.host(w, java.util.Set.of())) {
                throw new Cli.UserError(ExitCode.CHECK_FAILED, "cargo build for this host failed (above): nothing to run");
            }
            source = Rebuild.hostSource(w);
            rebuild = changed -> Rebuild.host(w, changed);
        } else {
            Path dir = Functions.lambdaDir(lambdaDir, ws);
            source = FunctionSource.lambdaDir(dir);
            Path m = manifest;
            Workspace w = ws;
            if (watch) rebuild = changed -> Rebuild.lambda(m, w, changed, lambdaDir == null ? null : dir);
        }
        if (serve) return Gateway.serve(source, bind, port, settings, spec.commandLine().getErr(), watch ? ws : null, rebuild, appFile());
        if (name == null) throw new CommandLine.ParameterException(spec.commandLine(), "name the function to invoke (" + source.describe() + ")");
        if (!source.names().contains(name) || !Files.isRegularFile(source.executable(name))) {
            throw new Cli.UserError(ExitCode.USAGE, "unknown function '" + name + "' (" + source.describe() + ")");
        }
        Path bootstrap = source.executable(name);
        byte[] body = readEvent();
        Invoker.Run r = Invoker.run(name, bootstrap, body, settings, System.err);
        System.err.println("invoke-lambda: " + name + " ran " + r.how());
        System.err.println(r.report(memory));
        System.err.flush();
        Invoker.Outcome o = r.outcome();
        if (o instanceof Invoker.Answered a) {
            System.out.write(a.body());
            System.out.flush();
            return ExitCode.OK.code;
        }
        if (o instanceof Invoker.Failed f) {
            System.out.write(f.body());
            System.out.println();
            System.out.flush();
        }
        System.err.println("invoke-lambda: " + Invoker.describe(name, r));
        System.err.flush();
        return Functions.exitCode(o).code;
    }

    /** --app, else app.json beside the workspace's Cargo.toml when there is one, else no routes. */
    private Path appFile() {
        // --app is AwsOptions' (one app definition for the tables and the routes)
        Path app = aws.app;
        if (app != null) {
            if (!Files.isRegularFile(app)) throw new Cli.UserError(ExitCode.USAGE, "no file " + app + " (--app takes the app.json of the routes)");
            return app;
        }
        try {
            Path m = Workspace.findManifest(manifestPath, Path.of("").toAbsolutePath());
            Path a = m.toAbsolutePath().getParent().resolve("app.json");
            return Files.isRegularFile(a) ? a : null;
        } catch (Cli.UserError noWorkspace) {
            return null;
        }
    }

    private byte[] readEvent() throws IOException {
        if (event == null) return "{}".getBytes();
        byte[] b;
        if (event.equals("-")) {
            b = System.in.readAllBytes();
        } else {
            Path p = Path.of(event);
            if (!Files.exists(p) || Files.isDirectory(p)) {
                throw new Cli.UserError(ExitCode.USAGE, "no event file " + event + " (--event takes a JSON file, or - for stdin)");
            }
            b = Files.readAllBytes(p);
        }
        try {
            com.eclipsesource.json.Json.parse(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Cli.UserError(ExitCode.USAGE, "the event " + (event.equals("-") ? "on stdin" : event) + " is not JSON: " + e.getMessage());
        }
        return b;
    }
}
