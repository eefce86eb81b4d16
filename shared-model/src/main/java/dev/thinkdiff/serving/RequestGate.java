package dev.thinkdiff.serving;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded pool in front of the models: at most {@code workers} requests run at once and at most {@code queue} wait;
 * one more is refused at once with a 503 and Retry-After rather than piling up threads and memory.
 */
public final class RequestGate {

    private final Semaphore admitted;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int retryAfterSeconds;

    public RequestGate(ServingConfig.Pool pool) {
        this(pool.workers(), pool.queue(), pool.retryAfterSeconds());
    }

    public RequestGate(int workers, int queue, int retryAfterSeconds) {
        if (workers < 1 || queue < 0) {
            throw new IllegalArgumentException("workers must be ≥ 1 and queue ≥ 0, got " + workers + ", " + queue);
        }
        this.admitted = new Semaphore(workers + queue);
        this.running = new Semaphore(workers, true);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Runs {@code work} on the calling thread once a worker is free.
     *
     * @throws RequestException 503 over capacity when the queue is full
     */
    public <T> T run(Supplier<T> work) {
        if (!admitted.tryAcquire()) {
            throw RequestException.overCapacity(retryAfterSeconds);
        }
        try {
            waiting.incrementAndGet();
            try {
                running.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RequestException.overCapacity(retryAfterSeconds);
            } finally {
                waiting.decrementAndGet();
            }
            try {
                return work.get();
            } finally {
                running.release();
            }
        } finally {
            admitted.release();
        }
    }

    /** Requests admitted and waiting for a worker. */
    public int queueDepth() {
        return waiting.get();
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
