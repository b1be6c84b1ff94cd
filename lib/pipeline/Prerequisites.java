import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The builder's prepare() (finding zig, the engine, the linker), run once, in the background, from the moment
 * start() is called: at once for most builds; for a build whose cargo already runs (EarlyCargo), only if that cargo
 * fails or is still running after a moment. A no-op build that succeeds has shown everything it needs is there.
 */
final class Prerequisites<T> {
    private final Supplier<T> prepare;
    private final CompletableFuture<T> found = new CompletableFuture<>();
    private boolean started;

    Prerequisites(Supplier<T> prepare) {
        this.prepare = prepare;
    }

    /** Starts the check unless it has started; returns this. */
    Prerequisites<T> start() {
        synchronized (this) {
            if (started) return this;
            started = true;
        }
        CompletableFuture.runAsync(() -> {
            try {
                found.complete(prepare.get());
            } catch (Throwable t) {
                found.completeExceptionally(t);
            }
        });
        return this;
    }

    /** What prepare() found, starting the check if it has not started. */
    T await() {
        start();
        return Pipeline.await(found);
    }

    /** The check's result as a future, started. */
    CompletableFuture<T> future() {
        start();
        return found;
    }

    /** What prepare() found if it has finished and succeeded, else null (for a stop hook: never waits, never starts). */
    T ifFound() {
        return found.isDone() && !found.isCompletedExceptionally() ? found.join() : null;
    }
}
