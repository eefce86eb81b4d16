package dev.thinkdiff.functions.encode;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.ClipAligner;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.pipeline.ClipEncoder;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.serving.ModelSlot;
import dev.thinkdiff.serving.ParallelLoad;
import dev.thinkdiff.serving.RequestBatcher;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.serving.TaskName;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelNotFoundException;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
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
 * The process's ThinkDiff-LVLM encoder: {@code {family}/aligner} LATEST and the VLM version its manifest was trained
 * against (not the VLM's LATEST: an aligner reads one VLM's features); and, when the store publishes one, the
 * ThinkDiff-CLIP encoder: {@code {family}/aligner-clip} LATEST, the clip-vision version it was trained against and
 * the prompt encoder, loaded after readiness (the function's first answer is an LVLM one; the prompt encoder's ONNX
 * session is the longest part of a start). Concurrent requests with the same sampling settings are encoded in one
 * batch.
 */
@Singleton
public class EncodeModels extends FunctionModels<EncodeModels.Served> {

    /** The loaded LVLM encoder and the versions that name its models. */
    record Served(ThinkDiffEncoder encoder, Map<String, String> versions) implements AutoCloseable {
        @Override
        public void close() {
            encoder.aligner().close();
            encoder.vlm().close();
        }
    }

    /**
     * The CLIP encoder and the versions that name its models, or, when the store publishes none, why not.
     *
     * @param encoder null when not served
     */
    record Clip(ClipEncoder encoder, PromptEncoder promptEncoder, Map<String, String> versions, String unavailable)
            implements AutoCloseable {
        @Override
        public void close() {
            if (encoder != null) {
                encoder.aligner().close();
                encoder.vision().close();
                promptEncoder.close();
            }
        }
    }

    /**
     * One request's encoding.
     *
     * @param text the VLM's answer (CLIP: the text items joined)
     * @param tokens the answer's tokens (CLIP: the embedding's vectors)
     */
    record Encoding(String text, int tokens, boolean finished, PromptEmbedding embedding) {
    }

    private final RequestBatcher<EncodeInput, Encoding> batcher;
    private final ModelSlot<Clip> clip;

    EncodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(EncodeHttp.FUNCTION, Components.ALIGNER, serving, store, metrics);
        this.batcher = batcher(serving.batch(), this::encodeBatch);
        this.clip = loadAfterReady(Components.CLIP_ALIGNER, this::loadClip);
    }

    /** The CLIP variant (or why it is not served), waiting for it while it loads after readiness. */
    Clip clip() {
        return awaitAfterReady(clip);
    }

    /** The request's encoding, made in a batch of requests with the same variant and sampling settings. */
    RequestBatcher.Result<Encoding> encode(EncodeInput input) {
        return batcher.run(input.batchKey(), input, 1);
    }

    /**
     * One batch: LVLM prompts reason together (prompt i sampling from its own seed's stream, so its answer does not
     * depend on its company) and are aligned; CLIP prompts are embedded one by one.
     */
    private RequestBatcher.BatchWork<Encoding> encodeBatch(List<EncodeInput> inputs) {
        return encodeBatch(served(), inputs);
    }

    private RequestBatcher.BatchWork<Encoding> encodeBatch(Served served, List<EncodeInput> inputs) {
        StageTimings stages = new StageTimings(this::recordStage);
        List<Encoding> outputs = new ArrayList<>(inputs.size());
        if (inputs.get(0) instanceof EncodeInput.Lvlm first) {
            ThinkDiffEncoder encoder = served.encoder();
            List<List<VlmItem>> prompts = inputs.stream().map(EncodeInput::prompt).toList();
            long[] seeds = inputs.stream().mapToLong(input -> ((EncodeInput.Lvlm) input).sampling().seed()).toArray();
            List<Generation> generations = stages.time("reason", () -> encoder.reason(prompts, first.sampling(),
                    seeds, first.maxTokens()));
            List<ThinkDiffEncoder.Encoded> encoded = stages.time("align", () -> encoder.align(generations));
            for (ThinkDiffEncoder.Encoded e : encoded) {
                outputs.add(new Encoding(e.generation().text(), e.generation().tokens().length,
                        e.generation().finished(), encoder.embedding(List.of(e))));
            }
        } else {
            ClipEncoder encoder = clip().encoder();
            for (EncodeInput input : inputs) {
                PromptEmbedding embedding = stages.time("align", () -> encoder.embedding(input.prompt()));
                outputs.add(new Encoding(ClipEncoder.text(input.prompt()), embedding.length(), true, embedding));
            }
        }
        return new RequestBatcher.BatchWork<>(outputs, stages);
    }

    /**
     * The LVLM encoder's models side by side (one thread each): the aligner and the VLM. The store's files are fetched
     * and verified first, on this thread; either part failing fails the load, the other closed.
     */
    @Override
    protected Served load(ModelCache cache) {
        LoadedModel alignerModel = cache.fetchLatest(serving().family(), Components.ALIGNER);
        LoadedModel vlmModel = ModelInputs.pinned(cache, alignerModel).fetch(Components.VLM);
        try (ParallelLoad parts = new ParallelLoad(EncodeHttp.FUNCTION)) {
            CompletableFuture<Aligner> aligner = parts.pytorch("aligner", () -> Aligner.load(alignerModel));
            CompletableFuture<Vlm> vlm = parts.pytorch("vlm", () -> Vlm.load(vlmModel));
            Served served = new Served(new ThinkDiffEncoder(ParallelLoad.join(vlm), ParallelLoad.join(aligner)),
                    Map.of(Components.ALIGNER, alignerModel.ref().toString(), Components.VLM,
                            vlmModel.ref().toString()));
            parts.succeeded();
            return served;
        }
    }

    /**
     * The CLIP encoder's parts side by side, after readiness: the prompt encoder (no PyTorch), CLIP's aligner and
     * vision tower; a store that publishes no aligner-clip serves none, with the reason.
     */
    private Clip loadClip(ModelCache cache) {
        LoadedModel clipAligner;
        try {
            clipAligner = cache.fetchLatest(serving().family(), Components.CLIP_ALIGNER);
        } catch (ModelNotFoundException e) {
            return new Clip(null, null, Map.of(), e.getMessage());
        }
        LoadedModel visionModel = ModelInputs.pinned(cache, clipAligner).fetch(Components.CLIP_VISION);
        try (ParallelLoad parts = new ParallelLoad(EncodeHttp.FUNCTION)) {
            CompletableFuture<MiniLmPromptEncoder> promptEncoder = parts.start("prompt-encoder",
                    MiniLmPromptEncoder::load);
            CompletableFuture<ClipAligner> aligner = parts.pytorch("clip-aligner", () -> ClipAligner.load(clipAligner));
            CompletableFuture<ClipVision> vision = parts.pytorch("clip-vision", () -> ClipVision.load(visionModel));
            PromptEncoder encoder = ParallelLoad.join(promptEncoder);
            Clip loaded = new Clip(new ClipEncoder(ParallelLoad.join(vision), ParallelLoad.join(aligner), encoder),
                    encoder, Map.of(Components.CLIP_ALIGNER, clipAligner.ref().toString(), Components.CLIP_VISION,
                            visionModel.ref().toString(), Components.PROMPT_ENCODER, encoder.artifact()), null);
            parts.succeeded();
            return loaded;
        }
    }

    /** A benchmark prompt with two demos (images and text) at the default sampling, as the benchmark asks. */
    @Override
    protected void warmUp(Served served) {
        encodeBatch(served, List.of(EncodeInput.bind(new EncodeRequest(null, new EncodeRequest.BenchmarkPrompt(
                new TaskName("C-I"), 0, 2, null), null, 0L, null, null, null, null, null), serving().limits(), served,
                this::clip)));
    }

    /** Readiness: DOWN while the models load and after a failed load, with the reason. */
    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {

        @Inject
        EncodeModels models;

        @Override
        public HealthCheckResponse call() {
            return models.readiness();
        }
    }
}
