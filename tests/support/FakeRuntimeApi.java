import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API on 127.0.0.1, serving one invocation and recording what the function
 * posts back: lets a real bootstrap run under qemu as it would inside Lambda.
 */
final class FakeRuntimeApi implements AutoCloseable {
    static final String PREFIX = "/2018-06-01/runtime/invocation/";
    final HttpServer server;
    final BlockingQueue<String[]> posts = new ArrayBlockingQueue<>(16);
    private final String event;
    private boolean served;

    FakeRuntimeApi(String event) {
        this.event = event;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("GET") && path.equals(PREFIX + "next")) {
                synchronized (this) {
                    if (served) {
                        // A second `next` waits, as in Lambda, until the test is done with it.
                        try {
                            wait(30_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        ex.sendResponseHeaders(410, -1);
                        ex.close();
                        return;
                    }
                    served = true;
                }
                byte[] b = event.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", "req-123");
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:test");
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
                return;
            }
            posts.add(new String[]{ex.getRequestMethod() + " " + path, new String(body, StandardCharsets.UTF_8)});
            byte[] ok = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(202, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String[] nextPost(long seconds) throws InterruptedException {
        return posts.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
            notifyAll();
        }
        server.stop(0);
    }
}
