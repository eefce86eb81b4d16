package dev.thinkdiff.vlm;

import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.TextAnswers;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores a VLM on benchmark-range renders only (never trained on), greedy decoding, answers scored in the benchmark's
 * text mode ({@link TextAnswers}):
 * <ul>
 *   <li>captioning: every cell × {@code captionSeedsPerCell} renders (seeds {@code BENCHMARK.seed(0..)}) with the
 *       authors' captioning instruction; both-correct per theme and overall ({@code caption.color.both}, …,
 *       {@code caption.overall.both}, also {@code .attribute} and {@code .subject});</li>
 *   <li>in-context: the benchmark's prompts ({@link Episode#of}, PromptSplit.DEFAULT) for every task and shot count,
 *       after the authors' CoBSAT instruction; like the benchmark's 500 photographs, each cell has ONE demo image,
 *       the render with seed {@code BENCHMARK.seed(0)} ({@code incontext.2shot.C-I}, …, {@code incontext.2shot.avg},
 *       {@code incontext.2shot.avg.textual}, {@code incontext.2shot.avg.visual});</li>
 *   <li>mode consistency: for the first {@code consistencyPromptsPerTask} prompts of every task and shot count, the
 *       features of the expected answer (teacher-forced, = the generated features when the VLM answers that way) in
 *       in-context mode vs captioning mode of a fresh render (seed {@code BENCHMARK.seed(1)}) of the expected cell:
 *       mean per-token cosine ({@code consistency.cosine}), and the same against the next pair's caption, a different
 *       cell, as the floor ({@code consistency.cosine_unrelated}).</li>
 * </ul>
 * Work is split into chunks run on {@code threads} threads (the VLM's methods are thread-safe).
 */
public final class VlmEvaluation {

    private static final int CHUNK = 256;

    /**
     * @param captionSeedsPerCell renders per cell for captioning (0 skips it)
     * @param promptsPerTask benchmark prompts per task and shot count (0 skips in-context)
     * @param shots shot counts of the in-context evaluation
     * @param consistencyPromptsPerTask prompts per task and shot count for the consistency cosine (0 skips it)
     * @param threads worker threads
     * @param wording the family every prompt is worded in (each prompt's wording a function of the episode or
     *     caption): the benchmark's for the manifest's figures
     * @param imageRange where every render comes from: BENCHMARK (never trained on) for the figures, MODEL_TRAINING
     *     for a development check that chooses between models without looking at benchmark-range images
     * @param decoding how captions and in-context answers are decoded: greedy for the manifest's figures, or greedy
     *     with a query contrast (TBDN's option)
     */
    public record Settings(int captionSeedsPerCell, int promptsPerTask, List<Integer> shots,
                           int consistencyPromptsPerTask, int threads, WordingFamily wording, SeedRange imageRange,
                           Sampling decoding) {

        public Settings {
            shots = List.copyOf(shots);
            if (imageRange == SeedRange.JUDGE_TRAINING) {
                throw new IllegalArgumentException("the VLM is measured on BENCHMARK or MODEL_TRAINING renders");
            }
        }

        /** The full evaluation: 2,000 captions, 10 tasks × 1000 prompts × {2, 4} shots, 1,000 consistency pairs. */
        public static Settings full() {
            return new Settings(4, 1000, List.of(2, 4), 50, 2, WordingFamily.BENCHMARK, SeedRange.BENCHMARK,
                    Sampling.GREEDY);
        }

        public Settings with(int captionSeeds, int prompts, WordingFamily family, SeedRange range) {
            return new Settings(captionSeeds, prompts, shots, consistencyPromptsPerTask, threads, family, range,
                    decoding);
        }

        public Settings withDecoding(Sampling sampling) {
            return new Settings(captionSeedsPerCell, promptsPerTask, shots, consistencyPromptsPerTask, threads, wording,
                    imageRange, sampling);
        }
    }

    /** The figures under stable names, the in-context table, and a few sample answers. */
    public record Result(Map<String, Double> metrics, AccuracyTable incontext, List<String> samples) {

        public String report() {
            StringBuilder out = new StringBuilder("captioning (both-correct / attribute / subject):\n");
            for (String row : rows()) {
                out.append(String.format(Locale.ROOT, "  %-10s %.4f / %.4f / %.4f%n", row,
                        metrics.getOrDefault("caption." + row + ".both", Double.NaN),
                        metrics.getOrDefault("caption." + row + ".attribute", Double.NaN),
                        metrics.getOrDefault("caption." + row + ".subject", Double.NaN)));
            }
            out.append("in-context, text mode, both-correct:\n").append(incontext.format(AccuracyTable.Metric.BOTH));
            out.append("in-context, textual (x right):\n").append(incontext.format(AccuracyTable.Metric.TEXTUAL));
            out.append("in-context, visual (θ right):\n").append(incontext.format(AccuracyTable.Metric.VISUAL));
            out.append(String.format(Locale.ROOT, "mode consistency: cosine %.4f (unrelated-cell floor %.4f)%n",
                    metrics.getOrDefault("consistency.cosine", Double.NaN),
                    metrics.getOrDefault("consistency.cosine_unrelated", Double.NaN)));
            samples.forEach(sample -> out.append("  ").append(sample).append('\n'));
            return out.toString();
        }

        private static List<String> rows() {
            List<String> rows = new ArrayList<>();
            for (Theme theme : Theme.values()) {
                rows.add(theme.id());
            }
            rows.add("overall");
            return rows;
        }
    }

    private VlmEvaluation() {
    }

    public static Result run(Vlm vlm, Settings settings) {
        ExecutorService workers = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "vlm-eval");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Double> metrics = new LinkedHashMap<>();
            List<String> samples = new ArrayList<>();
            captioning(vlm, settings, workers, metrics, samples);
            AccuracyTable table = incontext(vlm, settings, workers, metrics, samples);
            consistency(vlm, settings, workers, metrics);
            Result result = new Result(metrics, table, samples);
            System.out.print(result.report());
            return result;
        } finally {
            workers.shutdownNow();
        }
    }

    /** Renders of a cell by seed offset in the evaluation's range. */
    private static final class Images {
        private final WorldRenderer renderer = new WorldRenderer();
        private final SeedRange range;

        Images(SeedRange range) {
            this.range = range;
        }

        int[] render(Cell cell, long seedOffset) {
            return renderer.renderPixels(cell, range.seed(seedOffset)).clone();
        }
    }

    private static void captioning(Vlm vlm, Settings settings, ExecutorService workers, Map<String, Double> metrics,
            List<String> samples) {
        if (settings.captionSeedsPerCell() == 0) {
            return;
        }
        List<Cell> cells = new ArrayList<>();
        List<Integer> seeds = new ArrayList<>();
        for (int seed = 0; seed < settings.captionSeedsPerCell(); seed++) {
            for (Cell cell : BenchmarkImages.allCells()) {
                cells.add(cell);
                seeds.add(seed);
            }
        }
        List<Generation> generations = inChunks(workers, cells.size(), (from, to) -> {
            Images images = new Images(settings.imageRange());
            List<List<VlmItem>> prompts = new ArrayList<>();
            for (int i = from; i < to; i++) {
                prompts.add(settings.wording().forCaption(i).caption(images.render(cells.get(i), seeds.get(i))));
            }
            return vlm.generate(prompts, settings.decoding(), vlm.config().maxNewTokens());
        });
        int themes = Theme.values().length;
        int[][] right = new int[themes + 1][3]; // attribute, subject, both; last row overall
        int[] seen = new int[themes + 1];
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            String text = generations.get(i).text();
            int attributeOption = TextAnswers.option(text, cell.theme(), JudgeQuestion.ATTRIBUTE);
            int subjectOption = TextAnswers.option(text, cell.theme(), JudgeQuestion.SUBJECT);
            boolean attribute = JudgeQuestion.ATTRIBUTE.isRight(cell, attributeOption);
            boolean subject = JudgeQuestion.SUBJECT.isRight(cell, subjectOption);
            boolean both = JudgeQuestion.bothRight(cell, attributeOption, subjectOption);
            for (int row : new int[] {cell.theme().ordinal(), themes}) {
                seen[row]++;
                right[row][0] += attribute ? 1 : 0;
                right[row][1] += subject ? 1 : 0;
                right[row][2] += both ? 1 : 0;
            }
            if (i % 97 == 0 && samples.size() < 5) {
                samples.add("caption " + cell + " → \"" + text + "\"");
            }
        }
        for (int row = 0; row <= themes; row++) {
            String name = "caption." + (row < themes ? Theme.values()[row].id() : "overall");
            metrics.put(name + ".attribute", (double) right[row][0] / seen[row]);
            metrics.put(name + ".subject", (double) right[row][1] / seen[row]);
            metrics.put(name + ".both", (double) right[row][2] / seen[row]);
        }
    }

    private static AccuracyTable incontext(Vlm vlm, Settings settings, ExecutorService workers,
            Map<String, Double> metrics, List<String> samples) {
        AccuracyTable table = new AccuracyTable();
        if (settings.promptsPerTask() == 0) {
            return table;
        }
        Map<Cell, int[]> demoImages = BenchmarkImages.render(settings.imageRange());
        for (int shots : settings.shots()) {
            List<Episode> episodes = new ArrayList<>();
            for (Task task : Task.paperOrder()) {
                for (int i = 0; i < settings.promptsPerTask(); i++) {
                    episodes.add(Episode.of(task, shots, i));
                }
            }
            List<Generation> generations = inChunks(workers, episodes.size(), (from, to) -> vlm.generate(
                    episodes.subList(from, to).stream().map(episode -> settings.wording().forEpisode(episode)
                            .episode(episode, demoImages::get)).toList(), settings.decoding(),
                    vlm.config().maxNewTokens()));
            for (int i = 0; i < episodes.size(); i++) {
                Episode episode = episodes.get(i);
                String text = generations.get(i).text();
                table.add(shots, TextAnswers.judge(text, episode.task(), episode.expected()));
                if (i % (settings.promptsPerTask() * 3 + 1) == 0) {
                    samples.add(shots + "-shot " + episode.describe() + " → \"" + text + "\"");
                }
            }
            for (Task task : Task.paperOrder()) {
                metrics.put("incontext." + shots + "shot." + task.column(),
                        table.value(shots, task, AccuracyTable.Metric.BOTH));
            }
            metrics.put("incontext." + shots + "shot.avg", table.average(shots, AccuracyTable.Metric.BOTH));
            metrics.put("incontext." + shots + "shot.avg.textual", table.average(shots, AccuracyTable.Metric.TEXTUAL));
            metrics.put("incontext." + shots + "shot.avg.visual", table.average(shots, AccuracyTable.Metric.VISUAL));
        }
        return table;
    }

    private static void consistency(Vlm vlm, Settings settings, ExecutorService workers,
            Map<String, Double> metrics) {
        if (settings.consistencyPromptsPerTask() == 0 || settings.shots().isEmpty()) {
            return;
        }
        Map<Cell, int[]> demoImages = BenchmarkImages.render(settings.imageRange());
        List<Episode> episodes = new ArrayList<>();
        for (int shots : settings.shots()) {
            for (Task task : Task.paperOrder()) {
                for (int i = 0; i < settings.consistencyPromptsPerTask(); i++) {
                    episodes.add(Episode.of(task, shots, i));
                }
            }
        }
        List<String> answers = episodes.stream().map(episode -> TextCorpus.answer(episode.expected())).toList();
        List<float[][]> incontext = inChunks(workers, episodes.size(), (from, to) -> vlm.answerStates(
                episodes.subList(from, to).stream().map(episode -> settings.wording().forEpisode(episode)
                        .episode(episode, demoImages::get)).toList(), answers.subList(from, to)));
        List<float[][]> captions = inChunks(workers, episodes.size(), (from, to) -> {
            Images images = new Images(settings.imageRange());
            List<List<VlmItem>> prompts = new ArrayList<>();
            for (int i = from; i < to; i++) {
                prompts.add(settings.wording().forCaption(i).caption(images.render(episodes.get(i).expected(), 1)));
            }
            return vlm.answerStates(prompts, answers.subList(from, to));
        });
        double same = 0;
        double unrelated = 0;
        int unrelatedPairs = 0;
        for (int i = 0; i < episodes.size(); i++) {
            same += meanCosine(incontext.get(i), captions.get(i));
            int other = (i + 1) % episodes.size();
            if (!episodes.get(other).expected().equals(episodes.get(i).expected())) {
                unrelated += meanCosine(incontext.get(i), captions.get(other));
                unrelatedPairs++;
            }
        }
        metrics.put("consistency.cosine", same / episodes.size());
        metrics.put("consistency.cosine_unrelated", unrelated / Math.max(1, unrelatedPairs));
    }

    /** Mean over aligned tokens (the shorter length) of the cosine between two feature sequences. */
    static double meanCosine(float[][] a, float[][] b) {
        int tokens = Math.min(a.length, b.length);
        double sum = 0;
        for (int t = 0; t < tokens; t++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int d = 0; d < a[t].length; d++) {
                dot += a[t][d] * b[t][d];
                na += a[t][d] * a[t][d];
                nb += b[t][d] * b[t][d];
            }
            sum += dot / Math.sqrt(na * nb + 1e-12);
        }
        return sum / tokens;
    }

    /** Runs {@code work(from, to)} over [0, count) in chunks on the workers; results concatenated in order. */
    private static <T> List<T> inChunks(ExecutorService workers, int count, ChunkWork<T> work) {
        List<Future<List<T>>> futures = new ArrayList<>();
        for (int from = 0; from < count; from += CHUNK) {
            int start = from;
            int end = Math.min(count, from + CHUNK);
            futures.add(workers.submit(() -> work.apply(start, end)));
        }
        List<T> results = new ArrayList<>(count);
        try {
            for (Future<List<T>> future : futures) {
                results.addAll(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("VLM evaluation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("VLM evaluation failed", e.getCause());
        }
        return results;
    }

    @FunctionalInterface
    private interface ChunkWork<T> {
        List<T> apply(int from, int to);
    }
}
