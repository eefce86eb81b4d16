package dev.thinkdiff.functions.score;

import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.serving.RequestBatcher;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one judge: {@code {family}/judge} LATEST, behind the pool; the judge takes milliseconds per image,
 * so each request runs alone (no batching delay).
 */
@Singleton
public class ScoreModels extends FunctionModels<ScoreModels.Served> {

    /** The judge with the store version it came from. */
    record Served(Judge judge, String version) implements AutoCloseable {
        @Override
        public void close() {
            judge.close();
        }
    }

    private static final ServingConfig.Batch ALONE = new ServingConfig.Batch() {
        @Override
        public int maxSize() {
            return 1;
        }

        @Override
        public long maxDelayMillis() {
            return 0;
        }
    };

    private final RequestBatcher<ScoreInput, JudgeAnswer> batcher;

    ScoreModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(ScoreHttp.FUNCTION, Components.JUDGE, serving, store, metrics);
        this.batcher = batcher(ALONE, this::judge);
    }

    /** The judge's answers about the request's image. */
    RequestBatcher.Result<JudgeAnswer> answer(ScoreInput input) {
        return batcher.run(Components.JUDGE, input, 1);
    }

    private RequestBatcher.BatchWork<JudgeAnswer> judge(List<ScoreInput> inputs) {
        Judge judge = served().judge();
        StageTimings stages = new StageTimings(this::recordStage);
        List<JudgeAnswer> answers = stages.time("judge", () -> inputs.stream()
                .map(input -> judge.answer(input.image(), input.expected().theme())).toList());
        return new RequestBatcher.BatchWork<>(answers, stages);
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
