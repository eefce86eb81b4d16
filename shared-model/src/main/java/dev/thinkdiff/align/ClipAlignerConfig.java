package dev.thinkdiff.align;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Arrays;

/**
 * Everything needed to rebuild and retrain a ThinkDiff-CLIP aligner; stored as the manifest's {@code config}. The
 * aligner is ThinkDiff-LVLM's ({@link AlignerNet}, with the snap extension), reading CLIP image tokens instead of VLM
 * features.
 *
 * @param clipWidth width of the CLIP image tokens (the aligner's input)
 * @param imageTokens CLIP tokens per image (the pooled token and the patches)
 * @param positionCodes extension: each token enters the aligner with a one-hot code of its position appended, as a
 *     ViT's tokens carry their position embedding, so that the per-token aligner can give each position its own role
 *     (unused with a query set, whose positions have codes of their own)
 * @param promptDimension width of the prompt encoder's states (the aligner's output)
 * @param norm the closing RMSNorm, as {@link AlignerConfig#norm()}
 * @param poolImages model-training-range renders whose image tokens are computed once, the training set
 * @param wholeTextShare share of examples split before the first word, where the image tokens alone must spell
 *     the whole text (the others split at a uniformly random word)
 * @param answerTextOnly each image's text is its cell's VLM answer ({@code "create an image of …"}, the one phrasing
 *     the LVLM aligner hands the diffusion decoder) instead of one drawn from every caption phrasing and the answer,
 *     so that the image tokens spell one text rather than hedge between phrasings it cannot tell from the image
 * @param maxGradientNorm global gradient-norm clipping (0 = off)
 * @param alignedNoise Gaussian noise of this fraction of the aligned vectors' RMS added before the decoder in training
 * @param snapStates size of the bank of real encoder token states the aligned vectors are projected onto (0 = off)
 * @param snapScale sharpness of that projection
 * @param inferenceSnapScale sharpness of the projection in use (encode, evaluation), as
 *     {@link AlignerConfig#inferenceSnapScale()}
 * @param snapTopK the projection over the k nearest bank states only (0 = the whole bank), as
 *     {@link AlignerConfig#snapTopK()}
 * @param alignedPositions extension: 0 aligns each CLIP token to one vector (the paper's layout); a positive N gives
 *     N aligned positions per image, position q read from all of the image's tokens with a code of q (a learned query
 *     set), so that the image can spell a caption word piece by word piece as the LVLM aligner's features do
 * @param evalImages benchmark-range examples per case of the final demonstration
 * @param batchSize training images (with their caption texts) per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param seed parameter initialisation and training data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 */
