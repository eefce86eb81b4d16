package dev.thinkdiff.serving;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one instance of a process's models: loaded once, in the background, so the process is alive at once but ready
 * only when the load (fetch into the verified cache, hash checks, weights) succeeded. A failed load keeps the slot
 * failed, with its reason, and the process not ready: a bad model file is never served.
 */
public final class ModelSlot<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelSlot.class);

    public enum State { LOADING, READY, FAILED }

    private record Status(State state, Object value, String reason, double loadSeconds) {
    }

    private final String name;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.LOADING, null, null, 0));
    private final CountDownLatch settled = new CountDownLatch(1);

    public ModelSlot(String name) {
        this.name = name;
    }

    /** Loads on a new daemon thread; returns at once. */
    public void loadInBackground(Supplier<T> loader) {
        loadInBackground(loader, () -> { });
    }

    /** Loads on a new daemon thread, then runs {@code then} (whether the load succeeded or failed); returns at once. */
    public void loadInBackground(Supplier<T> loader, Runnable then) {
        Thread thread = new Thread(() -> {
            load(loader);
            then.run();
        }, name + "-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Loads on the calling thread; failures are recorded, never thrown. */
    public void load(Supplier<T> loader) {
        long start = System.nanoTime();
        try {
            T value = loader.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            status.set(new Status(State.READY, value, null, seconds));
            LOG.infof("%s loaded in %.2f s", name, seconds);
        } catch (RuntimeException | Error e) {
            double seconds = (System.nanoTime() - start) / 1e9;
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            status.set(new Status(State.FAILED, null, reason, seconds));
            LOG.error(name + " failed to load; the process stays not ready", e);
        } finally {
            settled.countDown();
        }
    }

    public State state() {
        return status.get().state();
    }

    /** Why the load failed, or null. */
    public String reason() {
        return status.get().reason();
    }

    /** State and, after a failure, its reason: what a readiness check reports. */
    public String status() {
        State current = state();
        String why = reason();
        return why == null ? current.toString() : current + ": " + why;
    }

    public double loadSeconds() {
        return status.get().loadSeconds();
    }

    /**
     * @throws RequestException 503 not ready while loading or after a failed load
     */
    @SuppressWarnings("unchecked")
    public T get(int retryAfterSeconds) {
        Status s = status.get();
        return switch (s.state()) {
            case READY -> (T) s.value();
            case LOADING -> throw RequestException.notReady(name + " is still loading", retryAfterSeconds);
            case FAILED -> throw RequestException.notReady(name + " failed to load: " + s.reason(), retryAfterSeconds);
        };
    }

    /**
     * As {@link #get}, after waiting up to {@code timeout} for a load in progress to end.
     *
     * @throws RequestException 503 not ready if the load is still going after {@code timeout}, or failed
     */
    public T await(Duration timeout, int retryAfterSeconds) {
        try {
            settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return get(retryAfterSeconds);
    }

    @Override
    public void close() throws Exception {
        Status s = status.get();
        if (s.state() == State.READY) {
            ((AutoCloseable) s.value()).close();
        }
    }
}
