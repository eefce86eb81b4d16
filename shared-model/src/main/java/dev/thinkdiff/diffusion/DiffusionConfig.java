package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * Everything needed to rebuild and retrain the diffusion decoder; stored as the manifest's {@code config}.
 *
 * @param width transformer width D
 * @param depth number of DiT blocks
 * @param heads attention heads (self and cross)
 * @param mlpRatio MLP hidden width / D
 * @param patchSize latent patch side (4 on 32×32 latents: 64 tokens)
 * @param latentChannels channels of the autoencoder's latent
 * @param latentSize side of the autoencoder's latent
 * @param promptDimension width of the prompt states (384 for MiniLM)
 * @param promptDropProbability chance that a training example sees the learned null prompt instead of its own
 *     (classifier-free guidance)
 * @param answerProbability chance that a training example's text is the prompt-style answer
 *     ("create an image of …") rather than one of the caption phrasings
 * @param noiseProbability chance that an example's prompt states get Gaussian noise
 * @param noiseMaxFraction the noise σ is uniform in [0, this] × the example's state RMS
 * @param tokenDropExampleProbability chance that an example gets token dropout at all
 * @param tokenDropProbability per-token chance of being hidden from cross-attention in such an example
 * @param batchSize training examples per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param latentSeedsPerCell training-range renders per cell encoded once into the latent pool
 * @param seed initialisation and data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 * @param sampleSteps default Euler steps at inference
 * @param guidanceScale default classifier-free guidance scale at inference
 * @param evalPhrasings caption phrasings used by the evaluation (each cell × each phrasing × evalSeeds)
 * @param evalSeeds sampling seeds per (cell, phrasing) in the evaluation
 * @param themeWeights how often a training example is of each theme, relative, in {@link Theme} order (color,
 *     background, style, action, texture; empty: every cell equally often, the shipped model before the key)
 * @param editProbability chance that a training example is an edit: the text of the same subject with another
 *     attribute, then an {@link EditPhrases} phrase asking for the example's own (0: none, as before the key)
 * @param pairProbability chance that a training example is a pair: the texts of two cells of its theme, then an
 *     {@link EditPhrases#roles} phrase saying which gives the subject and which the attribute (0: none)
 * @param promptPositions learned position codes added to the first this many prompt tokens before cross-attention
 *     (later tokens share the last), so that the order of a prompt's parts can be read (0: none, the prompt is a set
 *     to cross-attention, as before the key)
 */
@RecordBuilder
public record DiffusionConfig(int width, int depth, int heads, int mlpRatio, int patchSize, int latentChannels,
                              int latentSize, int promptDimension, double promptDropProbability,
                              double answerProbability, double noiseProbability, double noiseMaxFraction,
                              double tokenDropExampleProbability, double tokenDropProbability, int batchSize,
                              int steps, double learningRate, double weightDecay, int warmupSteps,
                              double finalLearningRateFraction, int latentSeedsPerCell, long seed,
                              int checkpointInterval, int sampleSteps, double guidanceScale,
                              List<Integer> evalPhrasings, int evalSeeds, List<Double> themeWeights,
                              double editProbability, double pairProbability, int promptPositions)
        implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<DiffusionConfig> CODEC = ConfigCodec.of(DiffusionConfig.class,
            Components.DIFFUSION).legacyDefault("theme_weights", List.of())
            .legacyDefault("edit_probability", 0.0).legacyDefault("pair_probability", 0.0)
            .legacyDefault("prompt_positions", 0);

    public DiffusionConfig {
        evalPhrasings = List.copyOf(evalPhrasings);
        themeWeights = List.copyOf(themeWeights);
        if (!themeWeights.isEmpty() && (themeWeights.size() != Theme.values().length
                || themeWeights.stream().anyMatch(w -> !(w >= 0))
                || themeWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0)) {
            throw new IllegalArgumentException("theme_weights: one non-negative weight per theme ("
                    + Theme.values().length + "), not all zero; got " + themeWeights);
        }
        if (width % heads != 0 || latentSize % patchSize != 0 || depth < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1 || sampleSteps < 1 || latentSeedsPerCell < 1
                || !(editProbability >= 0 && pairProbability >= 0 && editProbability + pairProbability <= 1)
                || promptPositions < 0) {
            throw new IllegalArgumentException("invalid diffusion config: width " + width + ", heads " + heads
                    + ", latent " + latentSize + ", patch " + patchSize + ", depth " + depth + ", batch " + batchSize
                    + ", steps " + steps + ", edit / pair probability " + editProbability + " / " + pairProbability
                    + ", prompt positions " + promptPositions);
        }
    }

    /**
     * The shipped settings: d 192 × 4 blocks on 64 tokens (4×4 patches of the 32×32×4 latent), 7,000 steps: ~2.5
     * steps/s on one shared core (≈ 47 min), well inside the two-hour budget.
     */
    public static DiffusionConfig defaults() {
        return DiffusionConfigBuilder.builder()
                .width(192).depth(4).heads(4).mlpRatio(4).patchSize(4).latentChannels(4).latentSize(32)
                .promptDimension(384).promptDropProbability(0.1).answerProbability(0.2).noiseProbability(0.75)
                .noiseMaxFraction(0.5).tokenDropExampleProbability(0.3).tokenDropProbability(0.15).batchSize(32)
                .steps(7000).learningRate(6e-4).weightDecay(0.01).warmupSteps(200).finalLearningRateFraction(0.1)
                .latentSeedsPerCell(24).seed(20250612L).checkpointInterval(250).sampleSteps(20).guidanceScale(3.0)
                .evalPhrasings(List.of(0, 1)).evalSeeds(2).themeWeights(List.of()).editProbability(0)
                .pairProbability(0).promptPositions(0)
                .build();
    }

    /** Latent tokens per image: (latentSize / patchSize)². */
    public int tokens() {
        int side = latentSize / patchSize;
        return side * side;
    }

    /** Floats per patch token: patch² × latent channels. */
    public int patchFloats() {
        return patchSize * patchSize * latentChannels;
    }

    public int latentFloats() {
        return latentChannels * latentSize * latentSize;
    }

    /**
     * Multiply-adds ×2 of one denoiser forward pass for one image with {@code promptTokens} prompt tokens: the
     * matmuls (patch embedding, per block: self-attention projections and scores, cross-attention projections and
     * scores, MLP, adaLN modulation; conditioning MLPs; output layer). Norms and element-wise ops are not counted.
     */
    public long forwardFlops(int promptTokens) {
        long n = tokens();
        long d = width;
        long t = promptTokens;
        long perBlock = 4 * n * d * d // self-attention q, k, v, output
                + 2 * n * n * d // scores and mixing
                + 2 * n * d * d + 2 * t * promptDimension * d // cross-attention q, output; k, v of the prompt
                + 2 * n * t * d // cross scores and mixing
                + 2 * n * d * d * mlpRatio // MLP
                + d * 6 * d; // adaLN modulation
        long conditioning = d * d + d * d // timestep MLP (sinusoid of width d)
                + promptDimension * d + d * d // pooled-prompt MLP
                + 2 * d * d; // final adaLN
        long io = n * patchFloats() * d * 2; // patch embedding in, projection out
        return 2 * (depth * perBlock + conditioning + io);
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }
}
