package dev.thinkdiff.functions.decode;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.Components;
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
        super(DecodeHttp.FUNCTION, Components.DIFFUSION, serving, store, metrics);
    }

    @Override
    protected Served load(ModelCache cache) {
        LoadedModel diffusion = cache.fetchLatest(serving().family(), Components.DIFFUSION);
        MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
        try {
            DiffusionPipeline pipeline = DiffusionPipeline.load(diffusion, cache, encoder);
            return new Served(pipeline, encoder, Map.of(
                    Components.DIFFUSION, diffusion.ref().toString(),
                    Components.AUTOENCODER, serving().family() + "/"
                            + Components.AUTOENCODER + "/" + pipeline.autoencoderVersion(),
                    Components.PROMPT_ENCODER, encoder.artifact()));
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
