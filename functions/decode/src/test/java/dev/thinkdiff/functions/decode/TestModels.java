package dev.thinkdiff.functions.decode;

import ai.djl.ndarray.NDManager;
import dev.thinkdiff.diffusion.AutoencoderConfig;
import dev.thinkdiff.diffusion.AutoencoderNet;
import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.DiffusionTransformer;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.store.LocalDirectoryBlobStore;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.TrainingRun;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The store the decode tests run against. With {@code -Dthinkdiff.test.models=DIR} (e.g. {@code ../../models} once the
 * trained autoencoder and diffusion decoder are shipped) the tests run on that store; otherwise a tiny autoencoder and
 * diffusion decoder (the DiffusionTest sizes, seeded random weights: real networks, untrained) are published into
 * {@code target/test-store} through the real store API, and the tests run on those.
 */
public class TestModels implements QuarkusTestResourceLifecycleManager {

    static final Path TINY_STORE = Path.of("target", "test-store");

    @Override
    public Map<String, String> start() {
        String given = System.getProperty("thinkdiff.test.models");
        if (given != null && !given.isBlank()) {
            return Map.of("thinkdiff.store.local.root", given);
        }
        publishTiny(TINY_STORE);
        return Map.of("thinkdiff.store.local.root", TINY_STORE.toString());
    }

    static void publishTiny(Path root) {
        DjlRuntime.configure();
        AutoencoderConfig autoencoder = new AutoencoderConfig(List.of(8, 16, 16), 4, 4, 4, 1, 3e-3, 0.0, 5, 0.1, 0.5,
                1e-4, 3L, 20, 16);
        DiffusionConfig diffusion = new DiffusionConfig(32, 1, 2, 2, 2, 4, 16, 384, 0.1, 0.2, 0.75, 0.5, 0.3,
                0.15, 8, 1, 3e-3, 0.01, 5, 0.1, 1, 11L, 10, 4, 3.0, List.of(0, 1), 1);
        try {
            deleteTree(root);
            Path files = Files.createDirectories(root.resolveSibling("test-store-files"));
            Path autoencoderFile = files.resolve(ImageAutoencoder.PARAMETERS_FILE);
            Path diffusionFile = files.resolve(DiffusionPipeline.PARAMETERS_FILE);
            try (NDManager manager = NDManager.newBaseManager()) {
                TrainingRun.saveParameters(AutoencoderNet.create(autoencoder, manager), autoencoderFile);
                DiffusionTransformer net = DiffusionTransformer.create(diffusion, manager, 1);
                ParameterInit.normal(net, 2, 0.05); // not the zero-output start: the prompt changes the image
                TrainingRun.saveParameters(net, diffusionFile);
            }
            ModelStore store = new ModelStore(new LocalDirectoryBlobStore(root));
            store.publish(Manifest.builder(new ModelRef("pocket", "autoencoder", "tiny-ae"))
                    .created(Instant.EPOCH).config(autoencoder.toMap()).seed(autoencoder.seed()).steps(0)
                    .metric(ImageAutoencoder.LATENT_SCALE_METRIC, 1.0)
                    .file(ImageAutoencoder.PARAMETERS_FILE, autoencoderFile).build(),
                    Map.of(ImageAutoencoder.PARAMETERS_FILE, autoencoderFile));
            store.publish(Manifest.builder(new ModelRef("pocket", "diffusion", "tiny-dit"))
                    .created(Instant.EPOCH).config(diffusion.toMap()).seed(diffusion.seed()).steps(0)
                    .input(DiffusionPipeline.AUTOENCODER_INPUT, "tiny-ae")
                    .file(DiffusionPipeline.PARAMETERS_FILE, diffusionFile).build(),
                    Map.of(DiffusionPipeline.PARAMETERS_FILE, diffusionFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public void stop() {
    }
}
