package dev.thinkdiff.functions.decode;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.serving.ModelSlot;
import dev.thinkdiff.serving.ObjectStorage;
import dev.thinkdiff.serving.RequestGate;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The process's one diffusion decoder (with the autoencoder its manifest names) and prompt encoder, fetched through
 * the verified cache from the configured store and loaded in the background at start; readiness is DOWN until they
 * are loaded (and stays DOWN if a file failed verification). Also the request pool and the object storage client.
 */
@ApplicationScoped
public class DecodeModels {

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

    private final ModelSlot<Served> models = new ModelSlot<>("decode models");
    private final ServingConfig serving;
    private final StoreConfig store;
    private final MeterRegistry metrics;
    private final RequestGate gate;
    private final ObjectStorage objects;

    DecodeModels(ServingConfig serving, StoreConfig store, MeterRegistry metrics) {
        this.serving = serving;
        this.store = store;
        this.metrics = metrics;
        this.gate = new RequestGate(serving.pool());
        this.objects = new ObjectStorage(store.s3());
    }

    void start(@Observes StartupEvent event) {
        DjlRuntime.configure();
        Gauge.builder("thinkdiff.queue.depth", gate, RequestGate::queueDepth).tag("function", FunctionHttp.FUNCTION)
                .register(metrics);
        Gauge.builder("thinkdiff.model.load.seconds", models, ModelSlot::loadSeconds).tag("component", DIFFUSION)
                .register(metrics);
        models.loadInBackground(this::load);
    }

    private Served load() {
        DjlRuntime.prepareInferenceThread();
        LoadedModel diffusion = BlobStores.cache(store).fetchLatest(serving.family(), DIFFUSION);
        MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
        try {
            DiffusionPipeline pipeline = DiffusionPipeline.load(diffusion, BlobStores.cache(store), encoder);
            return new Served(pipeline, encoder, Map.of(
                    DIFFUSION, diffusion.ref().toString(),
                    DiffusionPipeline.AUTOENCODER_INPUT, serving.family() + "/" + DiffusionPipeline.AUTOENCODER_INPUT
                            + "/" + pipeline.autoencoderVersion(),
                    "prompt-encoder", encoder.artifact()));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        models.close();
        objects.close();
    }

    Served served() {
        return models.get(serving.pool().retryAfterSeconds());
    }

    RequestGate gate() {
        return gate;
    }

    ServingConfig serving() {
        return serving;
    }

    ObjectStorage objects() {
        return objects;
    }

    ModelSlot<Served> slot() {
        return models;
    }

    void recordStage(String stage, long nanos) {
        Timer.builder("thinkdiff.stage").tag("function", FunctionHttp.FUNCTION).tag("stage", stage).register(metrics)
                .record(Duration.ofNanos(nanos));
    }

    /** Readiness: DOWN while the models load and after a failed load, with the reason. */
    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {

        @Inject
        DecodeModels models;

        @Override
        public HealthCheckResponse call() {
            ModelSlot<Served> slot = models.slot();
            return HealthCheckResponse.named("models").status(slot.state() == ModelSlot.State.READY)
                    .withData(DIFFUSION, slot.status()).build();
        }
    }
}
