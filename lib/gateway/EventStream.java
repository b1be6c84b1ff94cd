import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * AWS's event stream framing (application/vnd.amazon.eventstream), as InvokeWithResponseStream answers: each
 * message is a prelude (total length, headers length, CRC32 of those 8 bytes), headers (name length, name, type 7 =
 * string, value length, value), the payload and a CRC32 of everything before it. The SDKs' decoders check both CRCs.
 */
final class EventStream {
    private EventStream() {}

    /** A PayloadChunk event carrying bytes of the response. */
    static byte[] payloadChunk(byte[] bytes) {
        return event("PayloadChunk", "application/octet-stream", bytes);
    }

    /** The InvokeComplete event: {} when the stream completed, else its ErrorCode and ErrorDetails. */
    static byte[] invokeComplete(String errorCode, String errorDetails) {
        JsonWriter.Obj o = new JsonWriter.Obj();
        if (errorCode != null) o.put("ErrorCode", errorCode).put("ErrorDetails", errorDetails == null ? "" : errorDetails);
        return event("InvokeComplete", "application/json", o.toString().getBytes(StandardCharsets.UTF_8));
    }

    static byte[] event(String eventType, String contentType, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        header(h, ":event-type", eventType);
        header(h, ":content-type", contentType);
        header(h, ":message-type", "event");
        byte[] headers = h.toByteArray();
        int total = 12 + headers.length + payload.length + 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headers.length);
        b.putInt((int) crc(b.array(), 0, 8));
        b.put(headers).put(payload);
        b.putInt((int) crc(b.array(), 0, total - 4));
        return b.array();
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8), v = value.getBytes(StandardCharsets.UTF_8);
        out.write(n.length);
        out.writeBytes(n);
        out.write(7);
        out.write((v.length >> 8) & 0xff);
        out.write(v.length & 0xff);
        out.writeBytes(v);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }
}
