import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's InvokeWithResponseStream on the gateway: POST /2021-11-15/functions/NAME/response-streaming-invocations,
 * answered 200 with application/vnd.amazon.eventstream: one PayloadChunk event per piece the function streams, sent
 * as it arrives (the HTTP integration's prelude and NULs included, as the service passes them), then InvokeComplete,
 * which carries ErrorCode and ErrorDetails when the stream or the invoke failed. A function that answers buffered
 * gets its whole answer in one PayloadChunk. Unknown functions and too large events are refused before the stream
 * starts, as the Invoke API refuses them.
 */
final class InvokeStreamApi {
    static final String PREFIX = "/2021-11-15/functions/";
    static final String SUFFIX = "/response-streaming-invocations";

    private final Gateway gateway;

    InvokeStreamApi(Gateway gateway) {
        this.gateway = gateway;
    }

    /** null: the stream was sent (callback completed); else the refusal to send. */
    GatewayRequest.Reply handle(String method, String path, byte[] event, String clientContext, Response response, Callback callback) {
        String rest = path.substring(PREFIX.length());
        if (!method.equals("POST") || !rest.endsWith(SUFFIX)) {
            return InvokeApi.reply(404, null, RuntimeApi.error("ResourceNotFoundException", "no route " + method + " " + path
                    + ": use POST " + PREFIX + "NAME" + SUFFIX));
        }
        String name = rest.substring(0, rest.length() - SUFFIX.length());
        GatewayRequest.Reply refused = InvokeApi.refuse(gateway, name, event, "InvokeWithResponseStream");
        if (refused != null) return refused;
        if (event.length == 0) event = "{}".getBytes(StandardCharsets.UTF_8);
        boolean[] started = {false};
        ResponseStream.Listener frames = new ResponseStream.Listener() {
            @Override
            public void start(String contentType) throws IOException {
                begin(response, started);
            }

            @Override
            public void chunk(byte[] bytes) throws IOException {
                FunctionUrlStream.write(response, false, EventStream.payloadChunk(bytes));
            }
        };
        Invoker.Run r = gateway.invoke(name, event, false, clientContext, frames);
        try {
            begin(response, started);
            Invoker.Outcome o = r.outcome();
            byte[] last;
            if (o instanceof Invoker.Streamed s) {
                last = EventStream.invokeComplete(s.errorType(), s.errorMessage());
                if (s.errorType() != null) gateway.logFailure(name, r);
            } else if (o instanceof Invoker.Answered a) {
                if (a.body().length > 0) FunctionUrlStream.write(response, false, EventStream.payloadChunk(a.body()));
                last = EventStream.invokeComplete(null, null);
            } else if (o instanceof Invoker.Failed f) {
                last = EventStream.invokeComplete(f.type(), new String(f.body(), StandardCharsets.UTF_8));
            } else {
                last = EventStream.invokeComplete(code(o), details(r, gateway.settings));
                gateway.logFailure(name, r);
            }
            response.write(true, ByteBuffer.wrap(last), callback);
        } catch (IOException gone) {
            callback.failed(gone);
        }
        return null;
    }

    private static void begin(Response response, boolean[] started) {
        if (started[0]) return;
        started[0] = true;
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "application/vnd.amazon.eventstream");
        response.getHeaders().put("X-Amz-Executed-Version", "$LATEST");
        response.getHeaders().put("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    }

    private static String code(Invoker.Outcome o) {
        return o instanceof Invoker.TimedOut ? "Sandbox.Timedout" : o instanceof Invoker.InitFailed ? "Runtime.InitError" : "Runtime.ExitError";
    }

    private static String details(Invoker.Run r, Invoker.Settings s) {
        Invoker.Outcome o = r.outcome();
        String id = r.requestId() == null ? "" : "RequestId: " + r.requestId() + " ";
        if (o instanceof Invoker.TimedOut) return id + "Task timed out after " + String.format(Locale.ROOT, "%.2f", s.timeoutMillis() / 1000.0) + " seconds";
        if (o instanceof Invoker.InitFailed f) return "init failed: " + f.type();
        return id + "Error: Runtime exited with error: " + ((Invoker.Crashed) o).how();
    }
}
