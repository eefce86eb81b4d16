package dev.thinkdiff.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.ProgressBar;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Trains the image autoencoder on {@link SeedRange#MODEL_TRAINING} renders (cells uniform over all 500), then measures
 * the latent scale (1 / std of raw latents of fresh training-range renders) and the reconstruction error on
 * benchmark-range renders. The judge's verdict on reconstructions is {@link AutoencoderEvaluation}'s job.
 *
 * <p>Deterministic and resumable exactly like {@code JudgeTraining}: step k's batch is a function of (seed, k).
 */
public final class AutoencoderTraining {

    private static final Logger LOG = Logger.getLogger(AutoencoderTraining.class);

    private static final int TRAIN_LOSS_WINDOW = 50;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    /** Training-range seed offsets at and above this are reserved for the latent-scale measurement. */
    private static final long SCALE_SEED_OFFSET = 900_000_000L;

    /**
     * @param latentScale factor that scales raw latents to unit variance (NaN if the run stopped early)
     * @param metrics {@code latent_scale}, {@code reconstruction.mse}, {@code reconstruction.psnr},
     *     {@code train_loss}, {@code train_seconds}, {@code parameter_count}
     */
    public record Result(AutoencoderConfig config, Path parameters, int stepsDone, double wallSeconds,
                         double trainLoss, float latentScale, Map<String, Double> metrics) {

        public boolean completed() {
            return stepsDone == config.steps();
        }

        /** A manifest builder for publishing: config, seed, steps, metrics (with the latent scale), parameters. */
        public Manifest.Builder manifest(ModelRef ref) {
            return Manifest.builder(ref)
                    .training(config.toMap(), config.seed(), stepsDone, metrics)
                    .file(ImageAutoencoder.PARAMETERS_FILE, parameters);
        }

        /** The trained autoencoder, named by its run directory (publish it to get a store version). */
        public ImageAutoencoder load() {
            return ImageAutoencoder.load(config, parameters, latentScale, "run:" + parameters.getParent());
        }
    }

    private AutoencoderTraining() {
    }

    /**
     * Trains (or resumes) an autoencoder in {@code runDir}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static Result run(AutoencoderConfig config, Path runDir, boolean resume, int stopAfterStep)
            throws IOException {
        long started = System.nanoTime();
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        int lastStep = stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
        ExecutorService renderThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autoencoder-render");
            thread.setDaemon(true);
            return thread;
        });
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            AutoencoderNet net = AutoencoderNet.create(config, manager);
            ParameterInit.heNormal(net, Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                List<Double> losses = new ArrayList<>();
                double earlierSeconds = 0;
                Optional<Path> checkpoint = run.latestCheckpoint();
                if (checkpoint.isPresent() && !resume) {
                    throw new IllegalStateException(runDir + " already holds checkpoints: resume, or use a new run "
                            + "directory");
                }
                if (checkpoint.isPresent()) {
                    TrainingRun.State state = run.restore(checkpoint.get(), net, manager, optimizer);
                    losses.addAll(state.losses());
                    earlierSeconds = state.trainSeconds();
                    LOG.infof("resumed %s at step %d", runDir, state.step());
                }
                WorldRenderer renderer = new WorldRenderer();
                ProgressBar progress = new ProgressBar("autoencoder", config.steps(), optimizer.stepCount());
                Future<float[]> next = renderThread.submit(
                        () -> trainingImages(renderer, config, dataSeed, optimizer.stepCount()));
                try {
                    while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                        int step = optimizer.stepCount();
                        float[] images = next.get();
                        if (step + 1 < lastStep) {
                            next = renderThread.submit(() -> trainingImages(renderer, config, dataSeed, step + 1));
                        }
                        double loss = trainStep(net, parameterStore, optimizer, manager, config, images);
                        losses.add(loss);
                        progress.update(optimizer.stepCount(), loss);
                        if (optimizer.stepCount() % config.checkpointInterval() == 0) {
                            run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                        }
                    }
                } catch (InterruptedException | ExecutionException | RuntimeException e) {
                    if (optimizer.stepCount() == losses.size()) {
                        run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                    }
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("autoencoder training failed at step " + optimizer.stepCount(),
                            e);
                }
                progress.finish();
                TrainingRun.State finalState = state(config, optimizer, losses, earlierSeconds, started);
                Path checkpointed = run.checkpoint(finalState, net, optimizer);
                double trainLoss = losses.subList(Math.max(0, losses.size() - TRAIN_LOSS_WINDOW), losses.size())
                        .stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                if (run.stopRequested()) {
                    run.stopped();
                    return new Result(config, checkpointed.resolve(TrainingRun.PARAMETERS_FILE),
                            optimizer.stepCount(), (System.nanoTime() - started) / 1e9, trainLoss, Float.NaN,
                            Map.of());
                }
                Path parameters = runDir.resolve(ImageAutoencoder.PARAMETERS_FILE);
                Files.copy(checkpointed.resolve(TrainingRun.PARAMETERS_FILE), parameters,
                        StandardCopyOption.REPLACE_EXISTING);
                Map<String, Double> metrics = new LinkedHashMap<>();
                float latentScale = Float.NaN;
                if (optimizer.stepCount() == config.steps()) {
                    latentScale = measureLatentScale(net, parameterStore, manager, config, renderer);
                    metrics.put(ImageAutoencoder.LATENT_SCALE_METRIC, (double) latentScale);
                    metrics.putAll(reconstructionMetrics(net, parameterStore, manager, config, renderer));
                }
                metrics.put("train_loss", trainLoss);
                metrics.put("train_seconds", finalState.trainSeconds());
                metrics.put("parameter_count", (double) parameterCount(net));
                run.writeMetrics(metrics);
                run.writeLossCurve(losses, "autoencoder: L1 + L2 + edge loss");
                return new Result(config, parameters, optimizer.stepCount(), (System.nanoTime() - started) / 1e9,
                        trainLoss, latentScale, metrics);
            }
        } finally {
            renderThread.shutdownNow();
        }
    }

    private static double trainStep(AutoencoderNet net, ParameterStore parameterStore, AdamW optimizer,
            NDManager manager, AutoencoderConfig config, float[] images) {
        double loss;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = stepManager.create(images, imageShape(config.batchSize()));
            NDList outputs = net.forward(parameterStore, new NDList(x), true);
            NDArray lossArray = AutoencoderNet.loss(outputs.get(0), x, outputs.get(1), config);
            collector.backward(lossArray);
            loss = lossArray.getFloat();
            temporaries.suppressNotUsedWarning();
        }
        if (!Double.isFinite(loss)) {
            // fail before the update: the newest checkpoint stays a finite model to resume from
            throw new IllegalStateException("non-finite loss " + loss + " at step " + optimizer.stepCount());
        }
        optimizer.step();
        return loss;
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

    private static TrainingRun.State state(AutoencoderConfig config, AdamW optimizer, List<Double> losses,
            double earlierSeconds, long startedNanos) {
        double seconds = earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingRun.State(optimizer.stepCount(), config.seed(), losses, seconds);
    }

    static long parameterCount(ai.djl.nn.Block net) {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
