package dev.thinkdiff.functions.score;

import dev.thinkdiff.engine.DjlRuntime;
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
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.world.WorldRenderer;
import java.util.Base64;
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
        return judge(served().judge(), inputs);
    }

    private RequestBatcher.BatchWork<JudgeAnswer> judge(Judge judge, List<ScoreInput> inputs) {
        StageTimings stages = new StageTimings(this::recordStage);
        List<JudgeAnswer> answers = stages.time("judge", () -> inputs.stream()
                .map(input -> judge.answer(input.image(), input.expected().theme())).toList());
        return new RequestBatcher.BatchWork<>(answers, stages);
    }

    @Override
    protected Served load(ModelCache cache) {
        DjlRuntime.prepareInferenceThread();
        LoadedModel model = cache.fetchLatest(serving().family(), Components.JUDGE);
        return new Served(Judge.load(model), model.ref().toString());
    }

    /** A rendered car, through PNG and base64 as a request's image comes, judged for its colour. */
    @Override
    protected void warmUp(Served served) {
        String png = Base64.getEncoder().encodeToString(ImageInput.png(new WorldRenderer().render(
                new Cell(Theme.COLOR, 4, 2), 1)));
        judge(served.judge(), List.of(new ScoreInput(Task.paperOrder().get(0), new Cell(Theme.COLOR, 4, 2),
                ImageInput.decode("image", png, serving().limits()))));
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
