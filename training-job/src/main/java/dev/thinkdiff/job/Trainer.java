package dev.thinkdiff.job;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.store.RunArchive;
import dev.thinkdiff.train.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Trains one component and publishes it, object-storage native: every checkpoint is copied to the model store as it
 * is written ({@code {family}/{component}/runs/{runId}/}, see {@link RunArchive}), so a run whose machine is lost
 * resumes anywhere with {@code --resume} at the cost of at most one checkpoint interval; when training ends the run's
 * metrics, loss curve, draft manifest and summary follow, and the published version comes last of all.
 */
@ApplicationScoped
public class Trainer {

    private static final Logger LOG = Logger.getLogger(Trainer.class);

    static final String SUMMARY_FILE = "summary.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Inject
    Config config;

    @Inject
    TrainingEngine engine;

    @Inject
    ModelStore store;

    @Inject
    ModelCache cache;

    /**
     * One training.
     *
     * @param published the component name it is published under (an aligner variant's differs from the trainable's)
     * @param dir the local working copy of the run
     * @param id the run's name in the store; the same id resumes the same run on any machine
     */
    record Run(TrainableComponent trainable, String published, Map<String, Object> settings, Path dir, String id,
               boolean resume) {
    }

    /** A finished run: its manifest and the wall time of this session. */
    record Outcome(Manifest manifest, double wallSeconds) {
    }

    /** A component's settings: {@code defaults}, then configuration keys, then {@code --set} overrides. */
    Map<String, Object> settings(String component, TrainableComponent trainable, Map<String, Object> defaults,
            List<String> overrides) {
        return TrainingSettings.resolve(component, trainable.codec(), defaults, config, overrides);
    }

    /**
     * Trains (or resumes) the run and, if {@code publish}, publishes it.
     *
     * @return empty if the run stopped before its last step (the JVM is shutting down; its checkpoint is stored)
     */
    Optional<Outcome> train(Run run, boolean publish) throws IOException {
        Device device = engine.prepareTraining();
        RunArchive archive = store.run(Components.FAMILY, run.published(), run.id());
        LOG.infof("training %s on %s (PyTorch threads: %d intra-op, %d inter-op), checkpoints to %s", run.published(),
                device, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), archive);
        long started = System.nanoTime();
        Manifest manifest;
        try (TrainingRun.Mirroring mirroring = TrainingRun.mirror(run.dir(), archive)) {
            manifest = run.trainable().train(run.settings(), run.dir(), run.resume(),
                    new ModelRef(Components.FAMILY, run.published(), Publisher.newVersion()), cache);
        }
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        long steps = ((Number) run.settings().get("steps")).longValue();
        if (manifest.steps() < steps) {
            LOG.warn(run.published() + " stopped at step " + manifest.steps() + " of " + steps
                    + "; its checkpoint is in " + archive + ": run again with --resume --run-id " + run.id());
            return Optional.empty();
        }
        Publisher.saveDraft(run.dir(), manifest);
        writeSummary(run, manifest, device, wallSeconds, publish);
        LossCurveChart.writeFor(run.dir());
        for (String name : List.of(TrainingRun.METRICS_FILE, LossCurveChart.FILE, Manifest.FILE_NAME,
                SUMMARY_FILE)) {
            Path file = run.dir().resolve(name);
            if (Files.exists(file)) {
                archive.put(file);
            }
        }
        if (publish) {
            Publisher.publishDraft(store, run.dir());
        }
        return Optional.of(new Outcome(manifest, wallSeconds));
    }

    private static void writeSummary(Run run, Manifest manifest, Device device, double wallSeconds, boolean publish)
            throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("component", run.published());
        summary.put("run_id", run.id());
        summary.put("version", manifest.version());
        summary.put("publish", publish);
        summary.put("device", device.toString());
        summary.put("intra_op_threads", JniUtils.getNumThreads());
        summary.put("inter_op_threads", JniUtils.getNumInteropThreads());
        summary.put("resumed", run.resume());
        summary.put("steps", manifest.steps());
        summary.put("seed", manifest.seed());
        summary.put("session_seconds", wallSeconds);
        summary.put("metrics", manifest.metrics());
        JSON.writeValue(run.dir().resolve(SUMMARY_FILE).toFile(), summary);
    }
}
