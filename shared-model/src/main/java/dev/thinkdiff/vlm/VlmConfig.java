package dev.thinkdiff.vlm;

import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
public record VlmConfig(List<Integer> channels, int convsPerStage, int stemStride, int normGroups, int visualGrid,
                        int width, int layers, int heads, int mlpHidden, int maxPositions, int episodesPerStep,
                        int maxShots, double typeOneShare, double episodeInstructionShare, double consistencyWeight,
                        double imageLabelWeight, int steps,
                        double learningRate, double weightDecay, int warmupSteps, double finalLearningRateFraction,
                        double maxGradientNorm, int maxNewTokens, long seed, int checkpointInterval,
                        double wordingShare, String initFrom, int evalPrompts) {

    /** Uniform over the ten tasks: what a config written before the key existed was trained with. */
    static final double DEFAULT_TYPE_ONE_SHARE = 0.5;

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
        return new VlmConfig(List.of(24, 48, 96, 192), 2, 2, 8, 2, 192, 4, 4, 576, 160, 24, 8, 0.7, 0.6, 0.5, 0.5,
                2000, 1.5e-3, 0.05, 100, 0.05, 1.0, 24, 20250603L, 100, 0, "", 1000);
    }

    public VlmConfig withSteps(int newSteps) {
        return new VlmConfig(channels, convsPerStage, stemStride, normGroups, visualGrid, width, layers, heads,
                mlpHidden, maxPositions, episodesPerStep, maxShots, typeOneShare, episodeInstructionShare,
                consistencyWeight, imageLabelWeight, newSteps, learningRate, weightDecay, warmupSteps,
                finalLearningRateFraction, maxGradientNorm, maxNewTokens, seed, checkpointInterval, wordingShare,
                initFrom, evalPrompts);
    }

    public VlmConfig withConsistencyWeight(double weight) {
        return new VlmConfig(channels, convsPerStage, stemStride, normGroups, visualGrid, width, layers, heads,
                mlpHidden, maxPositions, episodesPerStep, maxShots, typeOneShare, episodeInstructionShare, weight,
                imageLabelWeight, steps, learningRate, weightDecay, warmupSteps, finalLearningRateFraction,
                maxGradientNorm, maxNewTokens, seed, checkpointInterval, wordingShare, initFrom, evalPrompts);
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

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("channels", channels);
        map.put("convs_per_stage", convsPerStage);
        map.put("stem_stride", stemStride);
        map.put("norm_groups", normGroups);
        map.put("visual_grid", visualGrid);
        map.put("width", width);
        map.put("layers", layers);
        map.put("heads", heads);
        map.put("mlp_hidden", mlpHidden);
        map.put("max_positions", maxPositions);
        map.put("episodes_per_step", episodesPerStep);
        map.put("max_shots", maxShots);
        map.put("type_one_share", typeOneShare);
        map.put("episode_instruction_share", episodeInstructionShare);
        map.put("consistency_weight", consistencyWeight);
        map.put("image_label_weight", imageLabelWeight);
        map.put("steps", steps);
        map.put("learning_rate", learningRate);
        map.put("weight_decay", weightDecay);
        map.put("warmup_steps", warmupSteps);
        map.put("final_learning_rate_fraction", finalLearningRateFraction);
        map.put("max_gradient_norm", maxGradientNorm);
        map.put("max_new_tokens", maxNewTokens);
        map.put("seed", seed);
        map.put("checkpoint_interval", checkpointInterval);
        map.put("wording_share", wordingShare);
        map.put("init_from", initFrom);
        map.put("eval_prompts", evalPrompts);
        return map;
    }

    /**
     * Reads what {@link #toMap()} wrote, also after a JSON round trip (numbers may come back as other types); a key
     * added later ({@code type_one_share}, {@code wording_share}, {@code init_from}, {@code eval_prompts}) takes the
     * value earlier runs were trained with.
     */
    public static VlmConfig fromMap(Map<String, ?> map) {
        Object channels = map.get("channels");
        if (!(channels instanceof List<?> list) || !list.stream().allMatch(Number.class::isInstance)) {
            throw new IllegalArgumentException("VLM config 'channels' must be a list of numbers, got " + channels);
        }
        return new VlmConfig(
                list.stream().map(c -> ((Number) c).intValue()).toList(),
                number(map, "convs_per_stage").intValue(),
                number(map, "stem_stride").intValue(),
                number(map, "norm_groups").intValue(),
                number(map, "visual_grid").intValue(),
                number(map, "width").intValue(),
                number(map, "layers").intValue(),
                number(map, "heads").intValue(),
                number(map, "mlp_hidden").intValue(),
                number(map, "max_positions").intValue(),
                number(map, "episodes_per_step").intValue(),
                number(map, "max_shots").intValue(),
                map.containsKey("type_one_share") ? number(map, "type_one_share").doubleValue()
                        : DEFAULT_TYPE_ONE_SHARE,
                number(map, "episode_instruction_share").doubleValue(),
                number(map, "consistency_weight").doubleValue(),
                number(map, "image_label_weight").doubleValue(),
                number(map, "steps").intValue(),
                number(map, "learning_rate").doubleValue(),
                number(map, "weight_decay").doubleValue(),
                number(map, "warmup_steps").intValue(),
                number(map, "final_learning_rate_fraction").doubleValue(),
                map.containsKey("max_gradient_norm") ? number(map, "max_gradient_norm").doubleValue() : 0,
                number(map, "max_new_tokens").intValue(),
                number(map, "seed").longValue(),
                number(map, "checkpoint_interval").intValue(),
                map.containsKey("wording_share") ? number(map, "wording_share").doubleValue() : 0,
                map.containsKey("init_from") ? String.valueOf(map.get("init_from")) : "",
                map.containsKey("eval_prompts") ? number(map, "eval_prompts").intValue() : 1000);
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("VLM config lacks '" + key + "'; has " + map.keySet());
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("VLM config '" + key + "' must be a number, got " + value);
        }
        return number;
    }
}
