package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the image autoencoder on {@link SeedRange#MODEL_TRAINING} renders (cells uniform over all 500), then measures
 * the latent scale (1 / std of raw latents of fresh training-range renders) and the reconstruction error on
 * benchmark-range renders. The judge's verdict on reconstructions is {@link AutoencoderEvaluation}'s job.
 *
 * <p>Deterministic and resumable exactly like {@code JudgeTraining}: step k's batch is a function of (seed, k).
 */
public final class AutoencoderTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    /** Training-range seed offsets at and above this are reserved for the latent-scale measurement. */
    private static final long SCALE_SEED_OFFSET = 900_000_000L;

    private AutoencoderTraining() {
    }

    /**
     * Trains (or resumes) an autoencoder in {@code runDir}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<AutoencoderConfig> run(AutoencoderConfig config, Path runDir, boolean resume,
            int stopAfterStep) throws IOException {
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            AutoencoderNet net = AutoencoderNet.create(config, manager);
            ParameterInit.heNormal(net, Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                WorldRenderer renderer = new WorldRenderer();
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.AUTOENCODER, run, net, manager, optimizer, config,
                        TrainingLoop.lastStep(config, stopAfterStep), resume,
                        step -> trainingImages(renderer, config, dataSeed, step),
                        (images, arrays) -> {
                            NDArray x = arrays.create(images, imageShape(config.batchSize()));
                            NDList outputs = net.forward(parameterStore, new NDList(x), true);
                            return AutoencoderNet.loss(outputs.get(0), x, outputs.get(1), config);
                        });
                // measured on the trained network in memory, which is what the kept parameter file holds
                return TrainingLoop.finish(outcome, run, net, config, ImageAutoencoder.PARAMETERS_FILE,
                        "autoencoder: L1 + L2 + edge loss", parameters -> {
                            Map<String, Double> metrics = new LinkedHashMap<>();
                            metrics.put(ImageAutoencoder.LATENT_SCALE_METRIC,
                                    (double) measureLatentScale(net, parameterStore, manager, config, renderer));
                            metrics.putAll(reconstructionMetrics(net, parameterStore, manager, config, renderer));
                            return metrics;
                        });
            }
        }
    }

    /** The trained autoencoder of a completed run, named by its run directory (publish it to get a version). */
    public static ImageAutoencoder load(TrainingResult<AutoencoderConfig> result) {
        return ImageAutoencoder.load(result.config(), result.parameters(),
                result.metrics().get(ImageAutoencoder.LATENT_SCALE_METRIC).floatValue(),
                "run:" + result.parameters().getParent());
    }

    /** The images of step {@code step}: a pure function of (dataSeed, step). */
    static float[] trainingImages(WorldRenderer renderer, AutoencoderConfig config, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        float[] images = new float[config.batchSize() * ImageTensors.FLOATS_PER_IMAGE];
        for (int i = 0; i < config.batchSize(); i++) {
            Cell cell = TextCorpus.randomCell(random);
            long seed = SeedRange.MODEL_TRAINING.seed(random.nextLong(SCALE_SEED_OFFSET));
            ImageTensors.put(renderer.renderPixels(cell, seed), images, i);
        }
        return images;
    }

    /** 1 / std of the raw latents of {@code evalImages} fresh training-range renders. */
    private static float measureLatentScale(AutoencoderNet net, ParameterStore parameterStore, NDManager manager,
            AutoencoderConfig config, WorldRenderer renderer) {
        double sum = 0;
        double sumSquares = 0;
        long count = 0;
        for (int from = 0; from < config.evalImages(); from += config.batchSize()) {
            int n = Math.min(config.batchSize(), config.evalImages() - from);
            float[] images = new float[n * ImageTensors.FLOATS_PER_IMAGE];
            for (int i = 0; i < n; i++) {
                Cell cell = AutoencoderEvaluation.cellOf(from + i);
                ImageTensors.put(renderer.renderPixels(cell, SeedRange.MODEL_TRAINING.seed(SCALE_SEED_OFFSET + from
                        + i)), images, i);
            }
            try (NDManager scope = manager.newSubManager()) {
                float[] latents = net.encode(parameterStore, scope.create(images, imageShape(n)), false)
                        .toFloatArray();
                for (float z : latents) {
                    sum += z;
                    sumSquares += (double) z * z;
                }
                count += latents.length;
            }
        }
        double mean = sum / count;
        return (float) (1 / Math.sqrt(sumSquares / count - mean * mean));
    }

    /** Mean squared error (images in [0, 1]) and PSNR of reconstructions of benchmark-range renders. */
    private static Map<String, Double> reconstructionMetrics(AutoencoderNet net, ParameterStore parameterStore,
            NDManager manager, AutoencoderConfig config, WorldRenderer renderer) {
        double squaredError = 0;
        for (int from = 0; from < config.evalImages(); from += config.batchSize()) {
            int n = Math.min(config.batchSize(), config.evalImages() - from);
            float[] images = AutoencoderEvaluation.benchmarkImages(renderer, from, n);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(images, imageShape(n));
                NDArray reconstruction = net.decode(parameterStore, net.encode(parameterStore, x, false), false)
                        .clip(-1f, 1f);
                // [-1, 1] → [0, 1] halves the error: a quarter of the squared error
                squaredError += reconstruction.sub(x).square().sum().getFloat() / 4.0;
            }
        }
        double mse = squaredError / ((double) config.evalImages() * ImageTensors.FLOATS_PER_IMAGE);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("reconstruction.mse", mse);
        metrics.put("reconstruction.psnr", 10 * Math.log10(1 / mse));
        return metrics;
    }

    static Shape imageShape(int batch) {
        return new Shape(batch, 3, ImageTensors.SIZE, ImageTensors.SIZE);
    }
}
