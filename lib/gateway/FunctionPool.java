import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The warm instances of one function, as Lambda scales out: an invocation takes an idle instance, or starts a new
 * one when all are busy (up to max: Lambda's concurrency), or waits for one when max are busy. An instance that
 * crashed or timed out is dropped; stop() drops them all (a rebuild), busy ones when their invocation ends.
 * With --concurrency N the function runs as on Lambda Managed Instances instead: one process, N at once (ManagedInstance).
 */
final class FunctionPool {
    final String name;
    private final Supplier<Path> bootstrap;
    private final Supplier<Invoker.Settings> settings;
    private final int max;
    private final PrintStream logs;
    private final Deque<Invoker.Instance> idle = new ArrayDeque<>();
    private final List<Invoker.Instance> all = new ArrayList<>();
    private int starting;
    private long generation;
    /** With --concurrency: the function's one managed instance, instead of scale-out. */
    private ManagedInstance managed;

    FunctionPool(String name, Supplier<Path> bootstrap, Supplier<Invoker.Settings> settings, int max, PrintStream logs) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.max = max;
        this.logs = logs;
    }

    /**
     * One invocation; the Run of a failed init has no request id. scaleOut false: wait for the warm instance rather
     * than start another (the Invoke API keeps one instance per function, as before).
     */
    Invoker.Run invoke(byte[] event, boolean scaleOut) {
        return invoke(event, scaleOut, null, null);
    }

    /** The same with a client context and a listener for a streamed response (Invoker.Instance.invoke). */
    Invoker.Run invoke(byte[] event, boolean scaleOut, String clientContext, ResponseStream.Listener listener) {
        // A managed instance answers buffered: its streamed responses are collected (ManagedInstance).
        if (settings.get().managed()) return managed().invoke(event);
        Invoker.Instance i;
        long gen;
        synchronized (this) {
            while (true) {
                i = idle.pollFirst();
                if (i != null && !i.alive()) {
                    drop(i);
                    continue;
                }
                if (i != null || (all.size() + starting < max && (scaleOut || all.size() + starting == 0))) break;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted");
                }
            }
            if (i == null) starting++;
            gen = generation;
        }
        boolean cold = i == null;
        if (cold) {
            Invoker.Instance started = null;
            try {
                started = Invoker.Instance.start(name, bootstrap.get(), settings.get(), logs);
            } finally {
                // one step: a waiter must never see neither the starting count nor the instance
                synchronized (this) {
                    starting--;
                    if (started != null) all.add(started);
                    notifyAll();
                }
            }
            i = started;
            Invoker.Outcome init = i.init();
            if (!(init instanceof Invoker.Ready)) {
                Invoker.Run r = i.initRun(init);
                synchronized (this) {
                    drop(i);
                }
                return r;
            }
        }
        Invoker.Run r;
        try {
            r = i.invoke(event, cold, clientContext, listener);
        } catch (RuntimeException e) {
            synchronized (this) {
                drop(i);
            }
            throw e;
        }
        boolean keep = r.outcome() instanceof Invoker.Answered || r.outcome() instanceof Invoker.Failed || r.outcome() instanceof Invoker.Streamed;
        synchronized (this) {
            if (keep && gen == generation && i.alive()) {
                idle.addFirst(i);
                notifyAll();
            } else {
                drop(i);
            }
        }
        return r;
    }

    private void drop(Invoker.Instance i) {
        all.remove(i);
        idle.remove(i);
        i.close();
        notifyAll();
    }

    private synchronized ManagedInstance managed() {
        if (managed == null) managed = new ManagedInstance(name, bootstrap, settings, logs);
        return managed;
    }

    /** How many processes are running now. */
    synchronized int size() {
        return all.size() + (managed == null ? 0 : managed.size());
    }

    /** Stops the idle instances now and the busy ones when their invocation ends: the next invoke starts anew. */
    synchronized void stop() {
        generation++;
        for (Invoker.Instance i : new ArrayList<>(idle)) drop(i);
        if (managed != null) managed.stop();
    }

    /** Stops every instance, busy or not (shutdown). */
    synchronized void close() {
        generation++;
        for (Invoker.Instance i : new ArrayList<>(all)) drop(i);
        if (managed != null) managed.close();
    }
}
