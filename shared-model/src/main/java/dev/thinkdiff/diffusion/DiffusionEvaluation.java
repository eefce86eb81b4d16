package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.ContactSheet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Text → image for every one of the 500 cells, judged: each cell × each of the config's caption phrasings × evalSeeds
 * sampling seeds (clean prompts, {@code t2i.*}), then the same cells once more with the prompt-style answer
 * ({@code t2i.answer.*}) and with Gaussian noise of σ = 0.25 and 0.5 × the prompt's state RMS on the plain caption
 * ({@code t2i.noise0.25.*}, {@code t2i.noise0.5.*}): the robustness that ThinkDiff's aligned features need.
 * Bars: {@code t2i.both} ≥ 0.90 overall and ≥ 0.80 per theme.
 */
public final class DiffusionEvaluation {

    public static final double[] NOISE_FRACTIONS = {0.25, 0.5};
    private static final int CHUNK = 100;
    private static final long SEED_BASE = 0x5EED_D1FFL;
    /** Sampling seeds for choosing sampler settings, apart from the ones the manifest's figures are measured on. */
    private static final long DEVELOPMENT_SEED_BASE = 0xDE7E_D1FFL;

    /**
     * @param contactSheet generated images of all 500 cells (plain caption, first seed), laid out like
     *     {@link dev.thinkdiff.world.ContactSheet}
     */
    public record Result(int images, Map<String, Double> metrics, BufferedImage contactSheet) {

        public String table() {
            List<String> conditions = new ArrayList<>();
            metrics.keySet().stream().filter(k -> k.endsWith(".both") && !isTheme(k)).forEach(k -> conditions.add(k.substring(0, k.length() - ".both".length())));
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s %8s", "condition", "overall"));
            for (Theme theme : Theme.values()) {
                out.append(String.format(Locale.ROOT, " %10s", theme.id()));
            }
            out.append('\n');
            for (String condition : conditions) {
                out.append(String.format(Locale.ROOT, "%-18s %8.4f", condition, metrics.get(condition + ".both")));
                for (Theme theme : Theme.values()) {
                    out.append(String.format(Locale.ROOT, " %10.4f",
                            metrics.get(condition + "." + theme.id() + ".both")));
                }
                out.append('\n');
            }
            return out.append("(judge both-correct; ").append(images).append(" generated images)").toString();
        }

        private static boolean isTheme(String key) {
            for (Theme theme : Theme.values()) {
                if (key.endsWith("." + theme.id() + ".both")) {
                    return true;
                }
            }
            return false;
        }
    }

    private DiffusionEvaluation() {
    }

    public static Result run(DiffusionPipeline pipeline, PromptEncoder encoder, Judge judge) {
        return run(pipeline, encoder, judge, 1);
    }

    /** Every {@code cellStride}-th cell only: a quick check of the machinery (tests). */
    static Result run(DiffusionPipeline pipeline, PromptEncoder encoder, Judge judge, int cellStride) {
        DiffusionConfig config = pipeline.config();
        FlowSampler.Settings settings = pipeline.defaultSettings();
        Map<String, Double> metrics = new LinkedHashMap<>();
        int[][] sheetImages = new int[AutoencoderEvaluation.CELLS][];
        int images = 0;

        BothCorrectTally clean = new BothCorrectTally();
        for (int phrasing : config.evalPhrasings()) {
            for (int s = 0; s < config.evalSeeds(); s++) {
                boolean forSheet = phrasing == config.evalPhrasings().get(0) && s == 0;
                images += generateAndJudge(pipeline, encoder, judge, cellStride, settings, SEED_BASE, phrasing, s, 0,
                        clean, forSheet ? sheetImages : null);
            }
        }
        metrics.putAll(clean.metrics("t2i"));

        BothCorrectTally answers = new BothCorrectTally();
        images += generateAndJudge(pipeline, encoder, judge, cellStride, settings, SEED_BASE, PromptPool.ANSWER, 0, 0,
                answers, null);
        metrics.putAll(answers.metrics("t2i.answer"));

        for (double fraction : NOISE_FRACTIONS) {
            BothCorrectTally noisy = new BothCorrectTally();
            images += generateAndJudge(pipeline, encoder, judge, cellStride, settings, SEED_BASE, 0, 0, fraction, noisy,
                    null);
            metrics.putAll(noisy.metrics(String.format(Locale.ROOT, "t2i.noise%s", fraction)));
        }
        return new Result(images, metrics, contactSheet(sheetImages));
    }

