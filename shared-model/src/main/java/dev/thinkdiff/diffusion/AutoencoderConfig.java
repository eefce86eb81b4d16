package dev.thinkdiff.diffusion;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * Everything needed to rebuild and retrain the image autoencoder; stored as the manifest's {@code config}. The latent
 * scale is a result of training, not a setting: it is stored in the manifest's metrics as {@code latent_scale}.
 *
 * @param channels conv widths per resolution: the first at 64×64, each further one a stride-2 stage (so
 *     {@code [32, 64, 64]} maps 64×64×3 → 16×16×latentChannels and {@code [32, 64]} → 32×32×latentChannels)
 * @param latentChannels channels of the latent grid
 * @param normGroups GroupNorm groups (both widths must divide by it)
 * @param batchSize training images per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on kernels
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param edgeWeight weight of the L1 loss on horizontal/vertical pixel differences (keeps outlines and textures sharp)
 * @param latentPenalty weight of mean(z²): keeps the latent scale from drifting without a KL term
 * @param seed initialisation and data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 * @param evalImages benchmark-range renders for the final reconstruction metrics and the latent scale
 */
@RecordBuilder
public record AutoencoderConfig(List<Integer> channels, int latentChannels, int normGroups, int batchSize, int steps,
                                double learningRate, double weightDecay, int warmupSteps,
                                double finalLearningRateFraction, double edgeWeight, double latentPenalty, long seed,
                                int checkpointInterval, int evalImages) implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<AutoencoderConfig> CODEC = ConfigCodec.of(AutoencoderConfig.class, Components.AUTOENCODER);

    public AutoencoderConfig {
        channels = List.copyOf(channels);
        if (channels.size() < 2 || channels.size() > 4 || latentChannels < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1
                || channels.stream().anyMatch(c -> c % normGroups != 0)) {
            throw new IllegalArgumentException("invalid autoencoder config: channels " + channels + ", groups "
                    + normGroups + ", latent " + latentChannels + ", batch " + batchSize + ", steps " + steps);
        }
    }

    /**
     * The shipped settings: 64×64×3 → 32×32×4 (one stride-2 stage), 3,000 steps (~30 min on one shared core).
     * History: a peak rate of 2e-3 diverged to NaN after ~450 steps; the 16×16×4 latent (two stages) reached 23.0 dB
     * PSNR after 4,000 steps but the judge recognised only 0.83 of its reconstructions (stripes and action cues were
     * lost); 16×16×8 (widths 32, 64, 96) still trailed this one's loss by half at equal steps.
     */
    public static AutoencoderConfig defaults() {
        return AutoencoderConfigBuilder.builder()
                .channels(List.of(32, 64)).latentChannels(4).normGroups(8).batchSize(16).steps(3000)
                .learningRate(1e-3).weightDecay(0.01).warmupSteps(100).finalLearningRateFraction(0.05)
                .edgeWeight(0.5).latentPenalty(1e-4).seed(20250611L).checkpointInterval(200).evalImages(1000)
                .build();
    }

    /** Side of the latent grid: the 64×64 image halved once per stage after the first. */
    public int latentSize() {
        return ImageTensors.SIZE >> (channels.size() - 1);
    }

    public int latentFloats() {
        return latentChannels * latentSize() * latentSize();
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }
}
