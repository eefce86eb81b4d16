package dev.thinkdiff.diffusion;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ProgressBar;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingRun;
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
 * Trains the diffusion decoder by rectified flow (as FLUX): for a latent x0 of a training-range render, noise ε and
 * t ~ logit-normal, x_t = (1−t)·x0 + t·ε and the network regresses the velocity ε − x0 (mean squared error). Each
 * example's prompt is one of the cell's 4 caption phrasings or the prompt-style answer, with the robustness
 * augmentations of {@link PromptAugmentation}; ~10% of examples get the null prompt (classifier-free guidance).
 *
 * <p>The prompt states and the latents are computed once per run and cached in the run directory; step k's batch is
 * then a pure function of (seed, k), assembled on a background thread. Deterministic and resumable exactly like
 * {@code JudgeTraining}.
 */
public final class DiffusionTraining {

    private static final Logger LOG = Logger.getLogger(DiffusionTraining.class);

    private static final int TRAIN_LOSS_WINDOW = 100;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /**
     * @param metrics {@code train_loss}, {@code train_seconds}, {@code step_seconds} (this session's mean),
     *     {@code parameter_count}, {@code forward_gflops} (one image, one pass)
     */
    public record Result(DiffusionConfig config, Path parameters, int stepsDone, double wallSeconds,
                         double trainLoss, Map<String, Double> metrics, String promptEncoder, String autoencoder) {

        public boolean completed() {
            return stepsDone == config.steps();
        }

        /** A manifest builder: config, seed, steps, metrics, the parameter file and the models it was trained on. */
        public Manifest.Builder manifest(ModelRef ref) {
            return Manifest.builder(ref)
                    .training(config.toMap(), config.seed(), stepsDone, metrics)
                    .file(DiffusionPipeline.PARAMETERS_FILE, parameters)
                    .input(Components.PROMPT_ENCODER, promptEncoder)
                    .input(Components.AUTOENCODER, autoencoder);
        }
    }

    /** Step k's inputs: clean latents, noise, times, (augmented) prompts and null-prompt flags, all flat. */
    record Batch(float[] latents, float[] noise, float[] times, float[] states, float[] mask, float[] dropPrompt,
                 int promptLength) {
    }

    private DiffusionTraining() {
    }

