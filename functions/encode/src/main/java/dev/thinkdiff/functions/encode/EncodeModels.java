package dev.thinkdiff.functions.encode;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.ClipAligner;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.pipeline.ClipEncoder;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelNotFoundException;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.vlm.Vlm;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's ThinkDiff-LVLM encoder: {@code {family}/aligner} LATEST and the VLM version its manifest was trained
 * against (not the VLM's LATEST: an aligner reads one VLM's features); and, when the store publishes one, the
 * ThinkDiff-CLIP encoder: {@code {family}/aligner-clip} LATEST, the clip-vision version it was trained against and
 * the prompt encoder.
 */
@Singleton
public class EncodeModels extends FunctionModels<EncodeModels.Served> {

    /** The loaded LVLM encoder and the versions that name its models. */
    record Served(ThinkDiffEncoder encoder, Map<String, String> versions, Clip clip) implements AutoCloseable {
        @Override
        public void close() {
            encoder.aligner().close();
            encoder.vlm().close();
            clip.close();
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

    EncodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(EncodeHttp.FUNCTION, Components.ALIGNER, serving, store, metrics);
    }

    @Override
    protected Served load(ModelCache cache) {
        LoadedModel alignerModel = cache.fetchLatest(serving().family(), Components.ALIGNER);
        LoadedModel vlmModel = ModelInputs.pinned(cache, alignerModel).fetch(Components.VLM);
        Aligner aligner = Aligner.load(alignerModel);
        Vlm vlm = null;
        try {
            vlm = Vlm.load(vlmModel);
            return new Served(new ThinkDiffEncoder(vlm, aligner), Map.of(Components.ALIGNER,
                    alignerModel.ref().toString(), Components.VLM, vlmModel.ref().toString()), loadClip(cache));
        } catch (RuntimeException e) {
            aligner.close();
            if (vlm != null) {
                vlm.close();
            }
            throw e;
        }
    }

    private Clip loadClip(ModelCache cache) {
        LoadedModel alignerModel;
        try {
            alignerModel = cache.fetchLatest(serving().family(), Components.CLIP_ALIGNER);
        } catch (ModelNotFoundException e) {
            return new Clip(null, null, Map.of(), e.getMessage());
        }
        LoadedModel visionModel = ModelInputs.pinned(cache, alignerModel).fetch(Components.CLIP_VISION);
        ClipAligner aligner = ClipAligner.load(alignerModel);
        ClipVision vision = null;
        try {
            vision = ClipVision.load(visionModel);
            PromptEncoder promptEncoder = MiniLmPromptEncoder.load();
            return new Clip(new ClipEncoder(vision, aligner, promptEncoder), promptEncoder,
                    Map.of(Components.CLIP_ALIGNER, alignerModel.ref().toString(), Components.CLIP_VISION,
                            visionModel.ref().toString(), Components.PROMPT_ENCODER, promptEncoder.artifact()), null);
        } catch (RuntimeException e) {
            aligner.close();
            if (vision != null) {
                vision.close();
            }
            throw e;
        }
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
