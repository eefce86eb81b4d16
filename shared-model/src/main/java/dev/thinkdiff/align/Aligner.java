package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained aligner: maps a VLM's per-token features into the prompt encoder's space, one vector per feature, so
 * that the result can be fed to the diffusion decoder as a prompt embedding (ThinkDiff's inference path).
 * Thread-safe: calls are serialised on the instance.
 */
public final class Aligner implements AutoCloseable {

    /** The parameter file's name in a published aligner version. */
    public static final String PARAMETERS_FILE = "aligner.params";

    private final AlignerConfig config;
    private final String version;
    private final NDManager manager;
    private final AlignerNet net;
    private final ParameterStore parameterStore;
    private final NDArray snapBank;

    private Aligner(AlignerConfig config, String version, NDManager manager, AlignerNet net, NDArray snapBank) {
        this.config = config;
        this.version = version;
        this.manager = manager;
        this.net = net;
        this.parameterStore = new ParameterStore(manager, false);
        this.snapBank = snapBank;
    }

    /** Loads a published aligner: config from its manifest, parameters from {@value #PARAMETERS_FILE}. */
    public static Aligner load(LoadedModel model) {
        AlignerConfig config = AlignerConfig.CODEC.fromMap(model.manifest().config());
        return load(config, model.path(PARAMETERS_FILE),
                config.snapStates() > 0 ? model.path(StateBank.FILE_NAME) : null, model.ref().toString());
    }

    /** @param snapBank the {@link StateBank} file when the config snaps, else null */
    public static Aligner load(AlignerConfig config, Path parameters, Path snapBank, String version) {
        NDManager manager = NDManager.newBaseManager();
        try {
            AlignerNet net = AlignerNet.create(config, new float[config.promptDimension()], manager, 0);
            TrainingRun.loadParameters(net, manager, parameters);
            net.freezeParameters(true);
            NDArray bank = config.snapStates() > 0 ? StateBank.read(snapBank, config.promptDimension(), manager)
                    : null;
            return new Aligner(config, version, manager, net, bank);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load aligner parameters " + parameters, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public AlignerConfig config() {
        return config;
    }

    public String version() {
        return version;
    }

    /** Aligned vectors of one feature sequence ([L][d_vlm] → flat [L × d]). */
    public float[] align(float[][] features) {
        return embed(List.<float[][]>of(features)).states();
    }

    /**
     * Prompt embeddings of a batch of feature sequences, right-padded to the longest with mask 0 (the diffusion
     * decoder's attention ignores padding, so a sequence aligns the same alone or in a batch).
     */
    public synchronized PromptEmbedding embed(List<float[][]> sequences) {
        FeatureBatch batch = FeatureBatch.of(sequences, config.vlmWidth());
        // The scope also frees what lands on the model's manager (ops whose first operand is a weight or the bank).
        try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
            NDArray features = scope.create(batch.features(),
                    new Shape(batch.size(), batch.length(), config.vlmWidth()));
            NDArray aligned = net.forward(parameterStore, features, false);
            if (snapBank != null) {
                aligned = StateBank.project(aligned, snapBank, config.inferenceSnapScale(), config.snapTopK());
            }
            return new PromptEmbedding(aligned.toFloatArray(), batch.mask(), batch.size(), batch.length(),
                    config.promptDimension());
        }
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
