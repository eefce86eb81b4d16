package dev.thinkdiff.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Wall time of each stage of one request (or of one batch of requests), in order, in milliseconds; an observer sees
 * each stage as it ends. A request run in a batch is shown and billed its share of the batch's stages, and its wait
 * in the queue is shown but not billed.
 */
public final class StageTimings {

    public static final String QUEUE = "queue";

    private final Map<String, Double> millis = new LinkedHashMap<>();
    private final BiConsumer<String, Long> observer;
    private final long started = System.nanoTime();
    private long unbilledNanos;

    /** @param observer receives (stage, nanoseconds) when a stage ends, e.g. to record a metric */
    public StageTimings(BiConsumer<String, Long> observer) {
        this.observer = observer;
    }

    public <T> T time(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            long nanos = System.nanoTime() - start;
            millis.merge(stage, nanos / 1e6, Double::sum);
            observer.accept(stage, nanos);
        }
    }

    /** A stage of this request's that is shown but not billed: a wait that is the service's, not the request's. */
    public <T> T unbilled(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return time(stage, work);
        } finally {
            unbilledNanos += System.nanoTime() - start;
        }
    }

    /**
     * Runs this request in a batch: the queue wait is shown, each of the batch's stages is shown and billed at this
     * request's share, and the rest of the time spent in {@code run} (others' shares, the wait) is not billed.
     */
    public <O> O batched(Supplier<RequestBatcher.Result<O>> run) {
        long start = System.nanoTime();
        RequestBatcher.Result<O> result = run.get();
        long inside = System.nanoTime() - start;
        millis.merge(QUEUE, result.queueNanos() / 1e6, Double::sum);
        double billed = 0;
        for (Map.Entry<String, Double> stage : result.stages().millis().entrySet()) {
            double share = stage.getValue() * result.share();
            millis.merge(stage.getKey(), share, Double::sum);
            billed += share;
        }
        unbilledNanos += Math.max(0, inside - (long) (billed * 1e6));
        return result.value();
    }

    public Map<String, Double> millis() {
        return Collections.unmodifiableMap(millis);
    }

    /**
     * What the request is billed, in milliseconds rounded up: its wall time since these timings began, less its
     * queue wait and the other requests' shares of its batch.
     */
    public long billedMillisCeil() {
        return (System.nanoTime() - started - unbilledNanos + 999_999) / 1_000_000;
    }
}
