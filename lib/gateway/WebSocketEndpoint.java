import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;

/**
 * The socket side of one WebSocket API connection; WebSocketApi does the work. Public, with public methods: Jetty
 * calls a listener through public method handles.
 */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {
    private final WebSocketApi api;
    private final WebSocketApi.Connection c;

    WebSocketEndpoint(WebSocketApi api, WebSocketApi.Connection c) {
        this.api = api;
        this.c = c;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        api.opened(c, session);
    }

    @Override
    public void onWebSocketText(String message) {
        api.received(c, message, false);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        callback.succeed();
        api.received(c, java.util.Base64.getEncoder().encodeToString(b), true);
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        api.closed(c, code, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // the close that follows reports it ($disconnect)
    }
}
