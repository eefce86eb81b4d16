package dev.thinkdiff.pipeline;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.pipeline.CobsatPlan.ControlBatch;
import dev.thinkdiff.pipeline.CobsatPlan.EpisodeBatch;
import dev.thinkdiff.pipeline.CobsatPlan.Settings;
import dev.thinkdiff.pipeline.CobsatPlan.Shard;
import dev.thinkdiff.pipeline.CobsatPlan.Unit;
import dev.thinkdiff.pipeline.CobsatResult.ControlOutcome;
import dev.thinkdiff.pipeline.CobsatResult.EpisodeOutcome;
import dev.thinkdiff.pipeline.CobsatResult.Sample;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jboss.logging.Logger;

/**
 * Runs the CoBSAT benchmark on the whole pipeline, the benchmark's exact protocol: for every task, shot count and
 * prompt index, the episode ({@link Episode#of}) with the benchmark's one image per cell, after the authors'
 * instruction; the VLM answers (sampled as the aligner's config says: the authors' temperature 0.6, top-p 0.9); each
 * method turns that into a prompt embedding; the diffusion decoder draws it; the judge answers the expected cell's two
 * questions.
 *
 * <p>Every method draws from the same diffusion seed per episode, so they are compared on equal terms; the VLM's and
 * the sampler's seeds depend only on (seed, task, shots, index), never on batching or sharding. What is run, and how
 * it is cut into units, sharded and merged, is the {@link CobsatPlan}; what it finds, the {@link CobsatResult}.
 */
public final class CobsatEvaluation {

    private static final Logger LOG = Logger.getLogger(CobsatEvaluation.class);

    private static final long VLM_STREAM = 1;
    private static final long DIFFUSION_STREAM = 2;
    private static final long CONTROL_STREAM = 3;

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

    private CobsatEvaluation() {
    }

    /**
     * Runs the shard's units of {@code settings}: the single-image control through every answer method, the episodes
     * through every method (the first one is the headline).
     */
    public static CobsatResult run(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, AnswerMethod> controlMethods, Map<String, Method> methods, Settings settings, Shard shard) {
        long started = System.nanoTime();
        Map<Cell, int[]> demoImages = BenchmarkImages.render(settings.imageRange());
        List<ControlImage> controlImages = controlImages(settings);
        List<ControlOutcome> control = new ArrayList<>();
        List<EpisodeOutcome> episodes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Unit unit : shard.share(CobsatPlan.units(settings))) {
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
        return new CobsatResult(control, episodes, samples, (System.nanoTime() - started) / 1e9);
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
            prompts.add(settings.wording().forEpisode(episode).episode(episode, demoImages::get));
            vlmStreams[i] = episodeSeed(settings.seed(), VLM_STREAM, batch.task(), batch.shots(), index);
            diffusionSeeds[i] = episodeSeed(settings.seed(), DIFFUSION_STREAM, batch.task(), batch.shots(), index);
        }
        List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, sampling(encoder, settings), vlmStreams,
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

    /** One log line per unit: each method's both-correct rate within it. */
    private static void progress(Unit unit, List<Map<String, Boolean>> correct) {
        StringBuilder line = new StringBuilder("cobsat ").append(unit).append(':');
        for (String method : correct.get(0).keySet()) {
            long right = correct.stream().filter(outcome -> outcome.get(method)).count();
            line.append(String.format(Locale.ROOT, " %s %.3f", method, right / (double) correct.size()));
        }
        LOG.info(line);
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
     * fresh renders of random cells (benchmark range unless the settings say otherwise) → the VLM's caption → each
     * method → the diffusion decoder → the judge on the drawn cell's theme.
     */
    private static List<ControlOutcome> runControl(ThinkDiffEncoder encoder, DiffusionPipeline diffusion, Judge judge,
            Map<String, AnswerMethod> methods, List<ControlImage> images, int first, Settings settings) {
        WorldRenderer renderer = new WorldRenderer();
        List<List<VlmItem>> prompts = new ArrayList<>();
        long[] streams = new long[images.size()];
        long[] seeds = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            ControlImage image = images.get(i);
            prompts.add(settings.wording().forCaption(first + i).caption(renderer.renderPixels(image.cell(),
                    image.renderSeed())));
            streams[i] = image.vlmStream();
            seeds[i] = image.diffusionSeed();
        }
        List<ThinkDiffEncoder.Encoded> answers = encoder.encode(prompts, sampling(encoder, settings), streams,
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

    /** The VLM's sampling: as the aligner was trained, with the run's seed. */
    private static Sampling sampling(ThinkDiffEncoder encoder, Settings settings) {
        return encoder.aligner().config().sampling(settings.seed()).withQueryContrast(settings.queryContrast());
    }

    /** The seed of one episode's stream: a function of (seed, stream, task, shots, index) only. */
    static long episodeSeed(long seed, long stream, Task task, int shots, int index) {
        return Seeds.mix(Seeds.mix(Seeds.mix(Seeds.mix(seed, stream), task.id()), shots), index);
    }
}
