import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a process printed before it was stopped is shown whole: an extension's SHUTDOWN line, a function's last log
 * line. The reader of its output is held back until the process is killed, so every line is still in the pipe
 * when close() stops it; then each must reach the sink. Killing through Process.destroyForcibly() closed the
 * stream and lost them.
 */
@Tag("fast")
class FunctionProcessTest {
    private static final int LINES = 3000;

    @ParameterizedTest
    @ValueSource(strings = {"process", "sandbox"})
    void closeShowsEveryLineItPrintedBeforeTheKill(String runner) throws Exception {
        Path task = Repo.scratch("function-process");
        Path bootstrap = task.resolve("bootstrap");
        // ~30 KB of lines, less than a pipe holds, so the writer never blocks; then it waits to be stopped
        Files.writeString(bootstrap, "#!/bin/sh\ni=0\nwhile [ $i -lt " + LINES + " ]; do echo \"line $i\"; i=$((i+1)); done\nexec sleep 600\n");
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        PrintStream held = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(line);
            }
        };
        Runner r = runner.equals("process") ? Runner.process() : Runner.sandbox(Runner.DEFAULT_EPHEMERAL_MB);
        Map<String, String> env = FunctionProcess.lambdaEnv("printer", task, "127.0.0.1:1", 128, Map.of());
        FunctionProcess f = FunctionProcess.start(bootstrap, new FunctionProcess.Launch(List.of(), "natively", r), env, held);
        ProcessHandle top = f.process().toHandle();
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            // every line is written once the script is in its sleep
            for (int i = 0; i < 600 && !sleeping(top); i++) Thread.sleep(100);
            assertTrue(sleeping(top), "the script reached its sleep");
            tree.addAll(Stream.concat(Stream.of(top), top.descendants()).toList());
            Thread closer = new Thread(f::close, "close");
            closer.start();
            assertTrue(top.onExit().get(30, TimeUnit.SECONDS) != null && !top.isAlive(), "close() killed it");
            release.countDown();
            closer.join(30_000);
            assertFalse(closer.isAlive(), "close() returned");
        } finally {
            release.countDown();
            f.close();
        }
        assertEquals(LINES, got.size(), "every line printed before the kill reached the sink; the last: "
                + (got.isEmpty() ? "none" : got.get(got.size() - 1)));
        assertEquals("line " + (LINES - 1), got.get(LINES - 1));
        for (ProcessHandle h : tree) h.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(), tree.stream().filter(ProcessHandle::isAlive).toList(), "nothing left running");
    }

    private static boolean sleeping(ProcessHandle top) {
        return Stream.concat(Stream.of(top), top.descendants())
                .anyMatch(h -> h.info().command().map(c -> c.endsWith("/sleep")).orElse(false));
    }
}
