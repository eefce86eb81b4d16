package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

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

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

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
    public static TrainingResult<DiffusionConfig> run(DiffusionConfig config, ImageAutoencoder autoencoder,
            PromptEncoder promptEncoder, Path runDir, boolean resume, int stopAfterStep) throws IOException {
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        if (autoencoder.config().latentFloats() != config.latentFloats()) {
            throw new IllegalArgumentException("autoencoder latents " + autoencoder.latentShape()
                    + " do not match the diffusion config's " + config.latentChannels() + "×" + config.latentSize());
        }
        Files.createDirectories(runDir);
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            PromptPool prompts = PromptPool.build(promptEncoder, runDir.resolve(PromptPool.CACHE_FILE));
            LatentPool latents = LatentPool.build(autoencoder, config.latentSeedsPerCell(),
                    runDir.resolve(LatentPool.CACHE_FILE));
            DiffusionTransformer net = DiffusionTransformer.create(config, manager,
                    Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.DIFFUSION, run, net, manager, optimizer, config,
                        TrainingLoop.lastStep(config, stopAfterStep), resume,
                        step -> trainingBatch(config, prompts, latents, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, config, batch, arrays));
                return TrainingLoop.finish(outcome, run, net, config, DiffusionPipeline.PARAMETERS_FILE,
                        "diffusion: flow-matching velocity MSE", parameters -> Map.of(
                                "step_seconds", outcome.stepSeconds(),
                                "forward_gflops", config.forwardFlops(prompts.length(0)) / 1e9))
                        .withInput(Components.PROMPT_ENCODER, promptEncoder.artifact())
                        .withInput(Components.AUTOENCODER, autoencoder.version());
            }
        } catch (InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not build the latent pool", e);
        }
    }

    /** The flow-matching velocity MSE of the batch. */
    private static NDArray loss(DiffusionTransformer net, ParameterStore parameterStore, DiffusionConfig config,
            Batch batch, NDManager arrays) {
        int b = config.batchSize();
        Shape latentShape = new Shape(b, config.latentChannels(), config.latentSize(), config.latentSize());
        NDArray x0 = arrays.create(batch.latents(), latentShape);
        NDArray noise = arrays.create(batch.noise(), latentShape);
        NDArray states = arrays.create(batch.states(), new Shape(b, batch.promptLength(), config.promptDimension()));
        NDArray mask = arrays.create(batch.mask(), new Shape(b, batch.promptLength()));
        return net.flowMatchingLoss(parameterStore, x0, noise, arrays.create(batch.times()), states, mask,
                arrays.create(batch.dropPrompt()), true);
    }

    /** A cell drawn uniformly, or its theme by {@code themeWeights} first and then a cell of that theme. */
    static int trainingCell(List<Double> themeWeights, SplittableRandom random) {
        if (themeWeights.isEmpty()) {
            return random.nextInt(AutoencoderEvaluation.CELLS);
        }
        double u = random.nextDouble() * themeWeights.stream().mapToDouble(Double::doubleValue).sum();
        int theme = 0;
        while (theme < themeWeights.size() - 1 && u >= themeWeights.get(theme)) {
            u -= themeWeights.get(theme);
            theme++;
        }
        int perTheme = AutoencoderEvaluation.CELLS / Theme.values().length;
        return theme * perTheme + random.nextInt(perTheme);
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
            int cell = trainingCell(config.themeWeights(), random);
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
}
