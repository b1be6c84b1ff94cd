import java.io.IOException;

/** Passes bytes through once opened; holds them until then. */
final class OutputGate extends java.io.OutputStream {
    private final java.io.OutputStream to;
    private java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();

    OutputGate(java.io.OutputStream to) {
        this.to = to;
    }

    synchronized void open() {
        try {
            held.writeTo(to);
            to.flush();
        } catch (IOException e) {
            // the terminal is gone: nothing to show it on
        }
        held = null;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (held != null) held.write(b);
        else to.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (held != null) held.write(b, off, len);
        else to.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (held == null) to.flush();
    }
}
