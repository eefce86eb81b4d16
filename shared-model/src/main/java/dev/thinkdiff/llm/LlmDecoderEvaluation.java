package dev.thinkdiff.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.Captions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scores a decoder on captions it never saw: for each theme one phrasing × a fixed subset of cells
 * ({@link #heldOutCaptions}). Metrics (stable names):
 * <ul>
 *   <li>{@code reconstruction.exact}: greedy decoding of the clean MiniLM states gives the caption exactly;</li>
 *   <li>{@code reconstruction.exact.noise0.1}, {@code .noise0.25}, {@code .noise0.5}: the same with Gaussian noise of
 *       that fraction of each caption's state RMS;</li>
 *   <li>{@code reconstruction.token_accuracy}: teacher-forced next-token accuracy, clean;</li>
 *   <li>{@code continuation.token_accuracy}: the caption split at its middle word, teacher-forced accuracy of the rest
 *       (end token included) given the prefix's states;</li>
 *   <li>{@code continuation.exact}: greedy decoding of the prefix's states gives exactly the rest.</li>
 * </ul>
 */
public final class LlmDecoderEvaluation {

    public static final List<Double> NOISE_LEVELS = List.of(0.1, 0.25, 0.5);

    private static final long HELD_OUT_SEED = 31_337;
    private static final long NOISE_SEED = 4_242;
    private static final int FAILURES_SHOWN = 8;

    /**
     * @param metrics see the class comment
     * @param failures a few "expected → got" lines of clean reconstruction mistakes
     */
    public record Result(int captions, Map<String, Double> metrics, List<String> failures) {

        public String table() {
            StringBuilder out = new StringBuilder(String.format("LLM decoder on %d held-out captions%n", captions));
            metrics.forEach((name, value) -> out.append(String.format("  %-36s %.4f%n", name, value)));
            if (!failures.isEmpty()) {
                out.append("  clean reconstruction mistakes:\n");
                failures.forEach(line -> out.append("    ").append(line).append('\n'));
            }
            return out.toString();
        }
    }

    private LlmDecoderEvaluation() {
    }

    /**
     * The held-out captions: per theme the phrasing {@code 1 + ordinal % (phrasings - 1)} (never the plain phrase 0,
     * which the VLM answers and corpus requests embed) of {@code cellsPerTheme} fixed cells. Independent of any
     * training seed, so runs are comparable.
     */
    public static List<String> heldOutCaptions(int cellsPerTheme) {
        List<String> captions = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            int phrasing = 1 + theme.ordinal() % (Captions.phrasings(theme) - 1);
            for (int cell : shuffledCells(theme).subList(0, cellsPerTheme)) {
                captions.add(Captions.caption(new Cell(theme, cell / ItemList.SIZE, cell % ItemList.SIZE), phrasing));
            }
        }
        return captions;
    }

    private static List<Integer> shuffledCells(Theme theme) {
        Integer[] cells = new Integer[ItemList.SIZE * ItemList.SIZE];
        Arrays.setAll(cells, i -> i);
        SplittableRandom random = new SplittableRandom(Seeds.mix(HELD_OUT_SEED, theme.ordinal()));
        for (int i = cells.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = cells[i];
            cells[i] = cells[j];
            cells[j] = swap;
        }
        return Arrays.asList(cells);
    }

    public static Result run(LlmDecoder decoder, PromptEncoder encoder, int cellsPerTheme) {
        List<String> captions = heldOutCaptions(cellsPerTheme);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        if (captions.isEmpty()) {
            return new Result(0, metrics, failures);
        }
        EncodedPrompts clean = encoder.encode(captions);
        int maxTokens = decoder.config().maxTargetTokens();
        List<String> decoded = decoder.generate(clean, maxTokens);
        metrics.put("reconstruction.exact", exactShare(captions, decoded));
        for (int i = 0; i < captions.size() && failures.size() < FAILURES_SHOWN; i++) {
            if (!captions.get(i).equals(decoded.get(i))) {
                failures.add(captions.get(i) + " → " + decoded.get(i));
            }
        }
        for (double level : NOISE_LEVELS) {
            EncodedPrompts noisy = withNoise(clean, level, Seeds.mix(NOISE_SEED, Double.hashCode(level)));
            metrics.put("reconstruction.exact.noise" + BigDecimal.valueOf(level).stripTrailingZeros().toPlainString(),
                    exactShare(captions, decoder.generate(noisy, maxTokens)));
        }
        metrics.put("reconstruction.token_accuracy", tokenAccuracy(decoder, clean, captions));

        List<String> prefixes = new ArrayList<>();
        List<String> rests = new ArrayList<>();
        for (String caption : captions) {
            String[] words = caption.split(" ");
            int split = Math.max(1, words.length / 2);
            prefixes.add(String.join(" ", Arrays.copyOfRange(words, 0, split)));
            rests.add(String.join(" ", Arrays.copyOfRange(words, split, words.length)));
        }
        EncodedPrompts prefixStates = encoder.encode(prefixes);
        metrics.put("continuation.token_accuracy", tokenAccuracy(decoder, prefixStates, rests));
        metrics.put("continuation.exact", exactShare(rests, decoder.generate(prefixStates, maxTokens)));
        return new Result(captions.size(), metrics, failures);
    }

    private static double exactShare(List<String> expected, List<String> actual) {
        int right = 0;
        for (int i = 0; i < expected.size(); i++) {
            right += expected.get(i).equals(actual.get(i)) ? 1 : 0;
        }
        return (double) right / expected.size();
    }

    /** Teacher-forced share of target tokens (end token included) that are the decoder's top prediction. */
    private static double tokenAccuracy(LlmDecoder decoder, EncodedPrompts prompts, List<String> targets) {
        TargetTokens tokens = decoder.targets(targets);
        try (NDManager scope = NDManager.newBaseManager()) {
            Shape shape = new Shape(prompts.batchSize(), prompts.sequenceLength());
            NDArray states = scope.create(prompts.states(), shape.add(prompts.dimension()));
            NDArray logits = decoder.forward(tokens.inputArray(scope), states, scope.create(prompts.mask(), shape));
            int[] predicted = logits.argMax(-1).toType(DataType.INT32, false).toIntArray();
            int right = 0;
            int counted = 0;
            for (int k = 0; k < predicted.length; k++) {
                if (tokens.labels()[k] != decoder.vocabulary().padIndex()) {
                    counted++;
                    right += predicted[k] == tokens.labels()[k] ? 1 : 0;
                }
            }
            return (double) right / counted;
        }
    }

    private static EncodedPrompts withNoise(EncodedPrompts clean, double level, long seed) {
        float[] states = clean.states().clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < clean.batchSize(); i++) {
            PromptStateNoise.addNoise(states, clean.mask(), i, clean.sequenceLength(), clean.dimension(), level,
                    random);
        }
        return new EncodedPrompts(states, clean.mask(), clean.tokenIds(), clean.batchSize(), clean.sequenceLength(),
                clean.dimension());
    }
}
