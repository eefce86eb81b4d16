package dev.thinkdiff.functions.decode;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one diffusion decoder ({@code {family}/diffusion} LATEST with the autoencoder its manifest names) and
 * prompt encoder (for text input).
 */
@Singleton
public class DecodeModels extends FunctionModels<DecodeModels.Served> {

    static final String DIFFUSION = "diffusion";

    /** The loaded models and the versions that name them. */
    record Served(DiffusionPipeline pipeline, MiniLmPromptEncoder encoder, Map<String, String> versions)
            implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
            encoder.close();
        }
    }

    DecodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(DecodeHttp.FUNCTION, DIFFUSION, serving, store, metrics);
    }

    @Override
    protected Served load(ModelCache cache) {
        LoadedModel diffusion = cache.fetchLatest(serving().family(), DIFFUSION);
        MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
        try {
            DiffusionPipeline pipeline = DiffusionPipeline.load(diffusion, cache, encoder);
            return new Served(pipeline, encoder, Map.of(
                    DIFFUSION, diffusion.ref().toString(),
                    DiffusionPipeline.AUTOENCODER_INPUT, serving().family() + "/"
                            + DiffusionPipeline.AUTOENCODER_INPUT + "/" + pipeline.autoencoderVersion(),
                    "prompt-encoder", encoder.artifact()));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
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
