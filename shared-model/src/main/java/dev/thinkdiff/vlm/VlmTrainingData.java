package dev.thinkdiff.vlm;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The training stream: step k's batch is a pure function of (data seed, k). Every row pairs an in-context episode of a
 * random task (1..maxShots demos, random x permutation and θ, optionally after an instruction) with a captioning
 * sample of the episode's expected cell (a fresh render, a random instruction, image before or after it); a share of
 * the rows ({@link VlmConfig#wordingShare()}) is worded by a random training {@link WordingFamily} instead. Both are
 * answered with {@link TextCorpus#answer} of that cell. Renders come from {@link SeedRange#MODEL_TRAINING} only.
 */
final class VlmTrainingData {

    /**
     * Paired sequences: episodes.get(i) and captions.get(i) end in the same answer. The image cells list what every
     * image shows, in the order the images appear (episodes first, then captions).
     */
    record Batch(List<TokenSequence> episodes, List<TokenSequence> captions, List<Cell> imageCells) {
    }

    private final VlmConfig config;
    private final VlmTokenizer tokenizer;
    private final long dataSeed;
    private final Predicate<Cell> cells;
    private final WorldRenderer renderer = new WorldRenderer();

    /**
     * @param cells the cells an expected output may show (all, or e.g. one theme in a test); demo cells of an
     *     episode share its θ and theme, so tasks whose expected cells never pass are skipped
     */
    VlmTrainingData(VlmConfig config, VlmTokenizer tokenizer, long dataSeed, Predicate<Cell> cells) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.dataSeed = dataSeed;
        this.cells = cells;
    }

    /** Not thread-safe (one renderer): call from one thread. */
    Batch batch(int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<TokenSequence> episodes = new ArrayList<>();
        List<TokenSequence> captions = new ArrayList<>();
        List<Cell> episodeImages = new ArrayList<>();
        List<Cell> captionImages = new ArrayList<>();
        while (episodes.size() < config.episodesPerStep()) {
            Episode episode = randomEpisode(random);
            Cell expected = episode.expected();
            if (!cells.test(expected)) {
                continue;
            }
            String answer = TextCorpus.answer(expected);
            Function<Cell, int[]> images = cell -> {
                episodeImages.add(cell);
                return render(cell, random);
            };
            if (config.wordingShare() > 0 && random.nextDouble() < config.wordingShare()) {
                Wording wording = pick(random, WordingFamily.training()).sample(random);
                episodes.add(tokenizer.withAnswer(wording.episode(episode, images), answer));
                captions.add(tokenizer.withAnswer(wording.caption(render(expected, random)), answer));
            } else {
                String instruction = random.nextDouble() < config.episodeInstructionShare()
                        ? pick(random, VlmPrompts.EPISODE_INSTRUCTIONS) : null;
                episodes.add(tokenizer.withAnswer(VlmPrompts.episode(episode, images, instruction), answer));
                String captionInstruction = pick(random, VlmPrompts.CAPTION_INSTRUCTIONS);
                captions.add(tokenizer.withAnswer(VlmPrompts.caption(render(expected, random), captionInstruction,
                        random.nextBoolean()), answer));
            }
            captionImages.add(expected);
        }
        episodeImages.addAll(captionImages);
        return new Batch(episodes, captions, episodeImages);
    }

    Episode randomEpisode(SplittableRandom random) {
        return Episode.random(random, config.typeOneShare(), config.maxShots());
    }

    private int[] render(Cell cell, SplittableRandom random) {
        long seed = SeedRange.MODEL_TRAINING.seed(random.nextLong(SeedRange.MODEL_TRAINING.size()));
        return renderer.renderPixels(cell, seed).clone();
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
