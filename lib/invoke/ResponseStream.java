import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`): the Runtime API's thread reads the
 * runtime's chunked body ({@link #readFrom}) and hands each piece on as it arrives; the invoking thread takes them
 * ({@link #pump}) and forwards them to its caller. The body is passed on byte for byte, the HTTP integration's
 * prelude and its 8 NUL bytes included: the Function URL front reads them (HttpPrelude), InvokeWithResponseStream
 * passes them on as the service does.
 * <p>
 * A mid-stream error ends the stream. lambda_runtime 1.5 writes it into the body as a last piece,
 * {@code Lambda-Runtime-Function-Error-Type: T\r\nLambda-Runtime-Function-Error-Body: BASE64\r\n}: that piece is
 * recognised, not forwarded, and reported as the error. Real HTTP trailers cannot be read here: the JDK's HTTP
 * server does not parse them (the body then ends in an error, reported as Runtime.StreamError).
 * <p>
 * Limit: Lambda's 200 MB (209,715,200 bytes) for a streamed response; beyond it the stream ends with
 * Function.ResponseSizeTooLarge. Lambda also caps the bandwidth after the first 6 MB (2 MB/s); that cap is not
 * emulated.
 */
final class ResponseStream {
    static final long MAX_BYTES = 200L * 1024 * 1024;
    static final String HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response";
    private static final byte[] ERROR_PREFIX = "Lambda-Runtime-Function-Error-Type:".getBytes(StandardCharsets.US_ASCII);

    /** Whoever receives the pieces: start once, with the response's Content-Type, then each piece in order. */
    interface Listener {
        void start(String contentType) throws IOException;

        void chunk(byte[] bytes) throws IOException;
    }

    /** How the stream ended: errorType null when it completed; bytes: how many were forwarded. */
    record End(String errorType, String errorMessage, long bytes) {
        boolean failed() {
            return errorType != null;
        }
    }

    private final String contentType;
    /** Bounded: a slow client slows the function down (TCP back-pressure) instead of filling memory. */
    private final BlockingQueue<Object> pieces = new LinkedBlockingQueue<>(256);
    /** Set when the invoking side stopped taking pieces (deadline passed): the reader then drops them. */
    private volatile boolean abandoned;

    private final long maxBytes;

    ResponseStream(String contentType) {
        this(contentType, MAX_BYTES);
    }

    /** maxBytes: Lambda's limit, or a smaller one for tests. */
    ResponseStream(String contentType, long maxBytes) {
        this.contentType = contentType == null ? "application/octet-stream" : contentType;
        this.maxBytes = maxBytes;
    }

    String contentType() {
        return contentType;
    }

    /** On the Runtime API's thread: reads the body to its end, queueing each piece, and last the End. */
    End readFrom(InputStream body) {
        long total = 0;
        byte[] held = null; // a piece that may be lambda_runtime's in-body error, until it is complete
        byte[] buf = new byte[64 * 1024];
        End end;
        try {
            while (true) {
                int n = body.read(buf);
                if (n < 0) {
                    if (held != null) {
                        End e = inBodyError(held, total);
                        if (e != null) {
                            end = e;
                            break;
                        }
                        hand(held);
                        total += held.length;
                    }
                    end = new End(null, null, total);
                    break;
                }
                if (n == 0) continue;
                byte[] piece = Arrays.copyOf(buf, n);
                if (held != null) {
                    piece = concat(held, piece);
                    held = null;
                }
                if (startsWith(piece, ERROR_PREFIX) || startsWith(ERROR_PREFIX, piece)) {
                    End e = inBodyError(piece, total);
                    if (e != null) {
                        end = e;
                        body.transferTo(java.io.OutputStream.nullOutputStream());
                        break;
                    }
                    if (piece.length < 4096) {
                        held = piece;
                        continue;
                    }
                }
                if (total + piece.length > maxBytes) {
                    end = new End("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size ("
                            + maxBytes + " bytes).", total);
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                    break;
                }
                total += piece.length;
                hand(piece);
            }
        } catch (IOException e) {
            end = new End("Runtime.StreamError", "the response stream broke off: " + e.getMessage(), total);
        }
        hand(end);
        return end;
    }

    /** Queues a piece (or the End), waiting while the queue is full, unless the invoking side went away. */
    private void hand(Object piece) {
        try {
            while (!abandoned && !pieces.offer(piece, 200, TimeUnit.MILLISECONDS)) {
                // the consumer is slower than the function: wait
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            abandoned = true;
        }
    }

    /**
     * On the invoking thread: hands each piece to the listener as it arrives, until the stream ends (its End) or
     * the deadline passes (null). A listener that fails (its client went away) gets nothing more; the stream is
     * still read to its end, as Lambda lets the function finish.
     */
    End pump(Listener listener, long deadlineNanos) throws InterruptedException {
        boolean deaf = false;
        try {
            listener.start(contentType);
        } catch (IOException gone) {
            deaf = true;
        }
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            Object p = left <= 0 ? null : pieces.poll(left, TimeUnit.NANOSECONDS);
            if (p == null) {
                abandoned = true;
                pieces.clear();
                return null;
            }
            if (p instanceof End e) return e;
            if (deaf) continue;
            try {
                listener.chunk((byte[]) p);
            } catch (IOException gone) {
                deaf = true;
            }
        }
    }

    /** The in-body error form when piece is all of it (type and body lines, each ended by CRLF), else null. */
    static End inBodyError(byte[] piece, long total) {
        String s = new String(piece, StandardCharsets.UTF_8);
        var m = java.util.regex.Pattern.compile("Lambda-Runtime-Function-Error-Type: ?([^\r\n]*)\r\n"
                + "Lambda-Runtime-Function-Error-Body: ?([A-Za-z0-9+/=]*)\r\n").matcher(s);
        if (!m.matches()) return null;
        String message;
        try {
            message = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            message = m.group(2);
        }
        return new End(m.group(1).trim(), message, total);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
