package dev.thinkdiff.judge;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.cobsat.Theme;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to rebuild and retrain the CoBSAT judge; stored as the manifest's {@code config}.
 *
 * @param channels conv channels per stage; every stage but the last ends with a 2×2 max-pool, the last with a global
 *     average pool (4 stages see 64, 32, 16 and 8 pixels)
 * @param stemStride stride of the very first conv (2 halves the resolution the first stage works at: 4× cheaper)
 * @param convsPerStage 3×3 conv → GroupNorm → ReLU repeats in each stage
 * @param normGroups GroupNorm groups (every stage's channel count must be divisible by it)
 * @param batchSize training images per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on kernels and matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param themes ids of the themes trained on (all five for the judge; fewer only for quick experiments)
 * @param seed parameter initialisation and training data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 * @param evalImages fresh benchmark-range renders in the final evaluation (spread evenly over the 500 cells)
 * @param evalSeedOffset first benchmark-range seed offset used by the evaluation
 */
public record JudgeConfig(List<Integer> channels, int stemStride, int convsPerStage, int normGroups, int batchSize,
                          int steps, double learningRate, double weightDecay, int warmupSteps,
                          double finalLearningRateFraction, List<String> themes, long seed, int checkpointInterval,
                          int evalImages, long evalSeedOffset) {

    public JudgeConfig {
        channels = List.copyOf(channels);
        themes = List.copyOf(themes);
        themes.forEach(Theme::byId);
        if (channels.isEmpty() || themes.isEmpty() || stemStride < 1 || convsPerStage < 1 || batchSize < 1
                || steps < 1 || checkpointInterval < 1 || evalImages < 0) {
            throw new IllegalArgumentException("invalid judge config: " + channels + ", convs " + convsPerStage
                    + ", batch " + batchSize + ", steps " + steps + ", checkpoint every " + checkpointInterval
                    + ", eval " + evalImages);
        }
        for (int c : channels) {
            if (c % normGroups != 0) {
                throw new IllegalArgumentException(c + " channels are not divisible into " + normGroups + " groups");
            }
        }
    }

    public static final List<String> ALL_THEMES = Arrays.stream(Theme.values()).map(Theme::id).toList();

    /** The shipped judge's settings: tuned to pass the acceptance bar within ~20 minutes on 2 cores. */
    public static JudgeConfig defaults() {
        return new JudgeConfig(List.of(32, 64, 128, 256), 2, 1, 8, 128, 2400, 3e-3, 0.05, 100, 0.02, ALL_THEMES,
                20250601L, 250, 4000, 0L);
    }

    public JudgeConfig withSteps(int newSteps) {
        return new JudgeConfig(channels, stemStride, convsPerStage, normGroups, batchSize, newSteps, learningRate, weightDecay,
                warmupSteps, finalLearningRateFraction, themes, seed, checkpointInterval, evalImages, evalSeedOffset);
    }

    public List<Theme> trainingThemes() {
        return themes.stream().map(Theme::byId).toList();
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("channels", channels);
        map.put("stem_stride", stemStride);
        map.put("convs_per_stage", convsPerStage);
        map.put("norm_groups", normGroups);
        map.put("batch_size", batchSize);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("themes", themes);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        map.put("eval_images", evalImages);
        map.put("eval_seed_offset", evalSeedOffset);
        return map;
    }

    /** Reads what {@link #toMap()} wrote, also after a JSON round trip (numbers may come back as other types). */
    public static JudgeConfig fromMap(Map<String, ?> map) {
        List<?> channelList = (List<?>) require(map, "channels");
        return new JudgeConfig(
                channelList.stream().map(c -> ((Number) c).intValue()).toList(),
                number(map, "stem_stride").intValue(),
                number(map, "convs_per_stage").intValue(),
                number(map, "norm_groups").intValue(),
                number(map, "batch_size").intValue(),
                number(map, "steps").intValue(),
                number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(),
                number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(),
                ((List<?>) require(map, "themes")).stream().map(String::valueOf).toList(),
                number(map, "seed").longValue(),
                number(map, "checkpoint_interval").intValue(),
                number(map, "eval_images").intValue(),
                number(map, "eval_seed_offset").longValue());
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("judge config '" + key + "' must be a number, got " + value);
        }
        return number;
    }

    private static Object require(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("judge config lacks '" + key + "'; has " + map.keySet());
        }
        return value;
    }
}
