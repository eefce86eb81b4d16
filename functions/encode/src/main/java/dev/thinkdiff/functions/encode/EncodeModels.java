package dev.thinkdiff.functions.encode;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.StoreConfig;
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
 * against (not the VLM's LATEST: an aligner reads one VLM's features).
 */
@Singleton
public class EncodeModels extends FunctionModels<EncodeModels.Served> {

    static final String ALIGNER = "aligner";
    static final String VLM = "vlm";

    /** The loaded encoder and the versions that name its models. */
    record Served(ThinkDiffEncoder encoder, Map<String, String> versions) implements AutoCloseable {
        @Override
        public void close() {
            encoder.aligner().close();
            encoder.vlm().close();
        }
    }

    EncodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(EncodeHttp.FUNCTION, ALIGNER, serving, store, metrics);
    }

    @Override
    protected Served load(ModelCache cache) {
        LoadedModel alignerModel = cache.fetchLatest(serving().family(), ALIGNER);
        String vlmVersion = alignerModel.manifest().inputs().get(VLM);
        if (vlmVersion == null) {
            throw new IllegalStateException(alignerModel.ref() + " does not name the VLM it was trained against");
        }
        LoadedModel vlmModel = cache.fetch(new ModelRef(serving().family(), VLM, vlmVersion));
        Aligner aligner = Aligner.load(alignerModel);
        Vlm vlm = null;
        try {
            vlm = Vlm.load(vlmModel);
            return new Served(new ThinkDiffEncoder(vlm, aligner), Map.of(ALIGNER, alignerModel.ref().toString(),
                    VLM, vlmModel.ref().toString()));
        } catch (RuntimeException e) {
            aligner.close();
            if (vlm != null) {
                vlm.close();
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