    /**
     * Trains (or resumes) the diffusion decoder in {@code runDir} on latents of {@code autoencoder} and prompt states
     * of {@code promptEncoder}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static Result run(DiffusionConfig config, ImageAutoencoder autoencoder, PromptEncoder promptEncoder,
            Path runDir, boolean resume, int stopAfterStep) throws IOException {
        long started = System.nanoTime();
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        int lastStep = stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
        if (autoencoder.config().latentFloats() != config.latentFloats()) {
            throw new IllegalArgumentException("autoencoder latents " + autoencoder.latentShape()
                    + " do not match the diffusion config's " + config.latentChannels() + "×" + config.latentSize());
        }
        Files.createDirectories(runDir);
        ExecutorService batchThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "diffusion-batches");
            thread.setDaemon(true);
            return thread;
        });
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            PromptPool prompts = PromptPool.build(promptEncoder, runDir.resolve(PromptPool.CACHE_FILE));
            LatentPool latents = LatentPool.build(autoencoder, config.latentSeedsPerCell(),
                    runDir.resolve(LatentPool.CACHE_FILE));
            DiffusionTransformer net = DiffusionTransformer.create(config, manager,
                    Seeds.mix(config.seed(), INIT_STREAM));
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
                int firstStep = optimizer.stepCount();
                long loopStarted = System.nanoTime();
                ProgressBar progress = new ProgressBar("diffusion", config.steps(), firstStep);
                Future<Batch> next = batchThread.submit(
                        () -> trainingBatch(config, prompts, latents, dataSeed, firstStep));
                try {
                    while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                        int step = optimizer.stepCount();
                        Batch batch = next.get();
                        if (step + 1 < lastStep) {
                            next = batchThread.submit(
                                    () -> trainingBatch(config, prompts, latents, dataSeed, step + 1));
                        }
                        double loss = trainStep(net, parameterStore, optimizer, manager, config, batch);
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
                    throw new IllegalStateException("diffusion training failed at step " + optimizer.stepCount(), e);
                }
                progress.finish();
                int stepsHere = optimizer.stepCount() - firstStep;
                double stepSeconds = stepsHere == 0 ? Double.NaN : (System.nanoTime() - loopStarted) / 1e9 / stepsHere;
                TrainingRun.State finalState = state(config, optimizer, losses, earlierSeconds, started);
                Path checkpointed = run.checkpoint(finalState, net, optimizer);
                double trainLoss = losses.subList(Math.max(0, losses.size() - TRAIN_LOSS_WINDOW), losses.size())
                        .stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                Path parameters = checkpointed.resolve(TrainingRun.PARAMETERS_FILE);
                if (run.stopRequested()) {
                    run.stopped();
                } else {
                    parameters = runDir.resolve(DiffusionPipeline.PARAMETERS_FILE);
                    Files.copy(checkpointed.resolve(TrainingRun.PARAMETERS_FILE), parameters,
                            StandardCopyOption.REPLACE_EXISTING);
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("train_loss", trainLoss);
                metrics.put("train_seconds", finalState.trainSeconds());
                metrics.put("step_seconds", stepSeconds);
                metrics.put("parameter_count", (double) AutoencoderTraining.parameterCount(net));
                metrics.put("forward_gflops", config.forwardFlops(prompts.length(0)) / 1e9);
                if (!run.stopRequested()) {
                    run.writeMetrics(metrics);
                    run.writeLossCurve(losses, "diffusion: flow-matching velocity MSE");
                }
                return new Result(config, parameters, optimizer.stepCount(), (System.nanoTime() - started) / 1e9,
                        trainLoss, metrics, promptEncoder.artifact(), autoencoder.version());
            }
        } catch (InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not build the latent pool", e);
        } finally {
            batchThread.shutdownNow();
        }
    }

    private static double trainStep(DiffusionTransformer net, ParameterStore parameterStore, AdamW optimizer,
            NDManager manager, DiffusionConfig config, Batch batch) {
        int b = config.batchSize();
        Shape latentShape = new Shape(b, config.latentChannels(), config.latentSize(), config.latentSize());
        double loss;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x0 = stepManager.create(batch.latents(), latentShape);
            NDArray noise = stepManager.create(batch.noise(), latentShape);
            NDArray states = stepManager.create(batch.states(),
                    new Shape(b, batch.promptLength(), config.promptDimension()));
            NDArray mask = stepManager.create(batch.mask(), new Shape(b, batch.promptLength()));
            NDArray lossArray = net.flowMatchingLoss(parameterStore, x0, noise, stepManager.create(batch.times()),
                    states, mask, stepManager.create(batch.dropPrompt()), true);
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

    /** The batch of step {@code step}: a pure function of (dataSeed, step) given the pools. */
    static Batch trainingBatch(DiffusionConfig config, PromptPool prompts, LatentPool latents, long dataSeed,
            int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        int b = config.batchSize();
        int perImage = config.latentFloats();
        float[] x0 = new float[b * perImage];
        float[] times = new float[b];
        float[] drop = new float[b];
        int[] texts = new int[b];
        int length = 1;
        for (int i = 0; i < b; i++) {
            int cell = random.nextInt(AutoencoderEvaluation.CELLS);
            latents.copy(cell, random.nextInt(latents.seedsPerCell()), x0, i);
            int variant = random.nextDouble() < config.answerProbability() ? PromptPool.ANSWER
                    : random.nextInt(PromptPool.ANSWER);
            texts[i] = cell * PromptPool.TEXTS_PER_CELL + variant;
            length = Math.max(length, prompts.length(texts[i]));
            drop[i] = random.nextDouble() < config.promptDropProbability() ? 1f : 0f;
            times[i] = DiffusionTransformer.sampleTime(random);
        }
        int d = prompts.dimension();
        float[] states = new float[b * length * d];
        float[] mask = new float[b * length];
        for (int i = 0; i < b; i++) {
            float[] text = prompts.states(texts[i]);
            System.arraycopy(text, 0, states, i * length * d, text.length);
            for (int t = 0; t < prompts.length(texts[i]); t++) {
                mask[i * length + t] = 1f;
            }
            if (random.nextDouble() < config.noiseProbability()) {
                PromptAugmentation.addNoise(states, mask, i, length, d,
                        random.nextDouble() * config.noiseMaxFraction(), random);
            }
            if (random.nextDouble() < config.tokenDropExampleProbability()) {
                PromptAugmentation.dropTokens(mask, i, length, config.tokenDropProbability(), random);
            }
        }
        float[] noise = new float[b * perImage];
        for (int k = 0; k < noise.length; k++) {
            noise[k] = (float) random.nextGaussian();
        }
        return new Batch(x0, noise, times, states, mask, drop, length);
    }

    private static TrainingRun.State state(DiffusionConfig config, AdamW optimizer, List<Double> losses,
            double earlierSeconds, long startedNanos) {
        double seconds = earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingRun.State(optimizer.stepCount(), config.seed(), losses, seconds);
    }
}
