package dev.thinkdiff.pipeline;

import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.FlowSampler;
import dev.thinkdiff.pipeline.CobsatResult.ControlOutcome;
import dev.thinkdiff.pipeline.CobsatResult.EpisodeOutcome;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.SeedRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A CoBSAT run's plan: what it runs ({@link Settings}), cut into {@link Unit}s, the batches an unsharded run takes one
 * after the other; a {@link Shard} takes its share of them, and {@link #merge} joins the shards' results into the
 * unsharded run's. {@link CobsatEvaluation} runs the units; the training job's {@code CobsatShards} stores a shard's
 * results and reads them back.
 */
public final class CobsatPlan {

    /** Episodes (or control images) per batch unless told otherwise. */
    public static final int DEFAULT_BATCH = 64;

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
     * @param wording the family every prompt (episodes and the control's captions) is worded in, each prompt's
     *     wording a function of the episode or control image; null (shards written before it): the benchmark's
     * @param queryContrast TBDN's query contrast α of the VLM's decoding (0: plain sampling; null: shards written
     *     before it, plain)
     */
    public record Settings(List<Task> tasks, List<Integer> shots, List<Integer> promptIndices, PromptSplit split,
                           long seed, int controlImages, SeedRange imageRange, int batch, int galleryPerTask,
                           Double guidanceScale, WordingFamily wording, Double queryContrast) {

        public Settings {
            wording = wording == null ? WordingFamily.BENCHMARK : wording;
            queryContrast = queryContrast == null ? 0.0 : queryContrast;
            if (!(queryContrast >= 0) || queryContrast.isInfinite()) {
                throw new IllegalArgumentException("the query contrast must be finite and >= 0, got " + queryContrast);
            }
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

        public Settings withWording(WordingFamily family) {
            return new Settings(tasks, shots, promptIndices, split, seed, controlImages, imageRange, batch,
                    galleryPerTask, guidanceScale, family, queryContrast);
        }

        /** The sampler every method draws with: the decoder's default steps, this run's guidance. */
        public FlowSampler.Settings sampler(DiffusionPipeline diffusion) {
            FlowSampler.Settings trained = diffusion.defaultSettings();
            return guidanceScale == null ? trained : new FlowSampler.Settings(trained.steps(), guidanceScale);
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

    private CobsatPlan() {
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
     * The shards' results as one run's: every unit of {@code settings} exactly once, in the units' order, seconds
     * summed. Refuses outcomes that are missing, repeated or not part of the settings, naming them.
     */
    public static CobsatResult merge(Settings settings, List<CobsatResult> shards) {
        Map<String, EpisodeOutcome> episodes = new HashMap<>();
        Map<Integer, ControlOutcome> control = new HashMap<>();
        List<String> repeated = new ArrayList<>();
        for (CobsatResult shard : shards) {
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
        return new CobsatResult(mergedControl, mergedEpisodes, List.of(),
                shards.stream().mapToDouble(CobsatResult::seconds).sum());
    }

    static String episodeId(int shots, Task task, int promptIndex) {
        return shots + "-shot " + task.column() + " prompt " + promptIndex;
    }

    private static String abbreviate(List<String> items) {
        return items.size() <= 5 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }
}
