package dev.thinkdiff.align;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.LearningRateSchedule;
import dev.thinkdiff.train.ModelConfig;
import dev.thinkdiff.vlm.Sampling;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Everything needed to rebuild and retrain a ThinkDiff-LVLM aligner; stored as the manifest's {@code config}.
 * The defaults are the authors' recipe (docs/design.md §2) at pocket scale; the ablations and extensions are flags.
 *
 * @param vlmWidth width of the VLM features (the aligner's input)
 * @param promptDimension width of the prompt encoder's states (the aligner's output)
 * @param objective what the aligner is trained through: {@code decoder} (ThinkDiff: the frozen LLM decoder,
 *     {@link AlignerTraining}) or {@code diffusion} (the reconstruction-based alignment baseline, paper Fig. 2a: the
 *     frozen diffusion decoder's flow-matching loss on the described image, {@link ReconstructionTraining}); either
 *     way the same network and the same published files, so inference cannot tell them apart
 * @param norm the closing RMSNorm: {@code encoder} (weight copied from the prompt encoder's final norm, the paper's),
 *     {@code ones}, or {@code none} (paper Fig. 7's ablations)
 * @param masking the paper's masked training (the aligner sees a prefix of the features, the decoder predicts the
 *     rest); false: all features, predict the whole text (ablation)
 * @param features {@code generated} (states that predicted the generated tokens, the paper's) or {@code input}
 *     (the prompt's own states, the paper's failing ablation)
 * @param maxSplit upper bound of the random split point
 * @param poolImages model-training-range images the VLM describes once, the training set
 * @param inContextShare extension, 0 = off: share of the pool that is instead the VLM's answer to a random in-context
 *     episode (benchmark wording, 1–4 demos, model-training-range images), so the aligner also learns to read the
 *     states the VLM has when it answers an episode, which is what it reads in use; the target is still the VLM's
 *     own text, never a label
 * @param maxNewTokens VLM generation limit
 * @param temperature VLM sampling temperature (authors: 0.6)
 * @param topP VLM nucleus mass (authors: 0.9)
 * @param alignedNoise extension, 0 = off: Gaussian noise of this fraction of the aligned vectors' RMS added before
 *     the decoder in training, so that what the decoder accepts is a neighbourhood, not a point
 * @param alignedDropout extension, 0 = off: probability of hiding each aligned vector from the decoder in training
 *     (one always stays), so that every vector must carry the whole description, as the encoder's contextual token
 *     states do, rather than the one word at its position
 * @param manifoldWeight extension, 0 = off: weight of a term that keeps the aligned vectors on the manifold of real
 *     prompt-encoder token states of unrelated texts
 * @param manifold how that term measures the gap
 * @param snapStates extension, 0 = off: size of a bank of real encoder token states onto which every aligned vector
 *     is softly projected ({@link StateBank})
 * @param snapScale sharpness s of that projection, {@code softmax(s · cos)}: higher hands on nearly one real state
 *     per vector, lower a blend of many (default 7, chosen over 10 on the single-image control of 200
 *     MODEL_TRAINING-range renders: 0.895 vs 0.865; 5 stalled in an earlier sweep)
 * @param inferenceSnapScale the sharpness of that projection when the trained aligner is used (missing in older
 *     manifests: {@code snapScale}). Training needs the softer projection (sharper ones stall or diverge), but
 *     the diffusion decoder reads vectors nearer to single real states better: see {@link #defaults()}
 * @param snapTopK extension, 0 = off (every shipped LVLM aligner): only the k bank states nearest (by cosine) to a
 *     vector take part in its projection. A softmax over the whole bank at sharpness 7 can only hand on a blend near
 *     the bank's mean (2,048 states in a narrow cone); over its k neighbours it hands on a blend of nearby real states
 * @param maxGradientNorm global gradient-norm clipping (0 = off, as every aligner before the key)
 * @param evalImages held-out benchmark-range images for the final diagnostics
 * @param batchSize pool entries (the VLM's described images) per step
 * @param steps optimiser steps
 * @param learningRate AdamW peak rate (linear warm-up, then cosine to {@code finalLearningRateFraction} of it)
 * @param weightDecay decoupled decay on matrices
 * @param warmupSteps linear warm-up length
 * @param finalLearningRateFraction where the cosine ends, relative to the peak
 * @param seed parameter initialisation and training data (step k's batch is a function of (seed, k))
 * @param checkpointInterval steps between checkpoints
 */
@RecordBuilder
public record AlignerConfig(int vlmWidth, int promptDimension, Objective objective, Norm norm, boolean masking, Features features,
                            int maxSplit, int poolImages, double inContextShare, int maxNewTokens, double temperature,
                            double topP, int batchSize, int steps, double learningRate, double weightDecay,
                            int warmupSteps, double finalLearningRateFraction, double alignedNoise, double alignedDropout,
                            double manifoldWeight, Manifold manifold, int snapStates, double snapScale,
                            double inferenceSnapScale, int snapTopK, long seed, double maxGradientNorm, int checkpointInterval,
                            int evalImages) implements ModelConfig {

    /** Reads and writes the manifest's {@code config}; keys added later read as older versions were trained. */
    public static final ConfigCodec<AlignerConfig> CODEC = ConfigCodec.of(AlignerConfig.class, Components.ALIGNER)
            .legacyDefault("objective", "decoder")
            .legacyDefault("aligned_dropout", 0.0)
            .legacyDefault("manifold", "sliced")
            .legacyDefault("snap_states", 0)
            .legacyDefault("snap_scale", 30.0)
            .legacyDefaultSameAs("inference_snap_scale", "snap_scale")
            .legacyDefault("snap_top_k", 0)
            .legacyDefault("max_gradient_norm", 0.0)
            .legacyDefault("in_context_share", 0.0);

    /** What the aligner is trained through. */
    public enum Objective { DECODER, DIFFUSION }

    /** The closing normalisation of the aligner. */
    public enum Norm { ENCODER, ONES, NONE }

    /** Which VLM states feed the aligner. */
    public enum Features { GENERATED, INPUT }

    /**
     * How the manifold extension measures the gap to the encoder's token states: {@code sliced} (sliced Wasserstein
     * distance between the batch's aligned vectors and as many real states) or {@code nearest} (mean squared distance
     * of each aligned vector to its nearest real state).
     */
    public enum Manifold { SLICED, NEAREST }

    public AlignerConfig {
        if (vlmWidth < 1 || promptDimension < 1 || maxSplit < 1 || poolImages < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1 || alignedNoise < 0 || alignedDropout < 0 || alignedDropout >= 1
                || manifoldWeight < 0 || snapStates < 0 || snapScale <= 0 || inferenceSnapScale <= 0 || snapTopK < 0
                || maxGradientNorm < 0 || inContextShare < 0 || inContextShare > 1) {
            throw new IllegalArgumentException("invalid aligner config: " + this);
        }
    }

    /**
     * The shipped default: the paper's aligner, data and optimiser, with this project's snap extension (2,048 encoder
     * states, sharpness 7 in training and 10 in use), noise 0.3 × RMS on the aligned vectors, and without masking. Measured on the
     * single-image control (the diffusion decoder's final checkpoint, 40 images):
     * the paper's exact recipe draws at chance (0.000–0.025: its aligned vectors are read by the small decoder but
     * lie off the encoder's manifold, position cosine 0.06 ≈ unrelated 0.05), so do sliced-Wasserstein or
     * nearest-state terms and noise; snapping lets the decoder read them AND keeps them real encoder states, but the
     * masked objective then stalls (loss 1.67: a few real word states cannot spell a continuation they do not
     * contain), while reconstruction of the whole description trains (loss 0.014) and draws 0.475; with noise 0.3,
     * 0.65. A 4,096-state bank diverged to NaN at step 831. On 100 images, sharpness 30 (the previous default) draws
     * 0.53 and 10 draws 0.84, while the encoder's own states of the same text snapped onto the bank draw 0.94–0.97 at
     * any sharpness: the bank is not the limit, the aligner's choice of states is, and the softer projection trains
     * to a lower loss (0.0035 vs 0.026); sharpness 100 stalls (loss 1.1), noise 0.5 and dropout 0.3 diverge.
     * The trained aligner then projects at sharpness 10 ({@code inference_snap_scale}): on a development run (all ten
     * tasks, 2 shots, prompts 500–529, model-training-range demo images) the aligner trained at 7 scores 0.783
     * projecting at 7 and 0.890 at 10 (styles 0.43 / 0.33 → 0.70 / 0.73: the soft blend drew most styles as
     * origami or lego); the two-stage baseline 0.940.
     * A quarter of the pool is the VLM's answers to in-context episodes ({@code in_context_share} 0.25): against the
     * wording-tuned VLM v20261202-155138 the caption-only aligner read in-context answers worse (decoder reads 0.926
     * vs 0.978 on the earlier VLM) and the pipeline fell; on a development run (all ten tasks, 2 and 4 shots,
     * prompts 0–49, model-training-range demo images) captions only 0.762 / 0.784, share 0.25 0.884 / 0.886, share
     * 0.5 0.816 / 0.854 (type II up, type-I objects down); the earlier VLM with its caption-only aligner 0.860 / 0.860.
     * Projecting sharper or over fewer states does not close the gap to two-stage (aligner v20261202-201540, all ten
     * tasks, 2 shots, prompts 500–529, model-training-range demo images): sharpness 10 / 20 / 40 gives 0.907 / 0.870 /
     * 0.857 and, at 10, the 16 or 64 nearest states only 0.870 / 0.883; backgrounds fall most (B-I 0.900 → 0.567 at 40,
     * 0.633 at k = 16), styles do not move (S-I 0.767 throughout): a background reaches the drawing through a broad
     * blend of bank states.
     */
    public static AlignerConfig defaults() {
        return AlignerConfigBuilder.builder()
                .vlmWidth(192).promptDimension(384).objective(Objective.DECODER).norm(Norm.ENCODER).masking(false)
                .features(Features.GENERATED).maxSplit(128).poolImages(4000).inContextShare(0.25).maxNewTokens(24)
                .temperature(0.6).topP(0.9).batchSize(32).steps(1500).learningRate(1e-3).weightDecay(0.05)
                .warmupSteps(100).finalLearningRateFraction(0.05).alignedNoise(0.3).alignedDropout(0.0)
                .manifoldWeight(0.0).manifold(Manifold.SLICED).snapStates(2048).snapScale(7).inferenceSnapScale(10).snapTopK(0)
                .seed(20250701L)
                .maxGradientNorm(0).checkpointInterval(250).evalImages(500)
                .build();
    }

    /**
     * The reconstruction-based alignment baseline (paper Fig. 2a): the default aligner's network, pool, sampling and
     * optimiser, trained through the frozen diffusion decoder instead of the LLM decoder. Snap off and no masking: the
     * paper's baseline is the bare aligner, and the diffusion decoder draws the whole image from the whole caption,
     * so it reads every feature (a prefix could not say what the image shows). No noise on the aligned vectors: the
     * flow-matching loss is already noisy, and the baseline should differ from ThinkDiff in its objective alone.
     * Gradients clipped to norm 1: a loss through a 4-block DiT spikes at small t more than the decoder's
     * cross-entropy does.
     */
    public static AlignerConfig reconstruction() {
        AlignerConfig defaults = defaults();
        return AlignerConfigBuilder.builder(defaults)
                .objective(Objective.DIFFUSION).snapStates(0)
                .inContextShare(0) // the diffusion loss needs the image a text describes: captions only
                .inferenceSnapScale(defaults.snapScale()) // nothing to project: as trained, like its published config
                .alignedNoise(0.0).maxGradientNorm(1.0)
                // 0.31 s a step on one shared CPU thread (batch 32) and ~70 s to describe the pool: ~15 minutes
                .steps(2500)
                .evalImages(100) // as the shipped aligner's diagnostics, so the geometry figures compare
                .build();
    }

    /**
     * How the VLM samples the answers this aligner reads, when it is trained, evaluated and served: its
     * {@code temperature} and {@code top_p} (every shipped aligner: the authors' 0.6 and 0.9).
     */
    public Sampling sampling(long seed) {
        return new Sampling(temperature, topP, seed);
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay)
                .withGradientClipping(maxGradientNorm);
    }
}
