package dev.thinkdiff.align;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the toy experiment taught to look at before any benchmark number (issue 6), on benchmark-range images only:
 * <ul>
 *   <li>the frozen decoder's reading of aligned features of WHOLE generated sequences, in captioning mode and in
 *       in-context mode (2-shot episodes of all ten tasks): exact-match rate of its greedy text against the VLM's
 *       ({@code decoder_reads.caption}, {@code decoder_reads.in_context});</li>
 *   <li>the geometry of aligned vectors against the prompt encoder's states of the same text: per-position cosine of
 *       the vector that predicted token i with the encoder's state of token i ({@code geometry.position_cosine}), the
 *       same against another text's token as the floor ({@code geometry.position_cosine_unrelated}), the cosine of
 *       the mean vectors ({@code geometry.pooled_cosine}), the ratio of mean norms ({@code geometry.norm_ratio}) and
 *       the ratio of the mean per-channel standard deviations ({@code geometry.channel_std_ratio}).</li>
 * </ul>
 */
public final class AlignerDiagnostics {

    private static final long STREAM = 7;
    private static final int DECODE_TOKENS = 40;
    private static final int EPISODE_SHOTS = 2;

    private AlignerDiagnostics() {
    }

    /** The diagnostics on {@code images} fresh captions and as many in-context episodes; prints and returns them. */
    public static Map<String, Double> run(Vlm vlm, Aligner aligner, LlmDecoder decoder, PromptEncoder encoder,
            int images, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, STREAM));
        List<List<VlmItem>> captions = captionPrompts(random, images);
        Map<Cell, int[]> demoImages = BenchmarkImages.render();
        List<List<VlmItem>> episodes = new ArrayList<>();
        List<Task> tasks = Task.paperOrder();
        for (int i = 0; i < images; i++) {
            Episode episode = Episode.of(tasks.get(i % tasks.size()), EPISODE_SHOTS, random.nextInt(1000));
            episodes.add(VlmPrompts.episode(episode, demoImages::get, VlmPrompts.EPISODE_INSTRUCTION));
        }
        Sampling sampling = aligner.config().sampling(seed);
        int maxNew = aligner.config().maxNewTokens();
        List<Generation> captioned = vlm.generate(captions, sampling, maxNew);
        List<Generation> answered = vlm.generate(episodes, sampling, maxNew);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("decoder_reads.caption", readingRate(captioned, aligner, decoder));
        metrics.put("decoder_reads.in_context", readingRate(answered, aligner, decoder));
        metrics.putAll(geometry(captioned, aligner, encoder));
        print(metrics);
        return metrics;
    }

    /**
     * The geometry alone, for an aligner trained without the LLM decoder: on the same {@code images} captions as
     * {@link #run}, so its figures compare with a decoder-trained aligner's; prints and returns them.
     */
    public static Map<String, Double> geometry(Vlm vlm, Aligner aligner, PromptEncoder encoder, int images,
            long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, STREAM));
        Map<String, Double> metrics = geometry(vlm.generate(captionPrompts(random, images),
                aligner.config().sampling(seed), aligner.config().maxNewTokens()), aligner, encoder);
        print(metrics);
        return metrics;
    }

    /** Captioning prompts of {@code images} benchmark-range renders of random cells. */
    private static List<List<VlmItem>> captionPrompts(SplittableRandom random, int images) {
        WorldRenderer renderer = new WorldRenderer();
        List<Cell> cells = BenchmarkImages.allCells();
        List<List<VlmItem>> captions = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            Cell cell = cells.get(random.nextInt(cells.size()));
            int[] pixels = renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(1 + random.nextInt(1000))).clone();
            captions.add(VlmPrompts.caption(pixels, VlmPrompts.CAPTION_INSTRUCTION, true));
        }
        return captions;
    }

    private static void print(Map<String, Double> metrics) {
        metrics.forEach((name, value) -> System.out.printf(Locale.ROOT, "%-38s %.4f%n", name, value));
    }

    /** Share of sequences whose aligned features the decoder reads back as exactly the VLM's text. */
    static double readingRate(List<Generation> generations, Aligner aligner, LlmDecoder decoder) {
        PromptEmbedding aligned = aligner.embed(generations.stream().map(Generation::features).toList());
        List<String> read;
        try (NDManager scope = NDManager.newBaseManager()) {
            Shape shape = new Shape(aligned.batchSize(), aligned.length());
            read = decoder.generate(scope.create(aligned.states(), shape.add(aligned.dimension())),
                    scope.create(aligned.mask(), shape), DECODE_TOKENS);
        }
        int exact = 0;
        for (int i = 0; i < generations.size(); i++) {
            exact += read.get(i).equals(generations.get(i).text()) ? 1 : 0;
        }
        return exact / (double) generations.size();
    }

    /** Aligned vector i (predicting token i) against the encoder's state of token i (position i + 1, after [CLS]). */
    static Map<String, Double> geometry(List<Generation> generations, Aligner aligner, PromptEncoder encoder) {
        EncodedPrompts encoded = encoder.encode(generations.stream().map(Generation::text).toList());
        int d = encoded.dimension();
        double cosine = 0;
        double unrelated = 0;
        double pooled = 0;
        double alignedNorm = 0;
        double encoderNorm = 0;
        double[][] alignedMoments = new double[2][d];
        double[][] encoderMoments = new double[2][d];
        long pairs = 0;
        int sequences = 0;
        for (int b = 0; b < generations.size(); b++) {
            float[] aligned = aligner.align(generations.get(b).features());
            float[] states = encoded.tokenStates(b);
            float[] other = encoded.tokenStates((b + 1) % generations.size());
            int textTokens = Math.min(aligned.length / d, states.length / d - 2);
            int otherTokens = other.length / d - 2;
            if (textTokens < 1 || otherTokens < 1) {
                continue;
            }
            float[] alignedMean = new float[d];
            float[] encoderMean = new float[d];
            for (int t = 0; t < textTokens; t++) {
                int a = t * d;
                int e = (t + 1) * d;
                int u = (1 + t % otherTokens) * d;
                cosine += cosine(aligned, a, states, e, d);
                unrelated += cosine(aligned, a, other, u, d);
                alignedNorm += norm(aligned, a, d);
                encoderNorm += norm(states, e, d);
                for (int c = 0; c < d; c++) {
                    alignedMean[c] += aligned[a + c];
                    encoderMean[c] += states[e + c];
                    alignedMoments[0][c] += aligned[a + c];
                    alignedMoments[1][c] += aligned[a + c] * aligned[a + c];
                    encoderMoments[0][c] += states[e + c];
                    encoderMoments[1][c] += states[e + c] * states[e + c];
                }
                pairs++;
            }
            pooled += cosine(alignedMean, 0, encoderMean, 0, d);
            sequences++;
        }
        double alignedStd = 0;
        double encoderStd = 0;
        for (int c = 0; c < d; c++) {
            alignedStd += std(alignedMoments, c, pairs);
            encoderStd += std(encoderMoments, c, pairs);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("geometry.position_cosine", cosine / pairs);
        metrics.put("geometry.position_cosine_unrelated", unrelated / pairs);
        metrics.put("geometry.pooled_cosine", pooled / sequences);
        metrics.put("geometry.norm_ratio", alignedNorm / encoderNorm);
        metrics.put("geometry.channel_std_ratio", alignedStd / encoderStd);
        return metrics;
    }

    private static double std(double[][] moments, int channel, long count) {
        double mean = moments[0][channel] / count;
        return Math.sqrt(Math.max(0, moments[1][channel] / count - mean * mean));
    }

    private static double cosine(float[] x, int xFrom, float[] y, int yFrom, int d) {
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int c = 0; c < d; c++) {
            dot += x[xFrom + c] * y[yFrom + c];
            xx += x[xFrom + c] * x[xFrom + c];
            yy += y[yFrom + c] * y[yFrom + c];
        }
        return dot / Math.sqrt(Math.max(1e-12, xx * yy));
    }

    private static double norm(float[] x, int from, int d) {
        double sum = 0;
        for (int c = 0; c < d; c++) {
            sum += x[from + c] * x[from + c];
        }
        return Math.sqrt(sum);
    }
}
