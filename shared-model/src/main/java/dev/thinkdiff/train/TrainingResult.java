package dev.thinkdiff.train;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a training ended, for every model: its config, its files (the parameter file first: the kept
 * {@code parametersFile} of a completed run, the last checkpoint's otherwise), the loss of every step, what it
 * measured (only when it completed) and the versions of the components it was trained against; it builds its own
 * manifest.
 */
public record TrainingResult<C extends ModelConfig>(C config, int stepsDone, List<Double> losses,
                                                    Map<String, Double> metrics, Map<String, Path> files,
                                                    Map<String, String> inputs) {

    public TrainingResult {
        losses = List.copyOf(losses);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    public boolean completed() {
        return stepsDone == config.steps();
    }

    /** The parameter file. */
    public Path parameters() {
        return files.values().iterator().next();
    }

    /** The file published as {@code name}. */
    public Path file(String name) {
        Path file = files.get(name);
        if (file == null) {
            throw new IllegalArgumentException("the run has no file '" + name + "'; has " + files.keySet());
        }
        return file;
    }

    /** {@code train_loss}: the mean loss of the last {@value TrainingLoop#TRAIN_LOSS_WINDOW} steps. */
    public double trainLoss() {
        return TrainingLoop.trainLoss(losses);
    }

    /** This result with one more file to publish. */
    public TrainingResult<C> withFile(String name, Path file) {
        Map<String, Path> more = new LinkedHashMap<>(files);
        more.put(name, file);
        return new TrainingResult<>(config, stepsDone, losses, metrics, more, inputs);
    }

    /** This result with the version of a component it was trained against. */
    public TrainingResult<C> withInput(String component, String version) {
        Map<String, String> more = new LinkedHashMap<>(inputs);
        more.put(component, version);
        return new TrainingResult<>(config, stepsDone, losses, metrics, files, more);
    }

    /** A manifest builder for publishing: config, seed, steps, metrics, files and inputs. */
    public Manifest.Builder manifest(ModelRef ref) {
        Manifest.Builder builder = Manifest.builder(ref)
                .training(config.toMap(), config.seed(), stepsDone, metrics)
                .files(files);
        inputs.forEach(builder::input);
        return builder;
    }
}
