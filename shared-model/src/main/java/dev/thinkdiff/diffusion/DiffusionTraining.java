package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

/**
 * Trains the diffusion decoder by rectified flow (as FLUX): for a latent x0 of a training-range render, noise ε and
 * t ~ logit-normal, x_t = (1−t)·x0 + t·ε and the network regresses the velocity ε − x0 (mean squared error). Each
 * example's prompt is one of the cell's 4 caption phrasings or the prompt-style answer (or, as an edit example, that
 * text for another attribute followed by an {@link EditPhrases} phrase asking for the cell's; or, as a pair, two
 * texts that each give one of the two and a phrase saying which), with the robustness
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

    /**
     * An edit example drawing {@code cell}: the text of the same subject with another attribute of the theme, then
     * the phrase asking for the cell's attribute, as two prompts' states one after the other (as ThinkDiff-CLIP hands
     * on an image's tokens and the user's text).
     */
    private static int[] editTexts(int cell, int variant, SplittableRandom random) {
        Cell target = AutoencoderEvaluation.cellOf(cell);
        int source = other(target.attribute(), random);
        int sourceCell = cell - target.attribute() + source;
        return new int[] {PromptPool.cellText(sourceCell, variant),
                PromptPool.editPhrase(target.theme(), target.attribute(), random.nextInt(EditPhrases.WORDINGS))};
    }

    /**
     * A pair example drawing {@code cell}: the texts of two cells of its theme, one with the cell's subject and another
     * attribute, one with another subject and the cell's attribute, in either order, then the phrase saying which
     * gives which (the cells differ in both, as in ThinkDiff-CLIP's two-image case).
     */
    private static int[] pairTexts(int cell, int variant, SplittableRandom random) {
        Cell target = AutoencoderEvaluation.cellOf(cell);
        int otherAttribute = other(target.attribute(), random);
        int otherSubject = other(target.subject(), random);
        int themeBase = cell - target.subject() * ItemList.SIZE - target.attribute();
        int subjectText = PromptPool.cellText(themeBase + target.subject() * ItemList.SIZE + otherAttribute, variant);
        int attributeText = PromptPool.cellText(themeBase + otherSubject * ItemList.SIZE + target.attribute(),
                variant);
        boolean subjectFromFirst = random.nextBoolean();
        int roles = PromptPool.rolesPhrase(target.theme(), subjectFromFirst, random.nextInt(EditPhrases.WORDINGS));
        return subjectFromFirst ? new int[] {subjectText, attributeText, roles}
                : new int[] {attributeText, subjectText, roles};
    }

    /** An item index other than {@code index}, uniformly. */
    private static int other(int index, SplittableRandom random) {
        return (index + 1 + random.nextInt(ItemList.SIZE - 1)) % ItemList.SIZE;
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
        int[][] texts = new int[b][];
        int length = 1;
        for (int i = 0; i < b; i++) {
            int cell = trainingCell(config.themeWeights(), random);
            latents.copy(cell, random.nextInt(latents.seedsPerCell()), x0, i);
            int variant = random.nextDouble() < config.answerProbability() ? PromptPool.ANSWER
                    : random.nextInt(PromptPool.ANSWER);
            // drawn only when compositions are on, so that a run without them keeps its batches from before the keys
            double composition = config.editProbability() + config.pairProbability() > 0 ? random.nextDouble() : 1;
            texts[i] = composition < config.editProbability() ? editTexts(cell, variant, random)
                    : composition < config.editProbability() + config.pairProbability()
                    ? pairTexts(cell, variant, random) : new int[] {PromptPool.cellText(cell, variant)};
            length = Math.max(length, Arrays.stream(texts[i]).map(prompts::length).sum());
            drop[i] = random.nextDouble() < config.promptDropProbability() ? 1f : 0f;
            times[i] = DiffusionTransformer.sampleTime(random);
        }
        int d = prompts.dimension();
        float[] states = new float[b * length * d];
        float[] mask = new float[b * length];
        for (int i = 0; i < b; i++) {
            int t = 0;
            for (int text : texts[i]) {
                float[] segment = prompts.states(text);
                System.arraycopy(segment, 0, states, (i * length + t) * d, segment.length);
                t += prompts.length(text);
            }
            Arrays.fill(mask, i * length, i * length + t, 1f);
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