    /** One sampler setting's clean-caption figures ({@code <theme>.both} and {@code both}) over {@code images}. */
    public record SamplerPoint(FlowSampler.Settings settings, int images, Map<String, Double> metrics) {
    }

    /**
     * Judged accuracy against sampler settings (solver, steps, guidance): every cell × the config's phrasings, one
     * sampling seed each, drawn from development seeds that the manifest's figures do not use, so a default chosen
     * here is not measured on its own draws.
     */
    public static List<SamplerPoint> samplerCurve(DiffusionPipeline pipeline, PromptEncoder encoder, Judge judge,
            List<FlowSampler.Settings> points) {
        return samplerCurve(pipeline, encoder, judge, points, 1);
    }

    /** Every {@code cellStride}-th cell only (tests). */
    static List<SamplerPoint> samplerCurve(DiffusionPipeline pipeline, PromptEncoder encoder, Judge judge,
            List<FlowSampler.Settings> points, int cellStride) {
        List<SamplerPoint> curve = new ArrayList<>();
        for (FlowSampler.Settings settings : points) {
            BothCorrectTally tally = new BothCorrectTally();
            int images = 0;
            for (int phrasing : pipeline.config().evalPhrasings()) {
                images += generateAndJudge(pipeline, encoder, judge, cellStride, settings, DEVELOPMENT_SEED_BASE,
                        phrasing, 0, 0, tally, null);
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            tally.metrics("t2i").forEach((key, value) -> metrics.put(key.substring("t2i.".length()), value));
            curve.add(new SamplerPoint(settings, images, metrics));
        }
        return curve;
    }

    /** All 500 cells with text {@code variant}, sampling seed index {@code seedIndex}; returns the image count. */
    private static int generateAndJudge(DiffusionPipeline pipeline, PromptEncoder encoder, Judge judge,
            int cellStride, FlowSampler.Settings settings, long seedBase, int variant, int seedIndex,
            double noiseFraction, BothCorrectTally tally, int[][] keep) {
        SplittableRandom noise = new SplittableRandom(Seeds.mix(seedBase, 1000 + Math.round(noiseFraction * 100)));
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < AutoencoderEvaluation.CELLS; c += cellStride) {
            chosen.add(c);
        }
        for (int from = 0; from < chosen.size(); from += CHUNK) {
            List<Integer> chunk = chosen.subList(from, Math.min(chosen.size(), from + CHUNK));
            List<Cell> cells = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            long[] seeds = new long[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                int c = chunk.get(i);
                cells.add(AutoencoderEvaluation.cellOf(c));
                texts.add(PromptPool.text(c, variant));
                seeds[i] = Seeds.mix(seedBase, (long) seedIndex * AutoencoderEvaluation.CELLS + c);
            }
            EncodedPrompts encoded = encoder.encode(texts);
            PromptEmbedding prompts = PromptEmbedding.of(encoded);
            if (noiseFraction > 0) {
                for (int i = 0; i < prompts.batchSize(); i++) {
                    PromptAugmentation.addNoise(prompts.states(), prompts.mask(), i, prompts.length(),
                            prompts.dimension(), noiseFraction, noise);
                }
            }
            List<int[]> generated = pipeline.generate(prompts, seeds, settings);
            tally.addAll(cells, judge.answerAll(generated, cells.stream().map(Cell::theme).toList()));
            if (keep != null) {
                for (int i = 0; i < chunk.size(); i++) {
                    keep[chunk.get(i)] = generated.get(i);
                }
            }
        }
        return chosen.size();
    }

    /** The generated images in the world's contact-sheet layout. */
    static BufferedImage contactSheet(int[][] images) {
        return ContactSheet.draw(List.of(Theme.values()), cell -> {
            int[] pixels = images[cell.theme().ordinal() * 100 + cell.subject() * 10 + cell.attribute()];
            return pixels == null ? null : DiffusionPipeline.toImage(pixels);
        });
    }
}
