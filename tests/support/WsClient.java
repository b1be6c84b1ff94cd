import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's java.net.http.WebSocket): each text message it receives, and how it was closed. */
final class WsClient implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder part = new StringBuilder();
    WebSocket socket;

    static WsClient connect(String uri) {
        WsClient c = new WsClient();
        c.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), c).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
            messages.add(part.toString());
            part.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** The next message, waiting up to 120 s (qemu starts functions slowly); fails when none came. */
    String next() throws InterruptedException {
        String m = messages.poll(120, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message in 120 s");
        return m;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }
}
