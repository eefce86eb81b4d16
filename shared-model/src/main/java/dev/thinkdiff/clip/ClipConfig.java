package dev.thinkdiff.clip;

import static dev.thinkdiff.train.ConfigMaps.integers;
import static dev.thinkdiff.train.ConfigMaps.number;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public record ClipConfig(List<Integer> channels, int convsPerStage, int normGroups, int grid, int width,
                         int embedDimension, double temperature, int batchSize, int steps, double learningRate,
                         double weightDecay, int warmupSteps, double finalLearningRateFraction, long seed,
                         int checkpointInterval, int evalImages) {

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
        return new ClipConfig(List.of(32, 64, 96), 2, 8, 2, 128, 384, 0.07, 64, 1500, 2e-3, 0.05, 100, 0.05,
                20260601L, 250, 1);
    }

    /** Image tokens per image: the pooled token, then the g² patch tokens. */
    public int tokens() {
        return 1 + grid * grid;
    }

    public AdamW.Settings optimizerSettings() {
        return AdamW.Settings.of(
                new LearningRateSchedule(learningRate, warmupSteps, steps, finalLearningRateFraction), weightDecay);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("channels", channels);
        map.put("convs_per_stage", convsPerStage);
        map.put("norm_groups", normGroups);
        map.put("grid", grid);
        map.put("width", width);
        map.put("embed_dimension", embedDimension);
        map.put("temperature", temperature);
        map.put("batch_size", batchSize);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        map.put("eval_images", evalImages);
        return map;
    }

    public static ClipConfig fromMap(Map<String, ?> map) {
        return new ClipConfig(integers(map, "channels"), number(map, "convs_per_stage").intValue(),
                number(map, "norm_groups").intValue(), number(map, "grid").intValue(),
                number(map, "width").intValue(), number(map, "embed_dimension").intValue(),
                number(map, "temperature").doubleValue(), number(map, "batch_size").intValue(),
                number(map, "steps").intValue(), number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(), number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(), number(map, "seed").longValue(),
                number(map, "checkpoint_interval").intValue(), number(map, "eval_images").intValue());
    }
}
