import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `invoke-lambda --serve --port 0 ARGS` as a real process, its log in a file; close() stops it and checks that no
 * process it started is left. The gateway fixture (tests/fixtures/gateway) is built once per run, into the same
 * target folder as invoke-lambda's other fixtures so lambda_http compiles once.
 */
final class GatewayServer implements AutoCloseable {
    private static Proc built;
    final Process process;
    final Path log;
    final String url;

    static synchronized Path fixture() {
        if (built == null) built = Proc.jbang(InvokeFixtures.env(), "build-lambda@.", "--manifest-path", "tests/fixtures/gateway/Cargo.toml");
        if (built.exit != 0) throw new AssertionError("building tests/fixtures/gateway failed: " + built);
        return InvokeFixtures.LAMBDA;
    }

    /** The gateway over the fixture's functions with its app.json. */
    static GatewayServer fixtureGateway(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--lambda-dir", fixture().toString(), "--app", "tests/fixtures/gateway/app.json"));
        args.addAll(List.of(more));
        return new GatewayServer(args);
    }

    GatewayServer(List<String> args) throws Exception {
        this(args, java.util.Map.of());
    }

    /** env: variables added to the server's environment (CARGO_TARGET_DIR, say). */
    GatewayServer(List<String> args, java.util.Map<String, String> env) throws Exception {
        log = Repo.scratch("gateway").resolve("serve.log");
        List<String> cmd = new ArrayList<>(List.of(Repo.ROOT.resolve("jbang").toString(), "invoke-lambda@.", "--serve", "--port", "0"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        process = pb.start();
        // Serving may follow a first build (--watch's dev build of a fresh target folder): minutes on a loaded machine.
        url = waitFor(Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/"), "serving", 1200).group(1);
    }

    String log() throws Exception {
        return Files.readString(log);
    }

    /** The first match of pattern in the log, waiting up to 300 s; fails if the server ends first. */
    Matcher waitFor(Pattern pattern, String what) throws Exception {
        return waitFor(pattern, what, 300);
    }

    Matcher waitFor(Pattern pattern, String what, int seconds) throws Exception {
        return waitFor(process, log, pattern, what, seconds);
    }

    /** The first match of pattern in a server's log, waiting up to seconds; fails if the server ends first. */
    static Matcher waitFor(Process server, Path log, Pattern pattern, String what) throws Exception {
        return waitFor(server, log, pattern, what, 300);
    }

    static Matcher waitFor(Process server, Path log, Pattern pattern, String what, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) return m;
            assertTrue(server.isAlive(), "the server ended before " + what + ": " + Files.readString(log));
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " within " + seconds + " s: " + Files.readString(log));
    }

    /** How many times text occurs in the log. */
    int count(String text) throws Exception {
        String s = log();
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) n++;
        return n;
    }

    /** `curl -sS -i ARGS` (a real client): the status line, headers and body. */
    static Proc curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "120"));
        cmd.addAll(List.of(args));
        return Proc.run(Repo.ROOT, null, cmd);
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the gateway did not stop");
        for (ProcessHandle h : children) h.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), children.stream().filter(ProcessHandle::isAlive).toList(), "processes left after the gateway stopped");
    }
}
