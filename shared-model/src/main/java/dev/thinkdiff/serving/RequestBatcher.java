package dev.thinkdiff.serving;

import dev.thinkdiff.engine.DjlRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The bounded pool in front of a function's models, with dynamic batching: requests that arrive within
 * {@code max-delay-millis} of the oldest waiting one and share its settings ({@code key}) run as one batch of at most
 * {@code max-size} (counted in {@code weight}: a decode request weighs its image count) on one of {@code workers}
 * threads. A request waits for company only when company is likely: it arrived within {@code max-delay} of the one
 * before it, others are waiting, or the last batch held more than one (clients that were answered together come back
 * together); a lone request (one client, or sparse traffic) runs at once instead of paying the delay for a batch that
 * will not come. At most {@code queue} requests wait, one more is refused at once with a 503 and Retry-After rather
 * than piling up threads and memory. While every worker is busy, waiting requests keep joining their batch. With
 * {@code max-size} 1 (or a delay of 0 and no concurrent arrivals) every request runs alone.
 *
 * <p>A batch's work maps each input to its output in order; if it throws, every request of the batch fails with it.
 * Workers are this batcher's own threads, readied for inference.
 *
 * @param <I> a request's validated input
 * @param <O> its output
 */
public final class RequestBatcher<I, O> implements AutoCloseable {

    /** What a batch of {@code size} requests took: observed once per batch. */
    public interface Observer {
        void batch(int size, int weight, long runNanos);

        void waited(long queueNanos);
    }

    /**
     * One request's answer and what its batch cost it.
     *
     * @param batchSize  requests in its batch
     * @param queueNanos from {@link #run} to the batch's start
     * @param share      its weight over the batch's: the part of the batch's time it is billed
     * @param stages     the batch's wall time per stage, whole (a request is billed {@code share} of each)
     */
    public record Result<O>(O value, int batchSize, long queueNanos, double share, StageTimings stages) {
    }

    /** {@code expectsCompany}: the previous request arrived within {@code max-delay} before this one. */
    private record Pending<I, O>(Object key, I input, int weight, long enqueued, boolean expectsCompany,
            CompletableFuture<Result<O>> result) {
    }

    private final Function<List<I>, BatchWork<O>> work;
    private final Observer observer;
    private final int maxWeight;
    private final long maxDelayNanos;
    private final int queue;
    private final int retryAfterSeconds;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> waiting = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;
    /** Workers running a batch (guarded by {@code lock}). */
    private int busy;
    /** When the last request was admitted (guarded by {@code lock}). */
    private long lastArrival = Long.MIN_VALUE;
    /** Requests in the last batch formed (guarded by {@code lock}). */
    private int lastBatchSize;

    /** The outputs of one batch, in input order, with the batch's wall time per stage. */
    public record BatchWork<O>(List<O> outputs, StageTimings stages) {
    }

    /**
     * @param name   threads' name prefix
     * @param work   runs one batch (inputs that share a key); called on a worker thread
     */
    public RequestBatcher(String name, ServingConfig.Pool pool, ServingConfig.Batch batch,
            Function<List<I>, BatchWork<O>> work, Observer observer) {
        if (pool.workers() < 1 || pool.queue() < 0 || batch.maxSize() < 1 || batch.maxDelayMillis() < 0) {
            throw new IllegalArgumentException("workers and batch size must be ≥ 1, queue and delay ≥ 0, got "
                    + pool.workers() + ", " + batch.maxSize() + ", " + pool.queue() + ", " + batch.maxDelayMillis());
        }
        this.work = work;
        this.observer = observer;
        this.maxWeight = batch.maxSize();
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(batch.maxDelayMillis());
        this.queue = pool.queue();
        this.retryAfterSeconds = pool.retryAfterSeconds();
        for (int i = 0; i < pool.workers(); i++) {
            Thread worker = new Thread(this::serve, name + "-batch-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Runs {@code input} in a batch of inputs with an equal {@code key}, blocking until its answer.
     *
     * @param weight its part of a batch's {@code max-size} (≥ 1; a request heavier than the limit runs alone)
     * @throws RequestException 503 over capacity when the queue is full; what the batch's work threw
     */
    public Result<O> run(Object key, I input, int weight) {
        Objects.requireNonNull(key);
        Pending<I, O> pending;
        lock.lock();
        try {
            // as many waiting as there are idle workers to take them, plus the queue
            if (closed || waiting.size() >= queue + workers.size() - busy) {
                throw RequestException.overCapacity(retryAfterSeconds);
            }
            long now = System.nanoTime();
            boolean expectsCompany = lastArrival != Long.MIN_VALUE && now - lastArrival < maxDelayNanos;
            lastArrival = now;
            pending = new Pending<>(key, input, Math.max(1, weight), now, expectsCompany, new CompletableFuture<>());
            waiting.addLast(pending);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result().cancel(false);
            throw RequestException.overCapacity(retryAfterSeconds);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Requests admitted and waiting for a batch. */
    public int queueDepth() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void serve() {
        DjlRuntime.prepareInferenceThread();
        while (!closed) {
            List<Pending<I, O>> batch;
            try {
                batch = next();
            } catch (InterruptedException e) {
                return;
            }
            if (batch != null) {
                try {
                    runBatch(batch);
                } finally {
                    lock.lock();
                    try {
                        busy--;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /**
     * The next batch: the oldest waiting request and the later ones with its key, once their weight reaches
     * {@code max-size} or the oldest has waited {@code max-delay} (at once if it came alone).
     */
    private List<Pending<I, O>> next() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                Pending<I, O> oldest = waiting.peekFirst();
                if (oldest == null) {
                    arrived.await();
                    continue;
                }
                long wait = oldest.enqueued() + maxDelayNanos - System.nanoTime();
                boolean company = oldest.expectsCompany() || waiting.size() > 1 || lastBatchSize > 1;
                if (wait > 0 && company && weightOf(oldest.key()) < maxWeight) {
                    arrived.awaitNanos(wait);
                    continue;
                }
                List<Pending<I, O>> batch = new ArrayList<>();
                busy++;
                int weight = 0;
                for (Iterator<Pending<I, O>> it = waiting.iterator(); it.hasNext(); ) {
                    Pending<I, O> p = it.next();
                    if (p.key().equals(oldest.key()) && (batch.isEmpty() || weight + p.weight() <= maxWeight)) {
                        batch.add(p);
                        weight += p.weight();
                        it.remove();
                    }
                }
                lastBatchSize = batch.size();
                return batch;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private int weightOf(Object key) {
        int weight = 0;
        for (Pending<I, O> p : waiting) {
            if (p.key().equals(key)) {
                weight += p.weight();
            }
        }
        return weight;
    }

    private void runBatch(List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        int totalWeight = batch.stream().mapToInt(Pending::weight).sum();
        for (Pending<I, O> p : batch) {
            observer.waited(start - p.enqueued());
        }
        try {
            BatchWork<O> done = work.apply(batch.stream().map(Pending::input).toList());
            long nanos = System.nanoTime() - start;
            observer.batch(batch.size(), totalWeight, nanos);
            for (int i = 0; i < batch.size(); i++) {
                Pending<I, O> p = batch.get(i);
                p.result().complete(new Result<>(done.outputs().get(i), batch.size(), start - p.enqueued(),
                        p.weight() / (double) totalWeight, done.stages()));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
            waiting.forEach(p -> p.result().completeExceptionally(RequestException.overCapacity(retryAfterSeconds)));
            waiting.clear();
        } finally {
            lock.unlock();
        }
        workers.forEach(Thread::interrupt);
    }
}
