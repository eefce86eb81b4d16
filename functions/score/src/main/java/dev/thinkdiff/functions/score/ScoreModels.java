package dev.thinkdiff.functions.score;

import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.serving.ModelSlot;
import dev.thinkdiff.serving.RequestGate;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.StoreConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one judge, fetched through the verified cache from the configured store and loaded in the background
 * at start; readiness is DOWN until it is loaded (and stays DOWN if a file failed verification). Also the request pool.
 */
@ApplicationScoped
public class ScoreModels {

    /** The judge with the store version it came from. */
    record Served(Judge judge, String version) implements AutoCloseable {
        @Override
        public void close() {
            judge.close();
        }
    }

    static final String JUDGE = "judge";

    private final ModelSlot<Served> judge = new ModelSlot<>(JUDGE);
    private final ServingConfig serving;
    private final StoreConfig store;
    private final MeterRegistry metrics;
    private final RequestGate gate;

    ScoreModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        this.serving = serving;
        this.store = store;
        this.metrics = metrics;
        this.gate = new RequestGate(serving.pool());
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure();
        Gauge.builder("thinkdiff.queue.depth", gate, RequestGate::queueDepth).tag("function", FunctionHttp.FUNCTION)
                .register(metrics);
        Gauge.builder("thinkdiff.model.load.seconds", judge, ModelSlot::loadSeconds).tag("component", JUDGE)
                .register(metrics);
        judge.loadInBackground(() -> {
            LoadedModel model = BlobStores.cache(store).fetchLatest(serving.family(), JUDGE);
            return new Served(Judge.load(model), model.ref().toString());
        });
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        judge.close();
    }

    Served judge() {
        return judge.get(serving.pool().retryAfterSeconds());
    }

    ModelSlot<Served> slot() {
        return judge;
    }

    RequestGate gate() {
        return gate;
    }

    ServingConfig serving() {
        return serving;
    }

    void recordStage(String stage, long nanos) {
        Timer.builder("thinkdiff.stage").tag("function", FunctionHttp.FUNCTION).tag("stage", stage).register(metrics)
                .record(Duration.ofNanos(nanos));
    }

    /** Readiness: DOWN while the judge loads and after a failed load, with the reason. */
    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {

        @Inject
        ScoreModels models;

        @Override
        public HealthCheckResponse call() {
            ModelSlot<Served> judge = models.slot();
            return HealthCheckResponse.named("models").status(judge.state() == ModelSlot.State.READY)
                    .withData(JUDGE, judge.status()).build();
        }
    }
}
