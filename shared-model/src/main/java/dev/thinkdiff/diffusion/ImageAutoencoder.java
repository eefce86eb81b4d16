package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The trained image autoencoder: 64×64 RGB ↔ latents [c, 16, 16] scaled to about unit variance (the diffusion model's
 * working space). Frozen. Thread-safe: calls are serialised on the instance. Close it to free its native memory.
 */
public final class ImageAutoencoder implements AutoCloseable {

    public static final String PARAMETERS_FILE = "autoencoder.params";
    /** Manifest metric holding the factor that scales raw latents to unit variance. */
    public static final String LATENT_SCALE_METRIC = "latent_scale";

    /** Images per forward pass; bounds native memory for large batched calls. */
    private static final int MAX_BATCH = 128;

    private final AutoencoderConfig config;
    private final float latentScale;
    private final String version;
    private final NDManager manager;
    private final AutoencoderNet net;
    private final ParameterStore parameterStore;

    private ImageAutoencoder(AutoencoderConfig config, float latentScale, String version, NDManager manager,
            AutoencoderNet net) {
        this.config = config;
        this.latentScale = latentScale;
        this.version = version;
        this.manager = manager;
        this.net = net;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Loads a published autoencoder: config and latent scale from the manifest, parameters from its file. */
    public static ImageAutoencoder load(LoadedModel model) {
        Double scale = model.manifest().metrics().get(LATENT_SCALE_METRIC);
        if (scale == null) {
            throw new IllegalArgumentException(model.ref() + " has no " + LATENT_SCALE_METRIC + " metric");
        }
        return load(AutoencoderConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE),
                scale.floatValue(), model.ref().version());
    }

    /** @param version how manifests of models trained on these latents name this autoencoder */
    public static ImageAutoencoder load(AutoencoderConfig config, Path parameters, float latentScale, String version) {
        NDManager manager = NDManager.newBaseManager();
        try {
            AutoencoderNet net = AutoencoderNet.create(config, manager);
            TrainingRun.loadParameters(net, manager, parameters);
            net.freezeParameters(true);
            return new ImageAutoencoder(config, latentScale, version, manager, net);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load autoencoder parameters " + parameters, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public AutoencoderConfig config() {
        return config;
    }

    public float latentScale() {
        return latentScale;
    }

    public String version() {
        return version;
    }

    /** Latent shape of one image: [c, s, s]. */
    public Shape latentShape() {
        return new Shape(config.latentChannels(), config.latentSize(), config.latentSize());
    }

    /** Scaled latents of the images, flat [B, c, s, s]. */
    public synchronized float[] encode(List<int[]> images) {
        int perImage = config.latentFloats();
        float[] latents = new float[images.size() * perImage];
        for (int from = 0; from < images.size(); from += MAX_BATCH) {
            int to = Math.min(images.size(), from + MAX_BATCH);
            try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
                NDArray pixels = scope.create(ImageTensors.of(images.subList(from, to)),
                        new Shape(to - from, 3, ImageTensors.SIZE, ImageTensors.SIZE));
                float[] chunk = net.encode(parameterStore, pixels, false).mul(latentScale).toFloatArray();
                System.arraycopy(chunk, 0, latents, from * perImage, chunk.length);
            }
        }
        return latents;
    }

    /** Images of scaled latents (flat [B, c, s, s]) as packed 0xRRGGBB pixels. */
    public synchronized List<int[]> decode(float[] latents, int count) {
        int perImage = config.latentFloats();
        float[] images = new float[count * ImageTensors.FLOATS_PER_IMAGE];
        for (int from = 0; from < count; from += MAX_BATCH) {
            int to = Math.min(count, from + MAX_BATCH);
            try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
                Shape shape = new Shape(to - from).addAll(latentShape());
                NDArray z = scope.create(java.util.Arrays.copyOfRange(latents, from * perImage, to * perImage), shape);
                float[] chunk = net.decode(parameterStore, z.div(latentScale), false).toFloatArray();
                System.arraycopy(chunk, 0, images, from * ImageTensors.FLOATS_PER_IMAGE, chunk.length);
            }
        }
        return ImageTensors.pixels(images, count);
    }

    /** Encode then decode: what the autoencoder keeps of each image. */
    public List<int[]> reconstruct(List<int[]> images) {
        return decode(encode(images), images.size());
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
