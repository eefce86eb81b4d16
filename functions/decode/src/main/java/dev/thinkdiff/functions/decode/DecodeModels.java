package dev.thinkdiff.functions.decode;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.functions.core.FunctionModels;
import dev.thinkdiff.serving.ObjectStorage;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one diffusion decoder ({@code {family}/diffusion} LATEST with the autoencoder its manifest names) and
 * prompt encoder (for text input); also the object storage client for embedding references and image output.
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

    private final ObjectStorage objects;

    DecodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        super(DecodeHttp.FUNCTION, DIFFUSION, serving, store, metrics);
        this.objects = new ObjectStorage(store.s3());
    }

    void start(@Observes StartupEvent event) {
        startLoading();
    }

    void shutdown(@Observes ShutdownEvent event) throws Exception {
        stop();
        objects.close();
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

    ObjectStorage objects() {
        return objects;
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
