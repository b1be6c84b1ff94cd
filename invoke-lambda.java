///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/invoke/*.java lib/gateway/*.java
//SOURCES lib/pipeline/TargetCpu.java lib/pipeline/RustFlags.java
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

@Command(name = "invoke-lambda", description = {"Start <lambda dir>/NAME/bootstrap as Lambda would (its environment, a Runtime API on 127.0.0.1; "
                + "under qemu-user with -cpu neoverse-n1 when it is ARM64 and this host is not), send it one event, print its "
                + "answer on stdout exactly as it sent it, and on stderr its own output and a REPORT line.",
                "A response the function streams is printed piece by piece as it comes.",
                "With --serve: a local gateway for every function: Lambda's Invoke API (POST /2015-03-31/functions/NAME/invocations) "
                + "and InvokeWithResponseStream (POST /2021-11-15/functions/NAME/response-streaming-invocations), "
                + "Function URLs (/lambda-url/NAME/..., streaming), and app.json's HTTP API, REST API, ALB and WebSocket API routes with @connections "
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

    @Option(names = "--concurrency", paramLabel = "N", description = "run as on Lambda Managed Instances: one process serves up to N "
            + "invocations at once (AWS_LAMBDA_MAX_CONCURRENCY=N, for lambda_runtime's run_concurrent); an invoke past N in flight is "
            + "refused (429 TooManyRequestsException), one that overruns --timeout is reported and not stopped "
            + "(default: on-demand, one invocation at a time per process)")
    Integer concurrency;

    @Option(names = "--extension", paramLabel = "PATH", description = "an external extension to start with each function (repeatable), "
            + "besides <lambda dir>/extensions/*, which start by themselves (build-lambda --extension puts them there)")
    List<Path> extensions = new java.util.ArrayList<>();

    @Option(names = "--serve", description = "serve every function until Ctrl-C: the Invoke API, Function URLs and app.json's routes (HTTP API, REST API, ALB, WebSocket API)")
    boolean serve;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000", description = "--serve's port (default: ${DEFAULT-VALUE}; 0: a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "--serve's address (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--host", description = "build the workspace for this host (`cargo build`, no qemu) and run those binaries: "
            + "a fast edit-run loop; the deployed artifact is the lambda folder's bootstrap, which runs without it")
    boolean host;

    @Option(names = "--watch", description = "with --serve: build the dev build (cargo zigbuild for aarch64-unknown-linux-musl, "
            + "debug, into <target dir>/lambda-dev), serve it, rebuild a package when its files change and restart only its functions; "
            + "a request waits for a rebuild under way")
    boolean watch;

    @Option(names = "--release", description = "with --watch: rebuild with build-lambda instead (the release bootstraps of the lambda "
            + "folder, which build-lambda verifies and --smoke checks)")
    boolean release;

    @CommandLine.Mixin
    AwsOptions aws = new AwsOptions();

    @CommandLine.Mixin
    CommonOptions cli;

    @CommandLine.Mixin
    RunnerOptions runner = new RunnerOptions();

    public static void main(String... args) {
        System.exit(Cli.run(new InvokeLambda(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (timeout <= 0) throw cli.usage("--timeout must be more than 0 seconds");
        if (memory < 128 || memory > 10240) throw cli.usage("--memory is from 128 to 10240 MB, as on Lambda");
        if (watch && !serve) throw cli.usage("--watch goes with --serve");
        if (release && (!watch || host)) {
            throw cli.usage(host ? "--release and --host: choose one (--host builds for this machine)"
                    : "--release goes with --watch (without --watch, --serve serves the lambda folder's release bootstraps already)");
        }
        boolean dev = watch && !release && !host;
        if (dev && lambdaDir != null) {
            throw cli.usage("--lambda-dir names the release bootstraps: with --watch add --release "
                    + "(the dev build goes to <target dir>/lambda-dev)");
        }
        if (serve && name != null) throw cli.usage("--serve serves every function: give no NAME");
        if (concurrency != null && concurrency < 1) {
            throw cli.usage("--concurrency is at least 1 (leave it out for on-demand)");
        }
        // cargo metadata runs once, and only where a workspace is asked for or needed (--lambda-dir alone needs none);
        // its env tables and --env-file are checked before the local AWS or any function starts.
        Workspace ws = null;
        if (host || watch || lambdaDir == null || manifestPath != null) {
            ws = Workspace.load(Workspace.findManifest(manifestPath, Path.of("").toAbsolutePath()), System.getenv(), c -> c);
        }
        CargoEnv cargoEnv = CargoEnv.read(ws, envFile);
        cargoEnv.warnings().forEach(w -> System.err.println("invoke-lambda: warning: " + w));
        try (AwsOptions.Session session = aws.open(manifestPath, System.err)) {
            return invoke(session.env().withCargoEnv(cargoEnv), ws, dev);
        }
    }

    private Integer invoke(FunctionEnv functionEnv, Workspace ws, boolean dev) throws Exception {
        Invoker.Settings settings = new Invoker.Settings(memory, cpu, (long) (timeout * 1000), Map.copyOf(env), functionEnv,
                concurrency == null ? 0 : concurrency, Extensions.check(extensions), runner.runner(cli.spec.commandLine(), host));
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
        } else if (dev) {
            DevBuild d = new DevBuild(ws, System.getenv(), System.err);
            source = d.start();
            System.err.println("invoke-lambda: serving " + d.describe());
            rebuild = d::build;
        } else {
            Path dir = Functions.lambdaDir(lambdaDir, ws);
            source = FunctionSource.lambdaDir(dir);
            Path m = manifest;
            Workspace w = ws;
            if (watch) rebuild = changed -> Rebuild.lambda(m, w, changed, lambdaDir == null ? null : dir);
        }
        if (serve) return Gateway.serve(source, bind, port, settings, cli.err(), watch ? ws : null, rebuild, appFile());
        if (name == null) throw cli.usage("name the function to invoke (" + source.describe() + ")");
        if (!source.names().contains(name) || !Files.isRegularFile(source.executable(name))) {
            throw new Cli.UserError(ExitCode.USAGE, "unknown function '" + name + "' (" + source.describe() + ")");
        }
        Path bootstrap = source.executable(name);
        byte[] body = readEvent();
        // A streamed response is printed piece by piece as it comes, byte for byte (its HTTP prelude included,
        // as InvokeWithResponseStream hands it to SDK callers).
        ResponseStream.Listener print = new ResponseStream.Listener() {
            public void start(String contentType) {}

            public void chunk(byte[] bytes) {
                System.out.write(bytes, 0, bytes.length);
                System.out.flush();
            }
        };
        Invoker.Run r = Invoker.run(name, bootstrap, body, settings, System.err, print);
        System.err.println("invoke-lambda: " + name + " ran " + r.how());
        System.err.println(r.report(memory));
        System.err.flush();
        Invoker.Outcome o = r.outcome();
        if (o instanceof Invoker.Streamed st && st.errorType() == null) return ExitCode.OK.code;
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
        SandboxHint.of(r, settings.runner()).ifPresent(h -> System.err.println("invoke-lambda: " + h));
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
