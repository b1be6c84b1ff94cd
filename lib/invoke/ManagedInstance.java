import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A function on Lambda Managed Instances (--concurrency N): one execution environment, one process, that serves up
 * to N invocations at once. Its runtime gets AWS_LAMBDA_MAX_CONCURRENCY=N (lambda_runtime's run_concurrent then
 * long-polls /next from N workers) and AWS_LAMBDA_INITIALIZATION_TYPE=lambda-managed-instances. As the service does:
 * an invocation past N in flight is refused (TooManyRequestsException, "Lambda Managed Instances might reject new
 * invokes to protect invokes that are already in flight") rather than queued or sent to a second process; an
 * invocation that overruns the timeout is reported as timed out and is not stopped (it stays in flight until the
 * runtime answers it, and counts towards N); a crash ends the environment and the next invoke starts a new one.
 */
final class ManagedInstance {
    static final String INITIALIZATION_TYPE = "lambda-managed-instances";

    /** The variables a managed instance's runtime gets on top of the function's own; nothing for on-demand. */
    static Map<String, String> env(Invoker.Settings s, Map<String, String> env) {
        if (!s.managed()) return env;
        Map<String, String> m = new LinkedHashMap<>(env);
        m.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(s.concurrency()));
        m.put("AWS_LAMBDA_INITIALIZATION_TYPE", INITIALIZATION_TYPE);
        return m;
    }

    final String name;
    private final Supplier<Path> bootstrap;
    private final Supplier<Invoker.Settings> settings;
    private final PrintStream logs;
    private Invoker.Instance instance;
    private boolean initReported;
    /** Instances a rebuild replaced while they still had invocations in flight: closed when those end. */
    private final List<Invoker.Instance> retired = new ArrayList<>();

    ManagedInstance(String name, Supplier<Path> bootstrap, Supplier<Invoker.Settings> settings, PrintStream logs) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.logs = logs;
    }

    /** One invocation: sent to the one process, or refused when it has N in flight; the Run of a failed init has no request id. */
    Invoker.Run invoke(byte[] event) {
        Invoker.Instance i;
        Invoker.Instance.Sent sent;
        boolean first;
        synchronized (this) {
            if (instance != null && !instance.alive()) {
                instance.close();
                instance = null;
            }
            if (instance == null) {
                // The environment is ready before it takes invocations (managed instances have no cold start on invoke):
                // invokes that arrive meanwhile wait here for its init.
                Invoker.Instance started = Invoker.Instance.start(name, bootstrap.get(), settings.get(), logs);
                Invoker.Outcome init = started.init();
                if (!(init instanceof Invoker.Ready)) {
                    Invoker.Run r = started.initRun(init);
                    started.close();
                    return r;
                }
                instance = started;
                initReported = false;
            }
            i = instance;
            int n = i.settings.concurrency();
            if (i.inFlight() >= n) return new Invoker.Run(new Invoker.Throttled(n), null, -1, -1, 0, i.launch.how());
            sent = i.send(event);
            first = !initReported;
            initReported = true;
        }
        Invoker.Run r = i.answer(sent, first);
        synchronized (this) {
            if (r.outcome() instanceof Invoker.Crashed && instance == i) {
                instance = null;
                i.close();
            }
            retired.removeIf(old -> {
                if (old.inFlight() > 0 && old.alive()) return false;
                old.close();
                return true;
            });
        }
        return r;
    }

    synchronized int size() {
        return (instance == null ? 0 : 1) + retired.size();
    }

    /** A rebuild: the next invoke starts a new process; this one ends now if idle, else when its invocations end. */
    synchronized void stop() {
        if (instance == null) return;
        if (instance.inFlight() == 0) instance.close();
        else retired.add(instance);
        instance = null;
    }

    /** Shutdown: every process, busy or not. */
    synchronized void close() {
        if (instance != null) instance.close();
        instance = null;
        retired.forEach(Invoker.Instance::close);
        retired.clear();
    }
}
