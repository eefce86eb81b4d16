package dev.thinkdiff.pipeline;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
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
 * The CoBSAT benchmark on the whole pipeline, the benchmark's exact protocol: for every task, shot count and prompt
 * index, the episode ({@link Episode#of}) with the benchmark's one image per cell, after the authors' instruction; the
 * VLM answers (the authors' sampling: temperature 0.6, top-p 0.9); each method turns that into a prompt embedding;
 * the diffusion decoder draws it; the judge answers the expected cell's two questions.
 *
 * <p>Every method draws from the same diffusion seed per episode, so they are compared on equal terms; the VLM's and
 * the sampler's seeds depend only on (seed, task, shots, index), never on batching or sharding.
 */
public final class CobsatEvaluation {

    private static final long VLM_STREAM = 1;
    private static final long DIFFUSION_STREAM = 2;
    private static final long CONTROL_STREAM = 3;
    private static final int CHUNK = 64;

    /** Turns the VLM's answer into a prompt embedding (flat [T × d]), whatever the prompt was. */
    @FunctionalInterface
    public interface AnswerMethod {
        float[] embed(ThinkDiffEncoder.Encoded answer);

        /** ThinkDiff itself: the aligned features of the generated tokens. */
        static AnswerMethod thinkDiff() {
            return ThinkDiffEncoder.Encoded::embedding;
        }

        /** Another aligner on the same generation: features of the generated tokens, or of the prompt's own tokens. */
        static AnswerMethod aligner(Aligner aligner, boolean inputTokens) {
            return answer -> aligner.align(inputTokens ? answer.generation().inputStates()
                    : answer.generation().features());
        }

        /** Baseline: the VLM's generated TEXT through the prompt encoder (two stages, no aligner). */
        static AnswerMethod twoStage(PromptEncoder encoder) {
            return answer -> encoder.encode(answer.generation().text()).tokenStates(0);
        }
    }

    /** Turns an episode and the VLM's answer into a prompt embedding (flat [T × d]). */
    @FunctionalInterface
    public interface Method {
        float[] embed(Episode episode, ThinkDiffEncoder.Encoded answer);

        static Method of(AnswerMethod method) {
            return (episode, answer) -> method.embed(answer);
        }

        /** Baseline: the query text alone through the prompt encoder, no images. */
        static Method textOnly(PromptEncoder encoder) {
            return (episode, answer) -> encoder.encode(episode.textItem(episode.queryX()).trim()).tokenStates(0);
        }
    }

    /**
     * @param tasks tasks to run, in the paper's column order
     * @param shots shot counts
     * @param promptIndices benchmark prompt indices (0..999) run for every task and shot count
     * @param split the prompt lists
     * @param seed VLM sampling and diffusion seeds
     * @param galleryPerTask episodes per task and shot count kept as samples for the gallery
     */
    public record Settings(List<Task> tasks, List<Integer> shots, List<Integer> promptIndices, PromptSplit split,
                           long seed, int galleryPerTask) {

        public Settings {
            tasks = List.copyOf(tasks);
            shots = List.copyOf(shots);
            promptIndices = List.copyOf(promptIndices);
            if (promptIndices.stream().anyMatch(i -> i < 0 || i > 999)) {
                throw new IllegalArgumentException("prompt indices must lie in 0..999");
            }
        }
    }

    /** One episode of the gallery: the prompt, the VLM's answer and each method's image with its verdict. */
    public record Sample(Episode episode, String answer, Map<String, int[]> images, Map<String, Judgement> verdicts) {
    }

    /** Per method: the paper-style table; and the gallery samples. */
    public record Result(Map<String, AccuracyTable> tables, List<Sample> samples, double seconds) {
    }

    private CobsatEvaluation() {
    }

    /** Runs every episode of {@code settings} through every method (the first one is the headline). */
    public static Result run(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, Method> methods, Settings settings) {
        long started = System.nanoTime();
        Map<Cell, int[]> demoImages = BenchmarkImages.render();
        Map<String, AccuracyTable> tables = new LinkedHashMap<>();
        methods.keySet().forEach(name -> tables.put(name, new AccuracyTable()));
        List<Sample> samples = new ArrayList<>();
        Sampling sampling = Sampling.authors(settings.seed());
        for (int shots : settings.shots()) {
            for (Task task : settings.tasks()) {
                List<Integer> indices = settings.promptIndices();
                for (int from = 0; from < indices.size(); from += CHUNK) {
                    int to = Math.min(indices.size(), from + CHUNK);
                    List<Episode> episodes = new ArrayList<>();
                    List<List<VlmItem>> prompts = new ArrayList<>();
                    long[] vlmStreams = new long[to - from];
                    long[] diffusionSeeds = new long[to - from];
                    for (int i = from; i < to; i++) {
                        int index = indices.get(i);
                        Episode episode = Episode.of(task, shots, index, settings.split());
                        episodes.add(episode);
                        prompts.add(VlmPrompts.episode(episode, demoImages::get, VlmPrompts.EPISODE_INSTRUCTION));
                        vlmStreams[i - from] = episodeSeed(settings.seed(), VLM_STREAM, task, shots, index);
                        diffusionSeeds[i - from] = episodeSeed(settings.seed(), DIFFUSION_STREAM, task, shots, index);
                    }
                    List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, sampling, vlmStreams,
                            encoder.aligner().config().maxNewTokens());
                    Map<String, List<int[]>> images = new LinkedHashMap<>();
                    Map<String, List<Judgement>> verdicts = new LinkedHashMap<>();
                    for (Map.Entry<String, Method> method : methods.entrySet()) {
                        List<float[]> embeddings = new ArrayList<>();
                        for (int i = 0; i < episodes.size(); i++) {
                            embeddings.add(method.getValue().embed(episodes.get(i), answers.get(i)));
                        }
                        List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(embeddings,
                                diffusion.config().promptDimension()), diffusionSeeds, diffusion.defaultSettings());
                        List<Judgement> judged = new ArrayList<>();
                        for (int i = 0; i < episodes.size(); i++) {
                            Judgement judgement = judge.score(drawn.get(i), task, episodes.get(i).expected());
                            judged.add(judgement);
                            tables.get(method.getKey()).add(shots, judgement);
                        }
                        images.put(method.getKey(), drawn);
                        verdicts.put(method.getKey(), judged);
                    }
                    for (int i = 0; i < Math.min(episodes.size(), settings.galleryPerTask() - from); i++) {
                        samples.add(sample(episodes.get(i), answers.get(i).generation(), images, verdicts, i));
                    }
                }
                System.err.printf("cobsat %d-shot %-4s %s%n", shots, task.column(), summary(tables, shots, task));
            }
        }
        return new Result(tables, samples, (System.nanoTime() - started) / 1e9);
    }

    private static Sample sample(Episode episode, Generation generation, Map<String, List<int[]>> images,
            Map<String, List<Judgement>> verdicts, int i) {
        Map<String, int[]> sampleImages = new LinkedHashMap<>();
        Map<String, Judgement> sampleVerdicts = new LinkedHashMap<>();
        images.forEach((method, drawn) -> sampleImages.put(method, drawn.get(i)));
        verdicts.forEach((method, judged) -> sampleVerdicts.put(method, judged.get(i)));
        return new Sample(episode, generation.text(), sampleImages, sampleVerdicts);
    }

    private static String summary(Map<String, AccuracyTable> tables, int shots, Task task) {
        StringBuilder line = new StringBuilder();
        tables.forEach((method, table) -> line.append(String.format(Locale.ROOT, " %s %.3f", method,
                table.value(shots, task, AccuracyTable.Metric.BOTH))));
        return line.toString().trim();
    }

    /**
     * The single-image control, which must approach the two-stage baseline before in-context numbers mean anything:
     * fresh benchmark-range renders of random cells → the VLM's caption (the authors' sampling) → each method → the
     * diffusion decoder → the judge on the drawn cell's theme. Returns both-correct per method.
     */
    public static Map<String, Double> singleImageControl(ThinkDiffEncoder encoder, DiffusionPipeline diffusion,
            Judge judge, Map<String, AnswerMethod> methods, int images, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, CONTROL_STREAM));
        List<Cell> allCells = BenchmarkImages.allCells();
        WorldRenderer renderer = new WorldRenderer();
        List<Cell> cells = new ArrayList<>();
        List<List<VlmItem>> prompts = new ArrayList<>();
        long[] streams = new long[images];
        long[] seeds = new long[images];
        for (int i = 0; i < images; i++) {
            Cell cell = allCells.get(random.nextInt(allCells.size()));
            cells.add(cell);
            int[] pixels = renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(1 + random.nextInt(1_000_000)));
            prompts.add(VlmPrompts.caption(pixels.clone(), VlmPrompts.CAPTION_INSTRUCTION, true));
            streams[i] = random.nextLong();
            seeds[i] = random.nextLong();
        }
        List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, Sampling.authors(seed), streams,
                encoder.aligner().config().maxNewTokens());
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<String, AnswerMethod> method : methods.entrySet()) {
            List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(answers.stream().map(method.getValue()::embed)
                    .toList(), diffusion.config().promptDimension()), seeds, diffusion.defaultSettings());
            int correct = 0;
            for (int i = 0; i < images; i++) {
                JudgeAnswer answer = judge.answer(drawn.get(i), cells.get(i).theme());
                correct += answer.attributeOption() == JudgeQuestion.ATTRIBUTE.correctOption(cells.get(i))
                        && answer.subjectOption() == JudgeQuestion.SUBJECT.correctOption(cells.get(i)) ? 1 : 0;
            }
            rates.put(method.getKey(), correct / (double) images);
        }
        return rates;
    }

    /** The seed of one episode's stream: a function of (seed, stream, task, shots, index) only. */
    static long episodeSeed(long seed, long stream, Task task, int shots, int index) {
        return Seeds.mix(Seeds.mix(Seeds.mix(Seeds.mix(seed, stream), task.id()), shots), index);
    }
}
