package dev.thinkdiff.llm;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to rebuild and retrain the pocket LLM decoder; stored as the manifest's {@code config}.
 *
 * @param width model width D
 * @param layers decoder layers (self-attention, cross-attention to the prompt states, MLP)
 * @param heads attention heads
 * @param mlpHidden MLP hidden width
 * @param maxTargetTokens longest decoded text in word pieces, the end token included (positions = this)
 * @param memoryWidth width of the prompt encoder's token states (384 for MiniLM)
 * @param batchSize examples per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param corpusTexts distinct {@code TextCorpus} sentences in the training pool (each also gives a continuation)
 * @param corpusShare share of examples drawn from corpus sentences (the rest: captions and VLM answers)
 * @param answerShare share of examples drawn from the VLM answer phrasing ("create an image of …")
 * @param continuationShare share of examples that continue a prefix instead of reconstructing the whole text
 * @param maxNoise per-example Gaussian noise on the prompt states, σ ~ U[0, maxNoise] × the example's state RMS
 * @param keyDropout probability of hiding each prompt token from cross-attention (never all of them)
 * @param minScale per-example rescaling of the prompt states, log-uniform in [minScale, 1 / minScale]
 * @param heldOutCellsPerTheme cells per theme whose held-out phrasing is kept out of training for evaluation
 * @param seed parameter initialisation, training pool and per-step sampling (step k is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 */
public record LlmDecoderConfig(int width, int layers, int heads, int mlpHidden, int maxTargetTokens, int memoryWidth,
                               int batchSize, int steps, double learningRate, double weightDecay, int warmupSteps,
                               double finalLearningRateFraction, int corpusTexts, double corpusShare,
                               double answerShare, double continuationShare, double maxNoise, double keyDropout,
                               double minScale, int heldOutCellsPerTheme, long seed, int checkpointInterval) {

    public LlmDecoderConfig {
        if (width < 1 || layers < 1 || heads < 1 || width % heads != 0 || mlpHidden < 1 || maxTargetTokens < 2
                || memoryWidth < 1 || batchSize < 1 || steps < 1 || checkpointInterval < 1 || corpusTexts < 0
                || corpusShare < 0 || answerShare < 0 || corpusShare + answerShare > 1 || continuationShare < 0
                || continuationShare > 1 || maxNoise < 0 || keyDropout < 0 || keyDropout >= 1 || minScale <= 0
                || minScale > 1 || heldOutCellsPerTheme < 0 || heldOutCellsPerTheme > 100) {
            throw new IllegalArgumentException("invalid LLM decoder config: " + this);
        }
    }

    /** The shipped decoder: ~2.3 M parameters, trained within about an hour on 2 shared cores. */
    public static LlmDecoderConfig defaults() {
        return new LlmDecoderConfig(192, 4, 4, 576, 40, 384, 64, 4000, 1e-3, 0.05, 200, 0.05, 25_000, 0.55, 0.1,
                0.3, 0.5, 0.12, 0.8, 40, 20250602L, 250);
    }

    public LlmDecoderConfig withSteps(int newSteps) {
        return new LlmDecoderConfig(width, layers, heads, mlpHidden, maxTargetTokens, memoryWidth, batchSize, newSteps,
                learningRate, weightDecay, warmupSteps, finalLearningRateFraction, corpusTexts, corpusShare,
                answerShare, continuationShare, maxNoise, keyDropout, minScale, heldOutCellsPerTheme, seed,
                checkpointInterval);
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("width", width);
        map.put("layers", layers);
        map.put("heads", heads);
        map.put("mlp_hidden", mlpHidden);
        map.put("max_target_tokens", maxTargetTokens);
        map.put("memory_width", memoryWidth);
        map.put("batch_size", batchSize);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("corpus_texts", corpusTexts);
        map.put("corpus_share", corpusShare);
        map.put("answer_share", answerShare);
        map.put("continuation_share", continuationShare);
        map.put("max_noise", maxNoise);
        map.put("key_dropout", keyDropout);
        map.put("min_scale", minScale);
        map.put("held_out_cells_per_theme", heldOutCellsPerTheme);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        return map;
    }

    /** Reads what {@link #toMap()} wrote, also after a JSON round trip (numbers may come back as other types). */
    public static LlmDecoderConfig fromMap(Map<String, ?> map) {
        return new LlmDecoderConfig(
                number(map, "width").intValue(),
                number(map, "layers").intValue(),
                number(map, "heads").intValue(),
                number(map, "mlp_hidden").intValue(),
                number(map, "max_target_tokens").intValue(),
                number(map, "memory_width").intValue(),
                number(map, "batch_size").intValue(),
                number(map, "steps").intValue(),
                number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(),
                number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(),
                number(map, "corpus_texts").intValue(),
                number(map, "corpus_share").doubleValue(),
                number(map, "answer_share").doubleValue(),
                number(map, "continuation_share").doubleValue(),
                number(map, "max_noise").doubleValue(),
                number(map, "key_dropout").doubleValue(),
                number(map, "min_scale").doubleValue(),
                number(map, "held_out_cells_per_theme").intValue(),
                number(map, "seed").longValue(),
                number(map, "checkpoint_interval").intValue());
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("LLM decoder config lacks '" + key + "'; has " + map.keySet());
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("LLM decoder config '" + key + "' must be a number, got " + value);
        }
        return number;
    }
}
