package dev.thinkdiff.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one instance of a process's models: loaded once, in the background, so the process is alive at once but ready
 * only when the load (fetch into the verified cache, hash checks, weights) succeeded. A failed load keeps the slot
 * failed, with its reason, and the process not ready: a bad model file is never served. Closing waits for a load in
 * progress ({@link #CLOSE_WAIT}) and closes what it loaded, so a stopping process does not free its models under a
 * loading thread or leave a late load open.
 */
public final class ModelSlot<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelSlot.class);

    public enum State { LOADING, READY, FAILED }

    /** How long {@link #close} waits for a load in progress; Cloud Run kills an instance 10 s after its SIGTERM. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private record Status(State state, Object value, String reason, double loadSeconds) {
    }

    private final String name;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.LOADING, null, null, 0));
    private final CountDownLatch settled = new CountDownLatch(1);
    // guarded by this: a load that ends after close closes what it loaded; close waits only for a load that started
    private boolean closed;
    private boolean started;

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

    /**
     * Loads on the calling thread; failures are recorded, never thrown. After {@link #close} it loads nothing, and
     * what a load still going at close returns is closed at once.
     */
    public void load(Supplier<T> loader) {
        long start = System.nanoTime();
        try {
            synchronized (this) {
                if (closed) {
                    status.set(new Status(State.FAILED, null, "closed before loading", 0));
                    return;
                }
                started = true;
            }
            T value = loader.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (this) {
                if (closed) {
                    closeQuietly(value);
                    status.set(new Status(State.FAILED, null, "closed while loading", seconds));
                    return;
                }
                status.set(new Status(State.READY, value, null, seconds));
            }
            LOG.infof("%s loaded in %.2f s", name, seconds);
        } catch (RuntimeException | Error e) {
            double seconds = (System.nanoTime() - start) / 1e9;
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            status.set(new Status(State.FAILED, null, reason, seconds));
            if (isClosed()) { // the JVM is stopping under the load (no shutdown hook may be added any more)
                LOG.infof("%s stopped loading at close: %s", name, reason);
            } else {
                LOG.error(name + " failed to load; the process stays not ready", e);
            }
        } finally {
            settled.countDown();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
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

    /**
     * Closes the loaded value, first waiting up to {@link #CLOSE_WAIT} for a load in progress to end; a load not yet
     * started will not run.
     */
    @Override
    public void close() throws Exception {
        close(Instant.now().plus(CLOSE_WAIT));
    }

    /**
     * As {@link #close()}, waiting for a load in progress until {@code deadline} at most: a process closing several
     * slots after a SIGTERM shares one deadline across them, so that the whole stop stays within its grace. A load
     * that ends after the deadline closes what it loaded.
     */
    public void close(Instant deadline) throws Exception {
        boolean loading;
        synchronized (this) {
            closed = true;
            loading = started;
        }
        long waitMillis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        if (loading && !settled.await(waitMillis, TimeUnit.MILLISECONDS)) {
            LOG.warnf("%s still loading at the stop's deadline; closing without it", name);
        }
        Status s = status.get();
        if (s.state() == State.READY) {
            ((AutoCloseable) s.value()).close();
        }
    }

    private void closeQuietly(T value) {
        try {
            value.close();
        } catch (Exception e) {
            LOG.warn(name + " loaded after close; closing it failed", e);
        }
    }
}
