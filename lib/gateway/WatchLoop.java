import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * `--serve --watch`: rebuilds a package when its files change and restarts only its functions' warm processes.
 * From a change's first file event until its build ends, an invocation of a function of that package (any
 * front: the Invoke API, Function URLs, HTTP/REST/ALB routes, WebSocket routes) waits for the build instead
 * of reaching the old one: after a build that succeeded it starts the new bootstrap, after one that failed it
 * is served by the previous build (one line says so). Changes made while a build runs make the next build.
 * A change to a package that is not a function (a library) rebuilds, and holds, every function. Packages whose
 * build failed are built again with the next change, so a fix elsewhere also brings in their change.
 */
final class WatchLoop implements AutoCloseable {
    private final Workspace ws;
    private final Gateway gateway;
    private final Predicate<Set<String>> rebuild;
    private final PrintWriter err;
    /** Changed and not built yet: their functions wait. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Changed, and quiet since: the next build takes them. */
    private final Set<String> queued = new LinkedHashSet<>();
    /** Being built now: their functions wait. */
    private final Set<String> building = new LinkedHashSet<>();
    /** Changed, and their last build failed: built again with the next change, whichever package that is. */
    private final Set<String> failed = new LinkedHashSet<>();
    /** Functions whose waiting request was logged during this hold (one line per function per build). */
    private final Set<String> told = new LinkedHashSet<>();
    private final Watcher watcher;
    private final Thread builder;
    private boolean closed;

    WatchLoop(Workspace ws, Gateway gateway, Predicate<Set<String>> rebuild, PrintWriter err) throws IOException {
        this.ws = ws;
        this.gateway = gateway;
        this.rebuild = rebuild;
        this.err = err;
        builder = new Thread(this::loop, "rebuild");
        builder.setDaemon(true);
        builder.start();
        watcher = new Watcher(ws.packageDirs, this::changed, this::quiet);
    }

    private boolean isLibrary(String pkg) {
        return ws.functions.stream().noneMatch(f -> f.pkg().equals(pkg));
    }

    /** Whether a change to these packages holds this function. */
    private boolean holds(Set<String> pkgs, String function) {
        for (String p : pkgs) {
            if (isLibrary(p)) return true;
            for (Workspace.Function f : ws.functions) if (f.name().equals(function) && f.pkg().equals(p)) return true;
        }
        return false;
    }

    private synchronized void changed(String pkg) {
        if (dirty.add(pkg)) {
            List<String> held = ws.functions.stream().map(Workspace.Function::name).filter(f -> holds(Set.of(pkg), f)).toList();
            err.println("invoke-lambda: " + pkg + " changed: requests to " + String.join(", ", held) + " wait for its rebuild");
            err.flush();
        }
        notifyAll();
    }

    private synchronized void quiet(Set<String> pkgs) {
        dirty.addAll(pkgs);
        queued.addAll(pkgs);
        notifyAll();
    }

    /** Called before each invocation: returns at once unless a build of the function's package is due or running. */
    void await(String function) {
        synchronized (this) {
            boolean waited = false;
            while (!closed && (holds(dirty, function) || holds(building, function))) {
                if (!waited && told.add(function)) {
                    err.println("invoke-lambda: " + function + ": a request waits for its rebuild");
                    err.flush();
                }
                waited = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cli.UserError(ExitCode.INTERRUPTED, "interrupted");
                }
            }
        }
    }

    private void loop() {
        while (true) {
            Set<String> take;
            synchronized (this) {
                while (!closed && queued.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                take = new LinkedHashSet<>(failed);
                take.addAll(queued);
                queued.clear();
                failed.clear();
                dirty.removeAll(take);
                building.addAll(take);
            }
            List<String> functions = ws.functions.stream().map(Workspace.Function::name).filter(f -> holds(take, f)).toList();
            err.println("invoke-lambda: changed: " + String.join(", ", take) + "; rebuilding " + String.join(", ", functions));
            err.flush();
            boolean ok;
            try {
                ok = rebuild.test(take);
            } catch (RuntimeException e) {
                err.println("invoke-lambda: " + e.getMessage());
                ok = false;
            }
            if (ok) {
                // The old instances are stopped before a held request goes on: it starts the new build.
                gateway.stopFunctions(functions::contains);
                for (String f : functions) err.println("invoke-lambda: " + f + " rebuilt: its next invoke starts the new build");
            } else {
                err.println("invoke-lambda: the rebuild of " + String.join(", ", functions) + " failed (above); still serving the previous build");
            }
            err.flush();
            synchronized (this) {
                if (!ok) failed.addAll(take);
                building.clear();
                told.removeIf(f -> !holds(dirty, f));
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        watcher.close();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        builder.interrupt();
    }
}
