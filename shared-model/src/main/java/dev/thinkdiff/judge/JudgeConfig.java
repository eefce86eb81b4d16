package dev.thinkdiff.judge;

import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Arrays;
import java.util.List;

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
@RecordBuilder
public record JudgeConfig(List<Integer> channels, int stemStride, int convsPerStage, int normGroups, int batchSize,
                          int steps, double learningRate, double weightDecay, int warmupSteps,
                          double finalLearningRateFraction, List<String> themes, long seed, int checkpointInterval,
                          int evalImages, long evalSeedOffset) implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<JudgeConfig> CODEC = ConfigCodec.of(JudgeConfig.class, Components.JUDGE);

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
        return JudgeConfigBuilder.builder()
                .channels(List.of(32, 64, 128, 256)).stemStride(2).convsPerStage(1).normGroups(8).batchSize(128)
                .steps(2400).learningRate(3e-3).weightDecay(0.05).warmupSteps(100).finalLearningRateFraction(0.02)
                .themes(ALL_THEMES).seed(20250601L).checkpointInterval(250).evalImages(4000).evalSeedOffset(0L)
                .build();
    }

    public List<Theme> trainingThemes() {
        return themes.stream().map(Theme::byId).toList();
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }
}
