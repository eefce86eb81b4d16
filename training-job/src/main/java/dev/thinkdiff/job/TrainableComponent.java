package dev.thinkdiff.job;

import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.ConfigCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One model of the pocket family as the training job sees it: its settings, how it trains, how it is measured. */
interface TrainableComponent {

    /** The component's name in the store and on the command line. */
    String name();

    /** Reads, writes and parses its config. */
    ConfigCodec<?> codec();

    /** The settings a default run uses (the keys of its manifest's {@code config}). */
    Map<String, Object> defaultSettings();

    /**
     * The settings {@code train-all} brings the component to, given its latest published version: the defaults, unless
     * the component says a published version defines its own (a fine-tune).
     */
    default Map<String, Object> requestedSettings(Optional<Manifest> published) {
        return defaultSettings();
    }

    /**
     * A published version's settings as today's code reads them: keys the version predates take their legacy defaults
     * (as loading it does), so that an older manifest compares like for like with {@link #defaultSettings()}.
     */
    default Map<String, Object> asRun(Map<String, Object> published) {
        return codec().fromMap(published).toMap();
    }

    /** Settings that only size the final evaluation: a version that differs only there needs no retraining. */
    default Set<String> evaluationSettings() {
        return Set.of();
    }

    /** The components whose latest published version it is trained against (its manifest's {@code inputs}). */
    default List<String> inputs() {
        return List.of();
    }

    /** The metrics a summary shows of a version. */
    List<String> keyMetrics();

    /**
     * Trains (or resumes) in {@code runDir}, prints its evaluation, and returns the manifest to publish.
     *
     * @param models the store's published models, for components trained on or judged by others
     */
    Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref, ModelCache models)
            throws IOException;

    /**
     * Measures a published version on fresh held-out data and prints the figures ({@code size} null: default).
     *
     * @param reportDir where evaluations that draw write their images
     */
    void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) throws IOException;

    static List<TrainableComponent> all() {
        return List.of(new JudgeComponent(), new LlmDecoderComponent(), new VlmComponent(),
                new AutoencoderComponent(), new DiffusionComponent(), new AlignerComponent(),
                new ReconstructionAlignerComponent(), new ClipVisionComponent(), new ClipAlignerComponent());
    }

    static TrainableComponent byName(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown component '" + name + "'; known: "
                        + all().stream().map(TrainableComponent::name).toList()));
    }
}
