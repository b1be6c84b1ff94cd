import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A Function URL in RESPONSE_STREAM mode, for one request: the prelude of the function's stream (HttpPrelude) gives
 * the status, headers and cookies; then each body piece goes to the client as it arrives (chunked, flushed). A
 * stream that fails after the response began is cut off, as the service cuts it: the client sees the response end
 * without its last chunk. Before anything was sent, the caller answers as for any failed invoke.
 */
final class FunctionUrlStream implements ResponseStream.Listener {
    private final Response response;
    private final List<Map.Entry<String, String>> extraHeaders;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean http;
    private boolean committed;

    FunctionUrlStream(Response response, List<Map.Entry<String, String>> extraHeaders) {
        this.response = response;
        this.extraHeaders = extraHeaders;
    }

    @Override
    public void start(String contentType) throws IOException {
        http = ResponseStream.HTTP_INTEGRATION.equals(contentType);
        if (!http) commit(200, List.of(Map.entry("Content-Type", contentType)));
    }

    @Override
    public void chunk(byte[] bytes) throws IOException {
        if (!committed) {
            pending.writeBytes(bytes);
            byte[] p = pending.toByteArray();
            int start = HttpPrelude.bodyStart(p, p.length);
            if (start < 0) return;
            HttpPrelude prelude = HttpPrelude.parse(p, start);
            if (prelude == null) {
                // not a prelude after all: the bytes are the body, as the service passes them
                commit(200, List.of(Map.entry("Content-Type", "application/octet-stream")));
                write(response, false, p);
                return;
            }
            commit(prelude.status(), prelude.headers());
            if (start < p.length) write(response, false, java.util.Arrays.copyOfRange(p, start, p.length));
            return;
        }
        write(response, false, bytes);
    }

    boolean committed() {
        return committed;
    }

    /** The stream completed: a body still held (no prelude came) is sent as it is, then the last chunk. */
    void end(Callback callback) {
        try {
            if (!committed) {
                commit(200, List.of(Map.entry("Content-Type", "application/octet-stream")));
                if (pending.size() > 0) write(response, false, pending.toByteArray());
            }
        } catch (IOException gone) {
            callback.failed(gone);
            return;
        }
        response.write(true, ByteBuffer.allocate(0), callback);
    }

    /** The stream failed after the response began: the connection is cut, without the chunked body's end. */
    void abort(Callback callback, String why) {
        callback.failed(new IOException(why));
    }

    private void commit(int status, List<Map.Entry<String, String>> headers) {
        committed = true;
        response.setStatus(status);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("content-length") || h.getKey().equalsIgnoreCase("transfer-encoding")) continue;
            response.getHeaders().add(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> h : extraHeaders) response.getHeaders().add(h.getKey(), h.getValue());
    }

    /** Writes and flushes one piece, waiting until the client took it. */
    static void write(Response response, boolean last, byte[] bytes) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(last, ByteBuffer.wrap(bytes), done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }
}
