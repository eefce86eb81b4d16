package dev.thinkdiff.llm;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;

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
@RecordBuilder
public record LlmDecoderConfig(int width, int layers, int heads, int mlpHidden, int maxTargetTokens, int memoryWidth,
                               int batchSize, int steps, double learningRate, double weightDecay, int warmupSteps,
                               double finalLearningRateFraction, int corpusTexts, double corpusShare,
                               double answerShare, double continuationShare, double maxNoise, double keyDropout,
                               double minScale, int heldOutCellsPerTheme, long seed, int checkpointInterval)
                               implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<LlmDecoderConfig> CODEC = ConfigCodec.of(LlmDecoderConfig.class, Components.LLM_DECODER);

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
        return LlmDecoderConfigBuilder.builder()
                .width(192).layers(4).heads(4).mlpHidden(576).maxTargetTokens(40).memoryWidth(384).batchSize(64)
                .steps(4000).learningRate(1e-3).weightDecay(0.05).warmupSteps(200).finalLearningRateFraction(0.05)
                .corpusTexts(25_000).corpusShare(0.55).answerShare(0.1).continuationShare(0.3).maxNoise(0.5)
                .keyDropout(0.12).minScale(0.8).heldOutCellsPerTheme(40).seed(20250602L).checkpointInterval(250)
                .build();
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }
}
