import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local AWS for the functions' SDK calls: moto's server (PyPI `moto[server]`, installed by setup.sh) on
 * 127.0.0.1 and a free port, in memory. {@link #start} waits until it answers; {@link #close} (also run by a
 * shutdown hook, so Ctrl-C and a crash of this JVM stop it) kills its whole process tree. Tables are created
 * with {@link #createTable}; {@link #endpoint} is what AWS_ENDPOINT_URL_* point at. Credentials sent to it are
 * the fixed test values of {@link #ACCESS_KEY}, never the user's.
 */
final class LocalAws implements AutoCloseable {
    static final String ACCESS_KEY = "testing", SECRET_KEY = "testing", REGION = "us-east-1";

    final String endpoint;
    private final Process process;
    private final Path log;
    private final Thread hook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalAws(String endpoint, Process process, Path log) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
        this.hook = new Thread(this::stop, "local-aws-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static LocalAws start(String python) {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "no free port on 127.0.0.1 for the local AWS: " + e.getMessage());
        }
        Path log;
        Process p;
        try {
            log = Files.createTempFile("local-aws-", ".log");
            p = new ProcessBuilder(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "cannot start moto's server (" + python + " -m moto.server): " + e.getMessage()
                    + "; run ./setup.sh (pip install 'moto[server]==5.2.5')");
        }
        LocalAws aws = new LocalAws("http://127.0.0.1:" + port, p, log);
        aws.awaitReady();
        return aws;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String out = tail();
                close();
                throw new Cli.UserError(ExitCode.MISSING_PREREQUISITE, "moto's server exited with " + process.exitValue() + " before it served"
                        + (out.contains("No module named") ? " (not installed: run ./setup.sh, pip install 'moto[server]==5.2.5')" : ": " + out));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/data.json")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new Cli.UserError(ExitCode.IO_ERROR, "moto's server did not answer within 60 s: " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** One DynamoDB call (JSON protocol) with the test credentials: the parsed answer, or an error naming the call. */
    JsonObject dynamodb(String operation, JsonObject body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                // moto reads the service and region from the credential scope; it checks no signature.
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260101/" + REGION
                        + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new Cli.UserError(ExitCode.IO_ERROR, "the local AWS refused DynamoDB " + operation + ": " + r.body());
            return Json.parse(r.body()).asObject();
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "the local AWS did not answer DynamoDB " + operation + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cli.UserError(ExitCode.IO_ERROR, "interrupted during DynamoDB " + operation);
        }
    }

    void createTable(AppTables.Table t) {
        JsonObject body = new JsonObject().add("TableName", t.id())
                .add("KeySchema", Json.array().add(new JsonObject().add("AttributeName", t.keyName()).add("KeyType", "HASH")))
                .add("AttributeDefinitions", Json.array().add(new JsonObject().add("AttributeName", t.keyName()).add("AttributeType", t.keyType())))
                .add("BillingMode", "PAY_PER_REQUEST");
        dynamodb("CreateTable", body);
    }

    long pid() {
        return process.pid();
    }

    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        for (ProcessHandle h : tree) h.destroy();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                if (h.isAlive()) h.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary log
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
