package dev.thinkdiff.vlm;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * Everything needed to rebuild and retrain the pocket VLM; stored as the manifest's {@code config}.
 *
 * @param channels conv filters per stage of the vision trunk (max-pooled between stages)
 * @param convsPerStage 3×3 conv → GroupNorm → ReLU units per stage
 * @param stemStride stride of the very first conv
 * @param normGroups GroupNorm groups
 * @param visualGrid the trunk's last feature map is average-pooled to visualGrid × visualGrid image tokens
 * @param width transformer width D
 * @param layers causal transformer layers
 * @param heads attention heads
 * @param mlpHidden MLP hidden width
 * @param maxPositions longest sequence (prompt + answer + end token) in tokens, image tokens included
 * @param episodesPerStep in-context episodes per step; each is paired with a captioning sample of its expected cell
 * @param maxShots demos per training episode are uniform in 1..maxShots
 * @param typeOneShare share of training episodes drawn from the five type-I tasks (0.5: all ten tasks uniform). Type-I
 *     episodes are the only sequences whose answer takes its attribute word from the text rather than from an image;
 *     at 0.5 the VLM learnt to answer them with the attribute of a demo image at 4 shots
 * @param episodeInstructionShare share of training episodes preceded by an instruction
 * @param consistencyWeight λ of the mode-consistency term (1 − cosine between the answer-position states of an
 *     episode and its paired caption); 0 turns it off
 * @param imageLabelWeight weight of the auxiliary image-label loss on every training image (attribute and subject
 *     classified from the image's mean token); 0 turns it off
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices and kernels
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param maxGradientNorm gradients are clipped to this global norm (0: not clipped, as runs before the key were; a
 *     run at type-I share 0.7 without it spiked from loss 1.0 to 13.7 at step ~390)
 * @param maxNewTokens generation limit (the longest answer is far shorter)
 * @param seed parameter initialisation and per-step sampling (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 * @param wordingShare share of training rows (episode and its caption) worded by a {@link WordingFamily#training()}
 *     family instead of the benchmark's items after an optional instruction (0, as runs before the key: none)
 * @param initFrom the published VLM version training starts from (fine-tuning, same architecture and vocabulary), or
 *     "" for a seeded initialisation (as runs before the key)
 * @param evalPrompts benchmark prompts per task and shot count of the evaluation that ends training (1000, as runs
 *     before the key: all); sizes the figures only, the weights do not depend on it
 */
@RecordBuilder
public record VlmConfig(List<Integer> channels, int convsPerStage, int stemStride, int normGroups, int visualGrid,
                        int width, int layers, int heads, int mlpHidden, int maxPositions, int episodesPerStep,
                        int maxShots, double typeOneShare, double episodeInstructionShare, double consistencyWeight,
                        double imageLabelWeight, int steps,
                        double learningRate, double weightDecay, int warmupSteps, double finalLearningRateFraction,
                        double maxGradientNorm, int maxNewTokens, long seed, int checkpointInterval,
                        double wordingShare, String initFrom, int evalPrompts)
                        implements ModelConfig {

    /** Uniform over the ten tasks: what a config written before the key existed was trained with. */
    static final double DEFAULT_TYPE_ONE_SHARE = 0.5;

    /** Reads and writes the manifest's {@code config}; keys added later read as older versions were trained. */
    public static final ConfigCodec<VlmConfig> CODEC = ConfigCodec.of(VlmConfig.class, Components.VLM)
            .legacyDefault("type_one_share", DEFAULT_TYPE_ONE_SHARE)
            .legacyDefault("max_gradient_norm", 0.0)
            .legacyDefault("wording_share", 0.0)
            .legacyDefault("init_from", "")
            .legacyDefault("eval_prompts", 1000);

    public VlmConfig {
        channels = List.copyOf(channels);
        int finalMap = channels.isEmpty() || stemStride < 1 ? 0
                : 64 / stemStride >> (channels.size() - 1);
        if (channels.isEmpty() || channels.stream().anyMatch(c -> c < 1 || c % normGroups != 0) || convsPerStage < 1
                || normGroups < 1 || visualGrid < 1 || finalMap < visualGrid || finalMap % visualGrid != 0
                || width < 1 || layers < 1 || heads < 1 || width % heads != 0 || mlpHidden < 1 || maxPositions < 8
                || episodesPerStep < 1 || maxShots < 1 || maxShots > 8 || typeOneShare < 0.5 || typeOneShare >= 1
                || episodeInstructionShare < 0 || episodeInstructionShare > 1 || maxGradientNorm < 0
                || consistencyWeight < 0 || imageLabelWeight < 0 || steps < 1 || checkpointInterval < 1
                || maxNewTokens < 1 || wordingShare < 0 || wordingShare > 1 || initFrom == null || evalPrompts < 0
                || evalPrompts > 1000) {
            throw new IllegalArgumentException("invalid VLM config: " + this);
        }
    }

    /** The shipped VLM: ~2.4 M parameters, trained within about an hour on 2 shared cores. */
    public static VlmConfig defaults() {
        return VlmConfigBuilder.builder()
                .channels(List.of(24, 48, 96, 192)).convsPerStage(2).stemStride(2).normGroups(8).visualGrid(2)
                .width(192).layers(4).heads(4).mlpHidden(576).maxPositions(160).episodesPerStep(24).maxShots(8)
                .typeOneShare(0.7).episodeInstructionShare(0.6).consistencyWeight(0.5).imageLabelWeight(0.5)
                .steps(2000).learningRate(1.5e-3).weightDecay(0.05).warmupSteps(100).finalLearningRateFraction(0.05)
                .maxGradientNorm(1.0).maxNewTokens(24).seed(20250603L).checkpointInterval(100)
                .wordingShare(0).initFrom("").evalPrompts(1000)
                .build();
    }

    /** Image tokens per image. */
    public int imageTokens() {
        return visualGrid * visualGrid;
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay)
                .withGradientClipping(maxGradientNorm);
    }
}
