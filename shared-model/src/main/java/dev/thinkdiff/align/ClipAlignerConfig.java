package dev.thinkdiff.align;

import static dev.thinkdiff.train.ConfigMaps.number;
import static dev.thinkdiff.train.ConfigMaps.string;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything needed to rebuild and retrain a ThinkDiff-CLIP aligner; stored as the manifest's {@code config}. The
 * aligner is ThinkDiff-LVLM's ({@link AlignerNet}, with the snap extension), reading CLIP image tokens instead of VLM
 * features.
 *
 * @param clipWidth width of the CLIP image tokens (the aligner's input)
 * @param promptDimension width of the prompt encoder's states (the aligner's output)
 * @param norm the closing RMSNorm, as {@link AlignerConfig#norm()}
 * @param poolImages model-training-range renders whose image tokens are computed once, the training set
 * @param alignedNoise Gaussian noise of this fraction of the aligned vectors' RMS added before the decoder in training
 * @param snapStates size of the bank of real encoder token states the aligned vectors are projected onto (0 = off)
 * @param snapScale sharpness of that projection
 * @param evalImages benchmark-range examples per case of the final demonstration
 */
public record ClipAlignerConfig(int clipWidth, int promptDimension, AlignerConfig.Norm norm, int poolImages,
                                int batchSize, int steps, double learningRate, double weightDecay, int warmupSteps,
                                double finalLearningRateFraction, double alignedNoise, int snapStates,
                                double snapScale, long seed, int checkpointInterval, int evalImages) {

    public ClipAlignerConfig {
        if (clipWidth < 1 || promptDimension < 1 || poolImages < 1 || batchSize < 1 || steps < 1
                || checkpointInterval < 1 || alignedNoise < 0 || snapStates < 0 || snapScale <= 0 || evalImages < 1) {
            throw new IllegalArgumentException("invalid aligner-clip config: " + this);
        }
    }

    /** The LVLM aligner's shipped recipe (snap 2,048 states at sharpness 10, noise 0.3) on CLIP tokens. */
    public static ClipAlignerConfig defaults() {
        return new ClipAlignerConfig(128, 384, AlignerConfig.Norm.ENCODER, 4000, 32, 1500, 1e-3, 0.05, 100, 0.05,
                0.3, 2048, 10, 20260602L, 250, 100);
    }

    /**
     * The same network as an LVLM aligner config, to build and load it with {@link AlignerNet} and {@link Aligner}
     * (the VLM-only settings keep the LVLM defaults; nothing reads them).
     */
    public AlignerConfig aligner() {
        AlignerConfig lvlm = AlignerConfig.defaults();
        return new AlignerConfig(clipWidth, promptDimension, norm, true, lvlm.features(), lvlm.maxSplit(), poolImages,
                lvlm.maxNewTokens(), lvlm.temperature(), lvlm.topP(), batchSize, steps, learningRate, weightDecay,
                warmupSteps, finalLearningRateFraction, alignedNoise, 0, 0, lvlm.manifold(), snapStates, snapScale,
                seed, checkpointInterval, evalImages);
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clip_width", clipWidth);
        map.put("prompt_dimension", promptDimension);
        map.put("norm", norm.name().toLowerCase(Locale.ROOT));
        map.put("pool_images", poolImages);
        map.put("batch_size", batchSize);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("aligned_noise", alignedNoise);
        map.put("snap_states", snapStates);
        map.put("snap_scale", snapScale);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        map.put("eval_images", evalImages);
        return map;
    }

    public static ClipAlignerConfig fromMap(Map<String, ?> map) {
        return new ClipAlignerConfig(number(map, "clip_width").intValue(), number(map, "prompt_dimension").intValue(),
                AlignerConfig.Norm.valueOf(string(map, "norm").toUpperCase(Locale.ROOT)),
                number(map, "pool_images").intValue(), number(map, "batch_size").intValue(),
                number(map, "steps").intValue(), number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(), number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(), number(map, "aligned_noise").doubleValue(),
                number(map, "snap_states").intValue(), number(map, "snap_scale").doubleValue(),
                number(map, "seed").longValue(), number(map, "checkpoint_interval").intValue(),
                number(map, "eval_images").intValue());
    }
}
