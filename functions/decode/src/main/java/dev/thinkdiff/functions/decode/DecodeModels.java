package dev.thinkdiff.functions.decode;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.serving.ParallelLoad;
import dev.thinkdiff.serving.RequestBatcher;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one diffusion decoder ({@code {family}/diffusion} LATEST with the autoencoder its manifest names) and
 * prompt encoder (for text input), and the batcher that draws concurrent requests with equal sampler settings as one
 * sampler batch (weighed by their image count).
 */
@Singleton
public class DecodeModels extends FunctionModels<DecodeModels.Served> {

    /** The loaded models and the versions that name them. */
    record Served(DiffusionPipeline pipeline, MiniLmPromptEncoder encoder, Map<String, String> versions)
            implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
            encoder.close();
        }
    }

    private final RequestBatcher<DecodeInput, List<byte[]>> batcher;

    DecodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(DecodeHttp.FUNCTION, Components.DIFFUSION, serving, store, metrics);
        this.batcher = batcher(serving.batch(), this::drawBatch);
    }

    /** The request's PNGs, one per seed, drawn in a batch of requests with the same steps and guidance. */
    RequestBatcher.Result<List<byte[]>> draw(DecodeInput input) {
        return batcher.run(input.settings(), input, input.seeds().length);
    }

    /**
     * One sampler batch: every request's embedding (its text encoded alone, as it would be without company)
     * repeated once per seed and padded to the longest, then sampled, decoded and written as PNGs.
     */
    private RequestBatcher.BatchWork<List<byte[]>> drawBatch(List<DecodeInput> inputs) {
        return drawBatch(served(), inputs);
    }

    private RequestBatcher.BatchWork<List<byte[]>> drawBatch(Served served, List<DecodeInput> inputs) {
        StageTimings stages = new StageTimings(this::recordStage);
        List<PromptEmbedding> prompts = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        for (DecodeInput input : inputs) {
            PromptEmbedding prompt = input.embedding() != null ? input.embedding() : stages.time("encode-text",
                    () -> PromptEmbedding.of(served.encoder().encode(List.of(input.text()))));
            for (long seed : input.seeds()) {
                prompts.add(prompt);
                seeds.add(seed);
            }
        }
        PromptEmbedding batch = PromptEmbedding.batch(prompts);
        float[] latents = stages.time("sample", () -> served.pipeline().sample(batch,
                seeds.stream().mapToLong(Long::longValue).toArray(), inputs.get(0).settings()));
        List<int[]> pixels = stages.time("decode-latents", () -> served.pipeline().decode(latents, seeds.size()));
        List<byte[]> pngs = stages.time("png", () -> pixels.stream()
                .map(image -> ImageInput.png(DiffusionPipeline.toImage(image))).toList());
        List<List<byte[]>> outputs = new ArrayList<>(inputs.size());
        int from = 0;
        for (DecodeInput input : inputs) {
            outputs.add(pngs.subList(from, from + input.seeds().length));
            from += input.seeds().length;
        }
        return new RequestBatcher.BatchWork<>(outputs, stages);
    }

    /**
     * The models side by side: the prompt encoder (the longest, and no PyTorch, so it loads while the engine does)
     * on one thread, the autoencoder and the diffusion decoder on another; either failing fails the load, the other
     * closed. The decode path encodes text with the prompt encoder itself, so the pipeline holds none.
     */
    @Override
    protected Served load(ModelCache cache) {
        LoadedModel diffusion = cache.fetchLatest(serving().family(), Components.DIFFUSION);
        try (ParallelLoad parts = new ParallelLoad(DecodeHttp.FUNCTION)) {
            CompletableFuture<MiniLmPromptEncoder> encoder = parts.start("prompt-encoder", MiniLmPromptEncoder::load);
            CompletableFuture<DiffusionPipeline> pipeline = parts.pytorch("diffusion",
                    () -> DiffusionPipeline.load(diffusion, cache, null));
            DiffusionPipeline loaded = ParallelLoad.join(pipeline);
            MiniLmPromptEncoder promptEncoder = ParallelLoad.join(encoder);
            Served served = new Served(loaded, promptEncoder, Map.of(
                    Components.DIFFUSION, diffusion.ref().toString(),
                    Components.AUTOENCODER, serving().family() + "/"
                            + Components.AUTOENCODER + "/" + loaded.autoencoderVersion(),
                    Components.PROMPT_ENCODER, promptEncoder.artifact()));
            parts.succeeded();
            return served;
        }
    }

    /** A text request at the default settings, as the benchmark's first answer asks. */
    @Override
    protected void warmUp(Served served) {
        drawBatch(served, List.of(DecodeInput.bind(new DecodeRequest("create an image of a red car", null, null, 0L,
                null, null, null, null), serving().limits(), served.pipeline(), objects())));
    }

    /** Readiness: DOWN while the models load and after a failed load, with the reason. */
    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {

        @Inject
        DecodeModels models;

        @Override
        public HealthCheckResponse call() {
            return models.readiness();
        }
    }
}
