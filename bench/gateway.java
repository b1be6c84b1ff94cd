///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5
//SOURCES ../tests/support/WsClient.java
//DESCRIPTION Load on the local gateway: N HTTP clients and M WebSocket clients for a fixed time against --host builds

import com.eclipsesource.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Usage: ./jbang bench/gateway.java [HTTP_CLIENTS] [WS_CLIENTS] [SECONDS]   (default 8 8 20)
 * Starts `invoke-lambda --serve --host` over tests/fixtures/gateway, then each HTTP client asks GET /items/{its id}-{n}
 * and checks the answer names that same path parameter; each WebSocket client sends {"action":"echo","n":...} and
 * checks the echoed body. Prints answered, lost (no answer or an error status), crossed (an answer for another
 * request) and p50/p99 round trips. With --host there is no qemu, so the round trip is the gateway plus the
 * function's own (small) work: an upper bound of the gateway's overhead.
 */
class GatewayBench {
    public static void main(String... args) throws Exception {
        int httpClients = args.length > 0 ? Integer.parseInt(args[0]) : 8, wsClients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 20;
        Path root = Path.of("").toAbsolutePath(), log = Files.createTempFile("gateway-bench", ".log");
        Process gw = new ProcessBuilder(root.resolve("jbang").toString(), "invoke-lambda@.", "--serve", "--port", "0", "--host",
                "--manifest-path", "tests/fixtures/gateway/Cargo.toml", "--app", "tests/fixtures/gateway/app.json")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = null;
            for (int i = 0; i < 6000 && url == null; i++) {
                if (!gw.isAlive()) throw new IllegalStateException("the gateway ended: " + Files.readString(log));
                Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/").matcher(Files.readString(log));
                if (m.find()) url = m.group(1);
                else Thread.sleep(100);
            }
            run(url, httpClients, wsClients, seconds);
        } finally {
            List<ProcessHandle> children = gw.descendants().toList();
            gw.destroy();
            gw.waitFor(60, TimeUnit.SECONDS);
            for (ProcessHandle h : children) h.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    static void run(String url, int httpClients, int wsClients, long seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // Warm both functions first: the first call of each starts its process.
        http.send(HttpRequest.newBuilder(URI.create(url + "/items/warm")).build(), HttpResponse.BodyHandlers.ofString());
        AtomicLong answered = new AtomicLong(), lost = new AtomicLong(), crossed = new AtomicLong();
        List<Long> httpNanos = Collections.synchronizedList(new ArrayList<>()), wsNanos = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < httpClients; c++) {
            int id = c;
            threads.add(start(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    String key = id + "-" + n;
                    long t = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/items/" + key)).build(), HttpResponse.BodyHandlers.ofString());
                        httpNanos.add(System.nanoTime() - t);
                        if (r.statusCode() != 200) lost.incrementAndGet();
                        else if (!key.equals(Json.parse(r.body()).asObject().get("pathParameters").asObject().getString("id", ""))) crossed.incrementAndGet();
                        else answered.incrementAndGet();
                    } catch (Exception e) {
                        lost.incrementAndGet();
                    }
                }
            }));
        }
        for (int c = 0; c < wsClients; c++) {
            int id = c;
            threads.add(start(() -> {
                WsClient ws = WsClient.connect(url.replace("http:", "ws:") + "/dev?name=b" + id);
                for (int n = 0; System.nanoTime() < end; n++) {
                    String msg = "{\"action\":\"echo\",\"n\":\"" + id + "-" + n + "\"}";
                    long t = System.nanoTime();
                    ws.send(msg);
                    try {
                        String back = ws.messages.poll(30, TimeUnit.SECONDS);
                        wsNanos.add(System.nanoTime() - t);
                        if (back == null) lost.incrementAndGet();
                        else if (!msg.equals(Json.parse(back).asObject().getString("body", ""))) crossed.incrementAndGet();
                        else answered.incrementAndGet();
                    } catch (Exception e) {
                        lost.incrementAndGet();
                    }
                }
                ws.socket.sendClose(1000, "done").join();
            }));
        }
        for (Thread t : threads) t.join();
        System.out.printf("gateway bench: %d HTTP + %d WebSocket clients, %d s: answered %d, lost %d, crossed %d%n",
                httpClients, wsClients, seconds, answered.get(), lost.get(), crossed.get());
        System.out.println("  HTTP API GET /items/{id} round trip: " + percentiles(httpNanos));
        System.out.println("  WebSocket echo route round trip:     " + percentiles(wsNanos));
    }

    static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    static String percentiles(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        if (s.isEmpty()) return "no samples";
        return String.format("n=%d p50 %.2f ms, p99 %.2f ms", s.size(), s.get(s.size() / 2) / 1e6, s.get((int) (s.size() * 0.99)) / 1e6);
    }
}
