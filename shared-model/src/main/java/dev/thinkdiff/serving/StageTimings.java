package dev.thinkdiff.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Wall time of each stage of one request, in order, in milliseconds; an observer sees each stage as it ends. */
public final class StageTimings {

    private final Map<String, Double> millis = new LinkedHashMap<>();
    private final BiConsumer<String, Long> observer;
    private final long started = System.nanoTime();

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

    public Map<String, Double> millis() {
        return Collections.unmodifiableMap(millis);
    }

    /** Milliseconds since this request's timings began, rounded up: what the request is billed. */
    public long elapsedMillisCeil() {
        return (System.nanoTime() - started + 999_999) / 1_000_000;
    }
}
