package dev.thinkdiff.pipeline;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.FlowEulerSampler;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The CoBSAT benchmark on the whole pipeline, the benchmark's exact protocol: for every task, shot count and prompt
 * index, the episode ({@link Episode#of}) with the benchmark's one image per cell, after the authors' instruction; the
 * VLM answers (sampled as the aligner's config says, {@code Aligner.config().sampling}: the authors' temperature
 * 0.6, top-p 0.9); each method turns that into a prompt embedding; the diffusion decoder draws it; the judge answers
 * the expected cell's two questions.
 *
 * <p>Every method draws from the same diffusion seed per episode, so they are compared on equal terms; the VLM's and
 * the sampler's seeds depend only on (seed, task, shots, index), never on batching or sharding. The work is cut into
 * {@link Unit}s, the batches an unsharded run takes one after the other; a {@link Shard} runs its share of them and
 * {@link #merge} joins the shards' results into the unsharded run's.
 */
public final class CobsatEvaluation {

    private static final long VLM_STREAM = 1;
    private static final long DIFFUSION_STREAM = 2;
    private static final long CONTROL_STREAM = 3;
    /** Episodes (or control images) per batch unless told otherwise. */
    public static final int DEFAULT_BATCH = 64;

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
     * @param controlImages images of the single-image control (0 skips it)
     * @param imageRange where every image of the run comes from, the control's renders and the episodes' demo images
     *     (one render per cell): BENCHMARK (held out from every model) for the report, MODEL_TRAINING for a
     *     development run that chooses a setting, which must not be tuned on benchmark-range images (render seeds
     *     drawn at random among a billion: the odds that a training run drew one of them are ~10⁻⁶ per image)
     * @param batch episodes (or control images) run at once; a batch is also the unit a sharded run splits, so a shard
     *     runs the very batches (same inputs, same shapes) the unsharded run does, even where kernels depend on shapes
     * @param galleryPerTask episodes per task and shot count kept as samples for the gallery
     * @param guidanceScale the diffusion sampler's classifier-free guidance for every method; null: the decoder's
     *     trained default
     */
    public record Settings(List<Task> tasks, List<Integer> shots, List<Integer> promptIndices, PromptSplit split,
                           long seed, int controlImages, SeedRange imageRange, int batch, int galleryPerTask,
                           Double guidanceScale) {

        public Settings {
            imageRange = imageRange == null ? SeedRange.BENCHMARK : imageRange; // shards written before it
            if (imageRange == SeedRange.JUDGE_TRAINING) {
                throw new IllegalArgumentException("a run draws BENCHMARK or MODEL_TRAINING renders");
            }
            tasks = List.copyOf(tasks);
            shots = List.copyOf(shots);
            promptIndices = List.copyOf(promptIndices);
            if (promptIndices.stream().anyMatch(i -> i < 0 || i > 999)) {
                throw new IllegalArgumentException("prompt indices must lie in 0..999");
            }
            if (controlImages < 0 || batch < 1 || galleryPerTask < 0 || guidanceScale != null && guidanceScale < 0) {
                throw new IllegalArgumentException(
                        "control images, gallery episodes and guidance must be >= 0, the batch >= 1");
            }
        }

        /** The sampler every method draws with: the decoder's default steps, this run's guidance. */
        public FlowEulerSampler.Settings sampler(DiffusionPipeline diffusion) {
            FlowEulerSampler.Settings trained = diffusion.defaultSettings();
            return guidanceScale == null ? trained : new FlowEulerSampler.Settings(trained.steps(), guidanceScale);
        }
    }

    /** A batch of work: what the pipeline runs at once, and the unit a sharded run splits. */
    public sealed interface Unit permits ControlBatch, EpisodeBatch {
    }

    /** Single-image control images {@code from} (inclusive) to {@code to} (exclusive). */
    public record ControlBatch(int from, int to) implements Unit {

        @Override
        public String toString() {
            return "control images " + from + ".." + (to - 1);
        }
    }

    /** The episodes of one shot count and task at positions {@code from..to-1} of the settings' prompt indices. */
    public record EpisodeBatch(int shots, Task task, int from, int to) implements Unit {

        @Override
        public String toString() {
            return shots + "-shot " + task.column() + " prompts at " + from + ".." + (to - 1);
        }
    }

    /**
     * Shard {@code index} of {@code count} takes units index, index + count, index + 2·count, … of
     * {@link #units}: round-robin, so every shard gets a share of every task and shot count.
     */
    public record Shard(int index, int count) {

        public Shard {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard index " + index + " of " + count
                        + ": the count must be >= 1 and the index in 0..count-1");
            }
        }

        public <T> List<T> share(List<T> units) {
            return IntStream.range(0, units.size()).filter(i -> i % count == index).mapToObj(units::get).toList();
        }

        @Override
        public String toString() {
            return "shard " + index + " of " + count;
        }
    }

    /** One episode of the gallery: the prompt, the VLM's answer and each method's image with its verdict. */
    public record Sample(Episode episode, String answer, Map<String, int[]> images, Map<String, Judgement> verdicts) {
    }

    /** One episode's outcome: the VLM's answer and, per method (in the methods' order), the judge's verdict. */
    public record EpisodeOutcome(int shots, Task task, int promptIndex, String answer,
                                 Map<String, Judgement> verdicts) {

        String id() {
            return episodeId(shots, task, promptIndex);
        }
    }

    /**
     * One control image's outcome: its cell's theme (null in shards written before it) and, per method, whether the
     * judge named both items of the drawn cell right.
     */
    public record ControlOutcome(int image, Theme theme, Map<String, Boolean> correct) {
    }

    /**
     * The outcomes of the units a run took (all of them unless sharded), in the units' order, the gallery samples
     * and the seconds it took.
     */
    public record Result(List<ControlOutcome> control, List<EpisodeOutcome> episodes, List<Sample> samples,
                         double seconds) {

        public Result {
            control = List.copyOf(control);
            episodes = List.copyOf(episodes);
            samples = List.copyOf(samples);
        }

        /** Per method, in the methods' order: the paper-style table (the first method is the headline). */
        public Map<String, AccuracyTable> tables() {
            Map<String, AccuracyTable> tables = new LinkedHashMap<>();
            for (EpisodeOutcome episode : episodes) {
                episode.verdicts().forEach((method, verdict) ->
                        tables.computeIfAbsent(method, m -> new AccuracyTable()).add(episode.shots(), verdict));
            }
            return tables;
        }

        /** Per method: the single-image control's both-correct rate (empty without a control). */
        public Map<String, Double> controlRates() {
            Map<String, Double> rates = new LinkedHashMap<>();
            for (String method : control.isEmpty() ? Set.<String>of() : control.get(0).correct().keySet()) {
                long correct = control.stream().filter(outcome -> outcome.correct().get(method)).count();
                rates.put(method, correct / (double) control.size());
            }
            return rates;
        }

        /** Per method, then per theme (in the themes' order): the control's both-correct rate where themes are known. */
        public Map<String, Map<Theme, Double>> controlRatesByTheme() {
            Map<String, Map<Theme, Double>> rates = new LinkedHashMap<>();
            for (String method : controlRates().keySet()) {
                Map<Theme, Double> byTheme = new EnumMap<>(Theme.class);
                for (Theme theme : Theme.values()) {
                    List<ControlOutcome> drawn = control.stream().filter(outcome -> outcome.theme() == theme).toList();
                    if (!drawn.isEmpty()) {
                        byTheme.put(theme, drawn.stream().filter(outcome -> outcome.correct().get(method)).count()
                                / (double) drawn.size());
                    }
                }
                rates.put(method, byTheme);
            }
            return rates;
        }
    }

    private CobsatEvaluation() {
    }

    /** Every unit of {@code settings} in the order an unsharded run takes them: the control, then shots × tasks. */
    public static List<Unit> units(Settings settings) {
        List<Unit> units = new ArrayList<>();
        for (int from = 0; from < settings.controlImages(); from += settings.batch()) {
            units.add(new ControlBatch(from, Math.min(settings.controlImages(), from + settings.batch())));
        }
        int prompts = settings.promptIndices().size();
        for (int shots : settings.shots()) {
            for (Task task : settings.tasks()) {
                for (int from = 0; from < prompts; from += settings.batch()) {
                    units.add(new EpisodeBatch(shots, task, from, Math.min(prompts, from + settings.batch())));
                }
            }
        }
        return units;
    }

    /**
     * Runs the shard's units of {@code settings}: the single-image control through every answer method, the episodes
     * through every method (the first one is the headline).
     */
    public static Result run(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, AnswerMethod> controlMethods, Map<String, Method> methods, Settings settings, Shard shard) {
        long started = System.nanoTime();
        Map<Cell, int[]> demoImages = BenchmarkImages.render(settings.imageRange());
        List<ControlImage> controlImages = controlImages(settings);
        List<ControlOutcome> control = new ArrayList<>();
        List<EpisodeOutcome> episodes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Unit unit : shard.share(units(settings))) {
            if (unit instanceof ControlBatch batch) {
                List<ControlOutcome> outcomes = runControl(encoder, diffusion, judge, controlMethods,
                        controlImages.subList(batch.from(), batch.to()), batch.from(), settings);
                control.addAll(outcomes);
                progress(unit, outcomes.stream().map(ControlOutcome::correct).toList());
            } else {
                EpisodeBatch batch = (EpisodeBatch) unit;
                List<EpisodeOutcome> outcomes = runEpisodes(encoder, diffusion, judge, methods, settings, batch,
                        demoImages, samples);
                episodes.addAll(outcomes);
                progress(unit, outcomes.stream().map(outcome -> {
                    Map<String, Boolean> correct = new LinkedHashMap<>();
                    outcome.verdicts().forEach((method, verdict) -> correct.put(method, verdict.correct()));
                    return correct;
                }).toList());
            }
        }
        return new Result(control, episodes, samples, (System.nanoTime() - started) / 1e9);
    }

    /** One episode batch through every method; appends the batch's gallery samples to {@code samples}. */
    private static List<EpisodeOutcome> runEpisodes(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, Method> methods, Settings settings, EpisodeBatch batch, Map<Cell, int[]> demoImages,
            List<Sample> samples) {
        List<Episode> episodes = new ArrayList<>();
        List<List<VlmItem>> prompts = new ArrayList<>();
        long[] vlmStreams = new long[batch.to() - batch.from()];
        long[] diffusionSeeds = new long[vlmStreams.length];
        for (int i = 0; i < vlmStreams.length; i++) {
            int index = settings.promptIndices().get(batch.from() + i);
            Episode episode = Episode.of(batch.task(), batch.shots(), index, settings.split());
            episodes.add(episode);
            prompts.add(VlmPrompts.episode(episode, demoImages::get, VlmPrompts.EPISODE_INSTRUCTION));
            vlmStreams[i] = episodeSeed(settings.seed(), VLM_STREAM, batch.task(), batch.shots(), index);
            diffusionSeeds[i] = episodeSeed(settings.seed(), DIFFUSION_STREAM, batch.task(), batch.shots(), index);
        }
        List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, encoder.aligner().config().sampling(settings.seed()), vlmStreams,
                encoder.aligner().config().maxNewTokens());
        Map<String, List<int[]>> images = new LinkedHashMap<>();
        Map<String, List<Judgement>> verdicts = new LinkedHashMap<>();
        for (Map.Entry<String, Method> method : methods.entrySet()) {
            List<float[]> embeddings = new ArrayList<>();
            for (int i = 0; i < episodes.size(); i++) {
                embeddings.add(method.getValue().embed(episodes.get(i), answers.get(i)));
            }
            List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(embeddings,
                    diffusion.config().promptDimension()), diffusionSeeds, settings.sampler(diffusion));
            List<Judgement> judged = new ArrayList<>();
            for (int i = 0; i < episodes.size(); i++) {
                judged.add(judge.score(drawn.get(i), batch.task(), episodes.get(i).expected()));
            }
            images.put(method.getKey(), drawn);
            verdicts.put(method.getKey(), judged);
        }
        List<EpisodeOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) {
            Map<String, Judgement> episodeVerdicts = new LinkedHashMap<>();
            int position = i;
            verdicts.forEach((method, judged) -> episodeVerdicts.put(method, judged.get(position)));
            outcomes.add(new EpisodeOutcome(batch.shots(), batch.task(), episodes.get(i).promptIndex(),
                    answers.get(i).generation().text(), episodeVerdicts));
            if (batch.from() + i < settings.galleryPerTask()) {
                samples.add(sample(episodes.get(i), answers.get(i).generation(), images, verdicts, i));
            }
        }
        return outcomes;
    }

    private static Sample sample(Episode episode, Generation generation, Map<String, List<int[]>> images,
            Map<String, List<Judgement>> verdicts, int i) {
        Map<String, int[]> sampleImages = new LinkedHashMap<>();
        Map<String, Judgement> sampleVerdicts = new LinkedHashMap<>();
        images.forEach((method, drawn) -> sampleImages.put(method, drawn.get(i)));
        verdicts.forEach((method, judged) -> sampleVerdicts.put(method, judged.get(i)));
        return new Sample(episode, generation.text(), sampleImages, sampleVerdicts);
    }

    /** One line per unit on stderr: each method's both-correct rate within it. */
    private static void progress(Unit unit, List<Map<String, Boolean>> correct) {
        StringBuilder line = new StringBuilder("cobsat ").append(unit).append(':');
        for (String method : correct.get(0).keySet()) {
            long right = correct.stream().filter(outcome -> outcome.get(method)).count();
            line.append(String.format(Locale.ROOT, " %s %.3f", method, right / (double) correct.size()));
        }
        System.err.println(line);
    }

    /**
     * A control image's random choices: its cell, render seed, VLM stream and diffusion seed. Image i's are the i-th
     * draws of one stream of (seed, control), as they always were; drawing them all is cheap, so every shard replays
     * the stream and image i's choices depend on (seed, i) only.
     */
    private record ControlImage(Cell cell, long renderSeed, long vlmStream, long diffusionSeed) {
    }

    private static List<ControlImage> controlImages(Settings settings) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(settings.seed(), CONTROL_STREAM));
        List<Cell> allCells = BenchmarkImages.allCells();
        List<ControlImage> images = new ArrayList<>();
        for (int i = 0; i < settings.controlImages(); i++) {
            Cell cell = allCells.get(random.nextInt(allCells.size()));
            long renderSeed = settings.imageRange().seed(1 + random.nextInt(1_000_000));
            images.add(new ControlImage(cell, renderSeed, random.nextLong(), random.nextLong()));
        }
        return images;
    }

    /**
     * The single-image control, which must approach the two-stage baseline before in-context numbers mean anything:
     * fresh renders of random cells (benchmark range unless the settings say otherwise) → the VLM's caption (the authors' sampling) → each method → the
     * diffusion decoder → the judge on the drawn cell's theme.
     */
    private static List<ControlOutcome> runControl(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, AnswerMethod> methods, List<ControlImage> images, int first, Settings settings) {
        WorldRenderer renderer = new WorldRenderer();
        List<List<VlmItem>> prompts = new ArrayList<>();
        long[] streams = new long[images.size()];
        long[] seeds = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            ControlImage image = images.get(i);
            prompts.add(VlmPrompts.caption(renderer.renderPixels(image.cell(), image.renderSeed()),
                    VlmPrompts.CAPTION_INSTRUCTION, true));
            streams[i] = image.vlmStream();
            seeds[i] = image.diffusionSeed();
        }
        List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, encoder.aligner().config().sampling(settings.seed()), streams,
                encoder.aligner().config().maxNewTokens());
        List<Map<String, Boolean>> correct = new ArrayList<>();
        images.forEach(image -> correct.add(new LinkedHashMap<>()));
        for (Map.Entry<String, AnswerMethod> method : methods.entrySet()) {
            List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(answers.stream().map(method.getValue()::embed)
                    .toList(), diffusion.config().promptDimension()), seeds, settings.sampler(diffusion));
            for (int i = 0; i < images.size(); i++) {
                Cell cell = images.get(i).cell();
                JudgeAnswer answer = judge.answer(drawn.get(i), cell.theme());
                correct.get(i).put(method.getKey(), answer.bothRight(cell));
            }
        }
        List<ControlOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            outcomes.add(new ControlOutcome(first + i, images.get(i).cell().theme(), correct.get(i)));
        }
        return outcomes;
    }

    /**
     * The shards' results as one run's: every unit of {@code settings} exactly once, in the units' order, seconds
     * summed. Refuses outcomes that are missing, repeated or not part of the settings, naming them.
     */
    public static Result merge(Settings settings, List<Result> shards) {
        Map<String, EpisodeOutcome> episodes = new HashMap<>();
        Map<Integer, ControlOutcome> control = new HashMap<>();
        List<String> repeated = new ArrayList<>();
        for (Result shard : shards) {
            shard.episodes().forEach(outcome -> {
                if (episodes.put(outcome.id(), outcome) != null) {
                    repeated.add(outcome.id());
                }
            });
            shard.control().forEach(outcome -> {
                if (control.put(outcome.image(), outcome) != null) {
                    repeated.add("control image " + outcome.image());
                }
            });
        }
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException("outcomes present more than once: " + abbreviate(repeated));
        }
        List<ControlOutcome> mergedControl = new ArrayList<>();
        List<EpisodeOutcome> mergedEpisodes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Unit unit : units(settings)) {
            int before = mergedControl.size() + mergedEpisodes.size();
            int size;
            if (unit instanceof ControlBatch batch) {
                size = batch.to() - batch.from();
                IntStream.range(batch.from(), batch.to()).mapToObj(control::remove).filter(Objects::nonNull)
                        .forEach(mergedControl::add);
            } else {
                EpisodeBatch batch = (EpisodeBatch) unit;
                size = batch.to() - batch.from();
                settings.promptIndices().subList(batch.from(), batch.to()).stream()
                        .map(index -> episodes.remove(episodeId(batch.shots(), batch.task(), index)))
                        .filter(Objects::nonNull).forEach(mergedEpisodes::add);
            }
            if (mergedControl.size() + mergedEpisodes.size() - before != size) {
                missing.add(unit.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("outcomes missing for " + abbreviate(missing));
        }
        if (!episodes.isEmpty() || !control.isEmpty()) {
            List<String> foreign = new ArrayList<>(episodes.keySet());
            control.keySet().forEach(image -> foreign.add("control image " + image));
            throw new IllegalArgumentException("outcomes not part of the settings: " + abbreviate(foreign));
        }
        return new Result(mergedControl, mergedEpisodes, List.of(),
                shards.stream().mapToDouble(Result::seconds).sum());
    }

    private static String episodeId(int shots, Task task, int promptIndex) {
        return shots + "-shot " + task.column() + " prompt " + promptIndex;
    }

    private static String abbreviate(List<String> items) {
        return items.size() <= 5 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }

    /** The seed of one episode's stream: a function of (seed, stream, task, shots, index) only. */
    static long episodeSeed(long seed, long stream, Task task, int shots, int index) {
        return Seeds.mix(Seeds.mix(Seeds.mix(Seeds.mix(seed, stream), task.id()), shots), index);
    }
}
