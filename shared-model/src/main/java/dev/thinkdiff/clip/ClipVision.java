package dev.thinkdiff.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The trained CLIP vision encoder, frozen: images → image tokens (ThinkDiff-CLIP's features) or contrastive
 * embeddings. Thread-safe: calls are serialised on the instance.
 */
public final class ClipVision implements AutoCloseable {

    /** The parameter file's name in a published clip-vision version. */
    public static final String PARAMETERS_FILE = "clip-vision.params";

    private final ClipConfig config;
    private final String version;
    private final NDManager manager;
    private final ClipVisionNet net;
    private final ParameterStore parameterStore;

    private ClipVision(ClipConfig config, String version, NDManager manager, ClipVisionNet net) {
        this.config = config;
        this.version = version;
        this.manager = manager;
        this.net = net;
        this.parameterStore = new ParameterStore(manager, false);
    }

    public static ClipVision load(LoadedModel model) {
        return load(ClipConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE),
                model.ref().toString());
    }

    public static ClipVision load(ClipConfig config, Path parameters, String version) {
        NDManager manager = NDManager.newBaseManager();
        try {
            ClipVisionNet net = ClipVisionNet.create(config, manager, 0);
            TrainingRun.loadParameters(net, manager, parameters);
            net.freezeParameters(true);
            return new ClipVision(config, version, manager, net);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load clip-vision parameters " + parameters, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ClipConfig config() {
        return config;
    }

    public String version() {
        return version;
    }

    /** Image tokens of each image (packed 0xRRGGBB, 64×64): [N][1 + g²][W], the pooled token first. */
    public synchronized float[][][] tokens(List<int[]> images) {
        try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
            float[] flat = net.tokens(parameterStore, ClipImages.array(images, scope), false).toFloatArray();
            float[][][] tokens = new float[images.size()][config.tokens()][config.width()];
            for (int i = 0, k = 0; i < images.size(); i++) {
                for (int t = 0; t < config.tokens(); t++, k += config.width()) {
                    System.arraycopy(flat, k, tokens[i][t], 0, config.width());
                }
            }
            return tokens;
        }
    }

    /** Unit-length contrastive embeddings [N][E] of each image. */
    public synchronized float[][] embeddings(List<int[]> images) {
        try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
            NDArray embedding = ClipTraining.unit(net.embedding(parameterStore,
                    net.tokens(parameterStore, ClipImages.array(images, scope), false), false));
            float[] flat = embedding.toFloatArray();
            float[][] rows = new float[images.size()][config.embedDimension()];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(flat, i * config.embedDimension(), rows[i], 0, config.embedDimension());
            }
            return rows;
        }
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
