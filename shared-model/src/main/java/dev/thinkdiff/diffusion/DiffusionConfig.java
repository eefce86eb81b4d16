package dev.thinkdiff.diffusion;

import static dev.thinkdiff.train.ConfigMaps.integers;
import static dev.thinkdiff.train.ConfigMaps.number;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public record DiffusionConfig(int width, int depth, int heads, int mlpRatio, int patchSize, int latentChannels,
                              int latentSize, int promptDimension, double promptDropProbability,
                              double answerProbability, double noiseProbability, double noiseMaxFraction,
                              double tokenDropExampleProbability, double tokenDropProbability, int batchSize,
                              int steps, double learningRate, double weightDecay, int warmupSteps,
                              double finalLearningRateFraction, int latentSeedsPerCell, long seed,
                              int checkpointInterval, int sampleSteps, double guidanceScale,
                              List<Integer> evalPhrasings, int evalSeeds) {

    public DiffusionConfig {
        evalPhrasings = List.copyOf(evalPhrasings);
        if (width % heads != 0 || latentSize % patchSize != 0 || depth < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1 || sampleSteps < 1 || latentSeedsPerCell < 1) {
            throw new IllegalArgumentException("invalid diffusion config: width " + width + ", heads " + heads
                    + ", latent " + latentSize + ", patch " + patchSize + ", depth " + depth + ", batch " + batchSize
                    + ", steps " + steps);
        }
    }

    /**
     * The shipped settings: d 192 × 4 blocks on 64 tokens (4×4 patches of the 32×32×4 latent), 7,000 steps: ~2.5
     * steps/s on one shared core (≈ 47 min), well inside the two-hour budget.
     */
    public static DiffusionConfig defaults() {
        return new DiffusionConfig(192, 4, 4, 4, 4, 4, 32, 384, 0.1, 0.2, 0.75, 0.5,
                0.3, 0.15, 32, 7000, 6e-4, 0.01, 200, 0.1, 24, 20250612L, 250, 20, 3.0, List.of(0, 1), 2);
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

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("width", width);
        map.put("depth", depth);
        map.put("heads", heads);
        map.put("mlp_ratio", mlpRatio);
        map.put("patch_size", patchSize);
        map.put("latent_channels", latentChannels);
        map.put("latent_size", latentSize);
        map.put("prompt_dimension", promptDimension);
        map.put("prompt_drop_probability", promptDropProbability);
        map.put("answer_probability", answerProbability);
        map.put("noise_probability", noiseProbability);
        map.put("noise_max_fraction", noiseMaxFraction);
        map.put("token_drop_example_probability", tokenDropExampleProbability);
        map.put("token_drop_probability", tokenDropProbability);
        map.put("batch_size", batchSize);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("latent_seeds_per_cell", latentSeedsPerCell);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        map.put("sample_steps", sampleSteps);
        map.put("guidance_scale", guidanceScale);
        map.put("eval_phrasings", evalPhrasings);
        map.put("eval_seeds", evalSeeds);
        return map;
    }

    public static DiffusionConfig fromMap(Map<String, ?> map) {
        return new DiffusionConfig(number(map, "width").intValue(), number(map, "depth").intValue(),
                number(map, "heads").intValue(), number(map, "mlp_ratio").intValue(),
                number(map, "patch_size").intValue(), number(map, "latent_channels").intValue(),
                number(map, "latent_size").intValue(), number(map, "prompt_dimension").intValue(),
                number(map, "prompt_drop_probability").doubleValue(), number(map, "answer_probability").doubleValue(),
                number(map, "noise_probability").doubleValue(), number(map, "noise_max_fraction").doubleValue(),
                number(map, "token_drop_example_probability").doubleValue(),
                number(map, "token_drop_probability").doubleValue(), number(map, "batch_size").intValue(),
                number(map, "steps").intValue(), number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(), number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(),
                number(map, "latent_seeds_per_cell").intValue(), number(map, "seed").longValue(),
                number(map, "checkpoint_interval").intValue(), number(map, "sample_steps").intValue(),
                number(map, "guidance_scale").doubleValue(), integers(map, "eval_phrasings"),
                number(map, "eval_seeds").intValue());
    }
}
