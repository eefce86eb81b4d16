package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.world.WorldRenderer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Prompt embedding → image: the flow sampler draws latents with the diffusion transformer, the autoencoder decodes
 * them to 64×64 RGB. The embedding may be ANY [T, D] sequence in the prompt encoder's space — ThinkDiff's decode
 * stage passes the aligned VLM features here directly; {@link #generate(List, long[], FlowSampler.Settings)}
 * is the text convenience through the prompt encoder.
 *
 * <p>Owns the transformer and the autoencoder (closes both); the prompt encoder stays the caller's. Thread-safe:
 * generation is serialised on the instance.
 */
public final class DiffusionPipeline implements AutoCloseable {

    public static final String PARAMETERS_FILE = "diffusion.params";

    /** Images per sampler batch; bounds native memory for large calls. */
    private static final int MAX_BATCH = 64;

    private final DiffusionConfig config;
    private final NDManager manager;
    private final DiffusionTransformer net;
    private final FlowSampler sampler;
    private final ImageAutoencoder autoencoder;
    private final PromptEncoder promptEncoder;

    private DiffusionPipeline(DiffusionConfig config, NDManager manager, DiffusionTransformer net,
            ImageAutoencoder autoencoder, PromptEncoder promptEncoder) {
        this.config = config;
        this.manager = manager;
        this.net = net;
        this.sampler = new FlowSampler(net, new ParameterStore(manager, false));
        this.autoencoder = autoencoder;
        this.promptEncoder = promptEncoder;
    }

    /** Loads a published diffusion decoder: config from its manifest, parameters from {@value #PARAMETERS_FILE}. */
    public static DiffusionPipeline load(LoadedModel model, ImageAutoencoder autoencoder,
            PromptEncoder promptEncoder) {
        return load(DiffusionConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE), autoencoder,
                promptEncoder);
    }

    /**
     * A published decoder with the autoencoder it was trained on: the version its manifest names as input, fetched
     * through the same verified cache from the decoder's family.
     *
     * @throws IllegalStateException if the manifest names no autoencoder
     */
    public static DiffusionPipeline load(LoadedModel model, ModelCache models, PromptEncoder promptEncoder) {
        LoadedModel autoencoder = ModelInputs.pinned(models, model).fetch(Components.AUTOENCODER);
        ImageAutoencoder loaded = ImageAutoencoder.load(autoencoder);
        try {
            return load(model, loaded, promptEncoder);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** @param promptEncoder for the text convenience; may be null when only embeddings are passed */
    public static DiffusionPipeline load(DiffusionConfig config, Path parameters, ImageAutoencoder autoencoder,
            PromptEncoder promptEncoder) {
        NDManager manager = NDManager.newBaseManager();
        try {
            DiffusionTransformer net = DiffusionTransformer.load(config, parameters, manager);
            return new DiffusionPipeline(config, manager, net, autoencoder, promptEncoder);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load diffusion parameters " + parameters, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public DiffusionConfig config() {
        return config;
    }

    /** The version of the autoencoder this pipeline decodes with. */
    public String autoencoderVersion() {
        return autoencoder.version();
    }

    public FlowSampler.Settings defaultSettings() {
        return FlowSampler.Settings.of(config);
    }

    /** Images as packed 0xRRGGBB pixels (row-major 64×64), one per prompt of the batch, seeded by {@code seeds}. */
    public List<int[]> generate(PromptEmbedding prompts, long[] seeds, FlowSampler.Settings settings) {
        return decode(sample(prompts, seeds, settings), prompts.batchSize());
    }

    /** The first stage of {@link #generate}: scaled latents (flat [B, c, s, s]) drawn by the flow sampler. */
    public synchronized float[] sample(PromptEmbedding prompts, long[] seeds, FlowSampler.Settings settings) {
        if (prompts.dimension() != config.promptDimension()) {
            throw new IllegalArgumentException("prompt width " + prompts.dimension() + ", the model reads "
                    + config.promptDimension());
        }
        int perImage = config.latentFloats();
        float[] latents = new float[prompts.batchSize() * perImage];
        for (int from = 0; from < prompts.batchSize(); from += MAX_BATCH) {
            int to = Math.min(prompts.batchSize(), from + MAX_BATCH);
            float[] chunk = sampler.sample(manager, prompts.slice(from, to),
                    java.util.Arrays.copyOfRange(seeds, from, to), settings);
            System.arraycopy(chunk, 0, latents, from * perImage, chunk.length);
        }
        return latents;
    }

    /** The second stage of {@link #generate}: the autoencoder's images of sampled latents. */
    public List<int[]> decode(float[] latents, int count) {
        return autoencoder.decode(latents, count);
    }

    /** Text → images through the prompt encoder. */
    public List<int[]> generate(List<String> texts, long[] seeds, FlowSampler.Settings settings) {
        if (promptEncoder == null) {
            throw new IllegalStateException("this pipeline was loaded without a prompt encoder");
        }
        return generate(PromptEmbedding.of(promptEncoder.encode(texts)), seeds, settings);
    }

    public static BufferedImage toImage(int[] pixels) {
        int size = WorldRenderer.SIZE;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, pixels, 0, size);
        return image;
    }

    @Override
    public synchronized void close() {
        manager.close();
        autoencoder.close();
    }
}