@RecordBuilder
public record ClipAlignerConfig(int clipWidth, int imageTokens, boolean positionCodes, int promptDimension,
                                AlignerConfig.Norm norm, int poolImages, double wholeTextShare, boolean answerTextOnly,
                                int batchSize,
                                int steps, double learningRate, double weightDecay, int warmupSteps,
                                double finalLearningRateFraction, double maxGradientNorm, double alignedNoise,
                                int snapStates, double snapScale, double inferenceSnapScale, int snapTopK,
                                int alignedPositions,
                                long seed, int checkpointInterval, int evalImages) implements ModelConfig {

    /** Reads and writes the manifest's {@code config}. */
    public static final ConfigCodec<ClipAlignerConfig> CODEC = ConfigCodec.of(ClipAlignerConfig.class, Components.CLIP_ALIGNER)
            .legacyDefaultSameAs("inference_snap_scale", "snap_scale")
            .legacyDefault("snap_top_k", 0)
            .legacyDefault("aligned_positions", 0)
            .legacyDefault("answer_text_only", false);

    public ClipAlignerConfig {
        if (clipWidth < 1 || imageTokens < 1 || promptDimension < 1 || poolImages < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1 || wholeTextShare < 0 || wholeTextShare > 1 || maxGradientNorm < 0
                || alignedNoise < 0 || snapStates < 0 || snapScale <= 0 || inferenceSnapScale <= 0 || snapTopK < 0 || alignedPositions < 0
                || evalImages < 1) {
            throw new IllegalArgumentException("invalid aligner-clip config: " + this);
        }
    }

    /**
     * The shipped recipe: {@link #unsnapped()} with a query set of 12 positions per image (a caption's word pieces)
     * snapped onto the LVLM aligner's bank of 2,048 real encoder states at sharpness 7 over each vector's 8 nearest
     * states (10 in use, as the LVLM aligner), every image spelling its cell's VLM answer whole ("create an image of
     * …", {@link #answerTextOnly()}), a pool of 16,000 renders, 12,000 steps. Trained only through the frozen LLM
     * decoder, as before; the snap keeps the aligned vectors near the encoder's states, so the diffusion decoder draws
     * them (README, ThinkDiff-CLIP). Chosen on the training loss and on a development check (50 MODEL_TRAINING-range
     * renders per case; single image both-correct, the decoder reading the tokens back word for word): over the whole
     * bank the loss stalled at the decoder's prior (1.8–1.9 with 12 positions, also with query codes scaled up); over
     * the 8 nearest, with a text drawn from every caption phrasing and the answer, it fell to 0.88 in 3,000 steps
     * (0.54, reads 0.38), 0.73 in 6,000 (0.54) and 12,000 (0.60): the image cannot tell which phrasing to spell. With
     * the answer alone: 3,000 steps 0.085 (0.72, reads 0.84; sharpness 20 or 40 in use 0.72, 0.74), 6,000 steps 0.021
     * (0.82, 0.92), a pool of 16,000 renders instead of 4,000 at 3,000 steps 0.019 (0.80, 0.90), both 0.018
     * (0.92, 0.96), and 12,000 steps 0.006 (0.94, 1.00); 6,000 at sharpness 10 in training 0.038 (0.74, 0.92).
     * Sharpness 30 over the 8 nearest, every phrasing, reached only 1.22 in 3,000 (0.08).
     */
    public static ClipAlignerConfig defaults() {
        return ClipAlignerConfigBuilder.builder(unsnapped())
                .alignedPositions(12).snapStates(2048).snapScale(7).inferenceSnapScale(10).snapTopK(8)
                .wholeTextShare(1.0).answerTextOnly(true).poolImages(16000).steps(12000).checkpointInterval(500)
                .build();
    }

    /**
     * The previous shipped recipe (the paper's layout, one aligned vector per CLIP token, plus position codes and
     * noise): the LVLM aligner's network and optimiser on CLIP tokens with position codes, noise 0.3 × RMS, half the
     * texts spelled from the image alone, gradient clipping at 1, and WITHOUT snap. The decoder reads it (0.98) but the
     * diffusion decoder draws it at chance. On the training data, the LVLM default's snap (2,048 states at sharpness
     * 10) stalls at the loss the prefix alone allows (1.2–1.3 from step 150 on, also with position codes, without
     * noise or with every text spelled from the image; 1.7 then), and the frozen decoder reads nothing of the image
     * (0.000), while without snap the loss falls to ~0.4 in 400 steps. Sharper snap (30), at learning rates 1e-3 and
     * 3e-4, ends in a non-finite loss within 300 steps.
     */
    public static ClipAlignerConfig unsnapped() {
        return ClipAlignerConfigBuilder.builder()
                .clipWidth(128).imageTokens(5).positionCodes(true).promptDimension(384)
                .norm(AlignerConfig.Norm.ENCODER).poolImages(4000).wholeTextShare(0.5).answerTextOnly(false)
                .batchSize(32).steps(1500)
                .learningRate(1e-3).weightDecay(0.05).warmupSteps(100).finalLearningRateFraction(0.05)
                .maxGradientNorm(1.0).alignedNoise(0.3).snapStates(0).snapScale(10).inferenceSnapScale(10)
                .snapTopK(0).alignedPositions(0).seed(20260602L)
                .checkpointInterval(250).evalImages(100)
                .build();
    }

    /**
     * The same network as an LVLM aligner config, to build and load it with {@link AlignerNet} and {@link Aligner}
     * (the VLM-only settings keep the LVLM defaults; nothing reads them).
     */
    public AlignerConfig aligner() {
        return AlignerConfigBuilder.builder(AlignerConfig.defaults())
                .vlmWidth(inputWidth()).promptDimension(promptDimension).norm(norm).masking(true)
                .poolImages(poolImages).batchSize(batchSize).steps(steps).learningRate(learningRate)
                .weightDecay(weightDecay).warmupSteps(warmupSteps).finalLearningRateFraction(finalLearningRateFraction)
                .alignedNoise(alignedNoise).alignedDropout(0).manifoldWeight(0).snapStates(snapStates)
                .snapScale(snapScale).inferenceSnapScale(inferenceSnapScale).snapTopK(snapTopK).seed(seed).maxGradientNorm(maxGradientNorm)
                .checkpointInterval(checkpointInterval).evalImages(evalImages)
                .build();
    }

    /** Aligned vectors per image: one per CLIP token, or the query set's positions. */
    public int positions() {
        return alignedPositions > 0 ? alignedPositions : imageTokens;
    }

    /**
     * The aligner's input width: a token and its position code if the config appends one; with a query set, all of
     * the image's tokens and the query's code.
     */
    public int inputWidth() {
        return alignedPositions > 0 ? imageTokens * clipWidth + alignedPositions
                : clipWidth + (positionCodes ? imageTokens : 0);
    }

    /**
     * One image's CLIP tokens [T][W] as the aligner reads them: [T][W (+ T with position codes)], or with a query
     * set [N][T × W + N], every position seeing the whole image.
     */
    public float[][] alignerInput(float[][] tokens) {
        if (tokens.length != imageTokens) {
            throw new IllegalArgumentException(tokens.length + " image tokens, the aligner reads " + imageTokens);
        }
        float[][] input = new float[positions()][];
        for (int t = 0; t < input.length; t++) {
            if (alignedPositions > 0) {
                input[t] = new float[inputWidth()];
                for (int k = 0; k < imageTokens; k++) {
                    System.arraycopy(tokens[k], 0, input[t], k * clipWidth, clipWidth);
                }
                input[t][imageTokens * clipWidth + t] = queryCode();
            } else {
                input[t] = Arrays.copyOf(tokens[t], inputWidth());
                if (positionCodes) {
                    input[t][clipWidth + t] = 1f;
                }
            }
        }
        return input;
    }

    /**
     * A query's code value: as large as the image part's norm (tokens of RMS ~1 after the vision encoder's GroupNorm),
     * so that the positions start as different functions of the image; with a code of 1 among 640 image inputs they
     * start nearly equal and, snapped, the loss stalled at 1.8–1.9 (the decoder's prior) for 300 steps.
     */
    float queryCode() {
        return (float) Math.sqrt(imageTokens * clipWidth);
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay)
                .withGradientClipping(maxGradientNorm);
    }
}
