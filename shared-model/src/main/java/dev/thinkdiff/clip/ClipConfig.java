package dev.thinkdiff.clip;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * Everything needed to rebuild and retrain the ThinkDiff-CLIP vision encoder; stored as the manifest's {@code config}.
 *
 * @param channels conv channels per stage (a 2×2 max-pool between stages)
 * @param convsPerStage 3×3 convolutions per stage
 * @param normGroups GroupNorm groups
 * @param grid the patch grid g: the last feature map is average-pooled to g×g patch tokens
 * @param width width of the image tokens (the aligner's input)
 * @param embedDimension width of the contrastive embedding: the prompt encoder's sentence embedding
 * @param temperature InfoNCE temperature τ (logits = cos / τ)
 * @param evalImages benchmark-range renders per cell for the final retrieval figure
 * @param batchSize image–text pairs of distinct cells per step (each pair's negatives are the others)
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param seed parameter initialisation and training data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 */
@RecordBuilder
public record ClipConfig(List<Integer> channels, int convsPerStage, int normGroups, int grid, int width,
                         int embedDimension, double temperature, int batchSize, int steps, double learningRate,
                         double weightDecay, int warmupSteps, double finalLearningRateFraction, long seed,
                         int checkpointInterval, int evalImages) implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<ClipConfig> CODEC = ConfigCodec.of(ClipConfig.class, Components.CLIP_VISION);

    /** The first conv halves the 64×64 input, so the stages see 32, 16, 8, … pixels. */
    static final int STEM_STRIDE = 2;

    public ClipConfig {
        channels = List.copyOf(channels);
        int finalMap = 64 / STEM_STRIDE >> (channels.size() - 1);
        if (channels.isEmpty() || convsPerStage < 1 || grid < 1 || finalMap % grid != 0 || width < 1
                || embedDimension < 1 || temperature <= 0 || batchSize < 2 || steps < 1 || checkpointInterval < 1
                || evalImages < 1 || channels.stream().anyMatch(c -> c % normGroups != 0)) {
            throw new IllegalArgumentException("invalid clip-vision config: " + this);
        }
    }

    /** A 0.28 M-parameter encoder, 2×2 patches + the pooled token, trained for about 8 minutes on one core. */
    public static ClipConfig defaults() {
        return ClipConfigBuilder.builder()
                .channels(List.of(32, 64, 96)).convsPerStage(2).normGroups(8).grid(2).width(128).embedDimension(384)
                .temperature(0.07).batchSize(64).steps(1500).learningRate(2e-3).weightDecay(0.05).warmupSteps(100)
                .finalLearningRateFraction(0.05).seed(20260601L).checkpointInterval(250).evalImages(1)
                .build();
    }

    /** Image tokens per image: the pooled token, then the g² patch tokens. */
    public int tokens() {
        return 1 + grid * grid;
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }
}
