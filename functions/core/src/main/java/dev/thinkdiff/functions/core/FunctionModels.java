package dev.thinkdiff.functions.core;

import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.serving.ModelSlot;
import dev.thinkdiff.serving.ObjectStorage;
import dev.thinkdiff.serving.RequestBatcher;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * A function's models: one instance per process, fetched through the verified cache from the configured store and
 * loaded in the background at start, so that readiness is DOWN until they are loaded (and stays DOWN, with the
 * reason, if a file failed verification). Also the function's request batchers (pool, bounded queue, dynamic
 * batching), its metrics and the client of {@code s3://} request objects (embedding references, outputs; buckets are
 * opened on first use).
 * A function's subclass ({@code @Singleton}: no client proxy, so the constructor may take the configuration) says in
 * {@link #load} what it serves; loading starts with the application and everything is closed at shutdown.
 *
 * @param <T> what the function serves (closed on shutdown)
 */
public abstract class FunctionModels<T extends AutoCloseable> {

    private static final Logger LOG = Logger.getLogger(FunctionModels.class);

    private final String function;
    private final String component;
    private final ModelSlot<T> slot;
    private final ServingConfig serving;
    private final StoreConfig store;
    private final MeterRegistry metrics;
    private final List<RequestBatcher<?, ?>> batchers = new ArrayList<>();
    private final List<AfterReady<?>> afterReady = new ArrayList<>();
    private final ObjectStorage objects;
    private final CountDownLatch loadsEnded = new CountDownLatch(1);
    /** Set by the SIGTERM handler: the end of the stop's grace, which the slots' closing waits share. */
    private volatile Instant stopDeadline;

    /** A part loaded once the function is ready, from the same verified cache. */
    private record AfterReady<L extends AutoCloseable>(String part, ModelSlot<L> slot, Function<ModelCache, L> loader) {
        void load(ModelCache cache) {
            slot.load(() -> loader.apply(cache));
        }
    }

    /**
     * @param function the function's name (metrics tag, path)
     * @param component the component the readiness check and load-time gauge name
     */
    protected FunctionModels(String function, String component, ServingConfig serving, StoreConfig store,
            MeterRegistry metrics) {
        this.function = function;
        this.component = component;
        this.slot = new ModelSlot<>(function + " models");
        this.serving = serving;
        this.store = store;
        this.metrics = metrics;
        this.objects = new ObjectStorage(store.s3());
    }

    /**
     * Loads what the function serves from the verified cache; runs once, on a background thread that has not loaded
     * the PyTorch engine yet ({@link DjlRuntime#prepareInferenceThread} on every thread that builds PyTorch models),
     * so a part that needs no PyTorch can load while the engine does.
     */
    protected abstract T load(ModelCache cache);

    /**
     * A part that only some requests need (encode's CLIP variant), loaded on the loading thread once the function is
     * ready, so that it does not delay the first answer of the others. A request that needs it waits for it
     * ({@link #awaitAfterReady}); its failed load makes the function not ready, as any failed load. Call from the
     * subclass's constructor.
     */
    protected <L extends AutoCloseable> ModelSlot<L> loadAfterReady(String part, Function<ModelCache, L> loader) {
        ModelSlot<L> partSlot = new ModelSlot<>(function + " " + part);
        afterReady.add(new AfterReady<>(part, partSlot, loader));
        return partSlot;
    }

    /**
     * The part, waiting up to {@code thinkdiff.serving.timeouts.after-ready-millis} while it loads; a 503 not ready
     * after that or if it failed.
     */
    protected <L extends AutoCloseable> L awaitAfterReady(ModelSlot<L> part) {
        return part.await(Duration.ofMillis(serving.timeouts().afterReadyMillis()), serving.pool().retryAfterSeconds());
    }

    /** Starts loading when the application starts (observers are inherited by the function's bean). */
    protected void startLoading(@Observes StartupEvent event) {
        DjlRuntime.configure();
        Gauge.builder("thinkdiff.model.load.seconds", slot, ModelSlot::loadSeconds).tag("component", component)
                .register(metrics);
        // opened on the loading thread: a store that cannot be opened fails the load, with its reason
        AtomicReference<ModelCache> cache = new AtomicReference<>();
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            stopAfterTheLoadsOnSigterm();
        }
        slot.loadInBackground(() -> {
            cache.set(BlobStores.cache(store));
            return warmedUp(load(cache.get()));
        }, () -> {
            try {
                if (slot.state() == ModelSlot.State.READY) {
                    afterReady.forEach(part -> part.load(cache.get()));
                }
            } finally {
                loadsEnded.countDown();
            }
            if (serving.exitWhenReady()) {
                // the class-data start exits after the after-ready parts too, so the archive holds their classes
                Quarkus.asyncExit(ready() ? 0 : 1);
            }
        });
    }

    /**
     * A SIGTERM first waits up to {@link ModelSlot#CLOSE_WAIT} for the loads in progress, then exits as the JVM's own
     * handler does (status 143). ONNX Runtime's environment closes itself in its own shutdown hook, and the JVM runs
     * all shutdown hooks at once: released while a loading thread makes a session (encode's CLIP variant, just after
     * readiness), it crashed the JVM (SIGSEGV, status 134) instead of stopping it. Only a wait before the hooks start
     * orders the two. Not in tests or dev mode, whose JVM is not the function's.
     */
    private void stopAfterTheLoadsOnSigterm() {
        Signal.handle(new Signal("TERM"), signal -> {
            stopDeadline = Instant.now().plus(ModelSlot.CLOSE_WAIT);
            try {
                if (!loadsEnded.await(Duration.between(Instant.now(), stopDeadline).toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%s still loading %d s after SIGTERM; stopping anyway", function,
                            ModelSlot.CLOSE_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(128 + signal.getNumber());
        });
    }

    /** Loaded, and no after-ready part failed (one still loading is waited for by the requests that need it). */
    private boolean ready() {
        return slot.state() == ModelSlot.State.READY
                && afterReady.stream().noneMatch(part -> part.slot().state() == ModelSlot.State.FAILED);
    }

    /**
     * Answers one canned request with the just-loaded models, on the loading thread, before the function is ready
     * ({@code thinkdiff.serving.warm-up}, and always in the class-data start: {@code exit-when-ready}); the default
     * does nothing.
     */
    protected void warmUp(T served) {
    }

    private T warmedUp(T served) {
        if (!serving.warmUp() && !serving.exitWhenReady()) {
            return served;
        }
        long start = System.nanoTime();
        try {
            warmUp(served);
        } catch (RuntimeException | Error e) {
            try {
                served.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        LOG.infof("%s warmed up in %.2f s", function, (System.nanoTime() - start) / 1e9);
        return served;
    }

    /**
     * Closes the models, each slot waiting for a load in progress until one shared deadline: the SIGTERM's grace when
     * the handler above has waited already, else {@link ModelSlot#CLOSE_WAIT} from now.
     */
    protected void stop(@Observes ShutdownEvent event) throws Exception {
        Instant deadline = stopDeadline != null ? stopDeadline : Instant.now().plus(ModelSlot.CLOSE_WAIT);
        batchers.forEach(RequestBatcher::close);
        for (AfterReady<?> part : afterReady) {
            part.slot().close(deadline);
        }
        slot.close(deadline);
        objects.close();
    }

    /** The loaded models, or a 503 {@code not_ready} while they load or after a failed load. */
    public T served() {
        return slot.get(serving.pool().retryAfterSeconds());
    }

    /**
     * A batcher of this function's requests on the configured pool, recording {@code thinkdiff_batch_size},
     * {@code thinkdiff_queue_wait_seconds} and {@code thinkdiff_queue_depth}.
     *
     * @param batch the batching settings ({@code serving().batch()}, or max-size 1 for a function that runs each
     *              request alone)
     */
    protected <I, O> RequestBatcher<I, O> batcher(ServingConfig.Batch batch,
            Function<List<I>, RequestBatcher.BatchWork<O>> work) {
        DistributionSummary sizes = DistributionSummary.builder("thinkdiff.batch.size").tag("function", function)
                .description("requests per batch").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(metrics);
        Timer waits = Timer.builder("thinkdiff.queue.wait").tag("function", function)
                .description("from arrival to the start of its batch").publishPercentileHistogram()
                .register(metrics);
        RequestBatcher<I, O> batcher = new RequestBatcher<>(function, serving.pool(), batch, work,
                new RequestBatcher.Observer() {
                    @Override
                    public void batch(int size, int weight, long runNanos) {
                        sizes.record(size);
                    }

                    @Override
                    public void waited(long queueNanos) {
                        waits.record(Duration.ofNanos(queueNanos));
                    }
                });
        Gauge.builder("thinkdiff.queue.depth", batcher, RequestBatcher::queueDepth).tag("function", function)
                .register(metrics);
        batchers.add(batcher);
        return batcher;
    }

    /** Counts a request's billed milliseconds against the model version that served it. */
    public void recordBilled(String modelVersion, long millis) {
        Counter.builder("thinkdiff.billed.milliseconds").tag("function", function).tag("model", modelVersion)
                .description("billed compute milliseconds").register(metrics).increment(millis);
    }

    public ServingConfig serving() {
        return serving;
    }

    public ObjectStorage objects() {
        return objects;
    }

    public void recordStage(String stage, long nanos) {
        Timer.builder("thinkdiff.stage").tag("function", function).tag("stage", stage).register(metrics)
                .record(Duration.ofNanos(nanos));
    }

    /** The readiness answer: UP once loaded while no after-ready part failed, with each slot's status text. */
    public HealthCheckResponse readiness() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models").status(ready())
                .withData(component, slot.status());
        afterReady.forEach(part -> response.withData(part.part(), part.slot().status()));
        return response.build();
    }
}
