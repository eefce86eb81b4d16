package dev.thinkdiff.functions.score;

import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The process's one judge: {@code {family}/judge} LATEST. */
@Singleton
public class ScoreModels extends FunctionModels<ScoreModels.Served> {

    /** The judge with the store version it came from. */
    record Served(Judge judge, String version) implements AutoCloseable {
        @Override
        public void close() {
            judge.close();
        }
    }

    ScoreModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(ScoreHttp.FUNCTION, Components.JUDGE, serving, store, metrics);
    }

    @Override
    protected Served load(ModelCache cache) {
        LoadedModel model = cache.fetchLatest(serving().family(), Components.JUDGE);
        return new Served(Judge.load(model), model.ref().toString());
    }

    /** Readiness: DOWN while the judge loads and after a failed load, with the reason. */
    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {

        @Inject
        ScoreModels models;

        @Override
        public HealthCheckResponse call() {
            return models.readiness();
        }
    }
}
