package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.diffusion.AutoencoderEvaluation;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.LocalDirectoryBlobStore;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.Captions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drawing side as shipped: the autoencoder keeps what the judge looks at, and the diffusion decoder draws what a
 * caption says — a quick quality smoke that an untrained or broken model fails (chance is 1/100 per image).
 */
class ShippedDrawingTest {

    private static final int IMAGES = 60;

    @Test
    void shippedAutoencoderAndDiffusionDrawWhatCaptionsSay(@TempDir Path cacheDir) throws Exception {
        ModelCache cache = new ModelCache(new ModelStore(new LocalDirectoryBlobStore(ShippedModels.ROOT)), cacheDir);
        LoadedModel diffusionModel = ShippedModels.fetchLatest("diffusion", cacheDir);
        LoadedModel autoencoderModel = cache.fetch(new ModelRef(ShippedModels.FAMILY,
                "autoencoder", diffusionModel.manifest().inputs().get("autoencoder")));
        long shippedBytes = Files.size(diffusionModel.path(DiffusionPipeline.PARAMETERS_FILE))
                + Files.size(autoencoderModel.path(ImageAutoencoder.PARAMETERS_FILE));
        assertTrue(shippedBytes <= 16_000_000, "drawing side exceeds its 16 MB budget: " + shippedBytes);
        assertTrue(diffusionModel.manifest().metrics().containsKey("train_seconds"));

        try (Judge judge = Judge.load(ShippedModels.fetchLatest("judge", cacheDir))) {
            try (ImageAutoencoder autoencoder = ImageAutoencoder.load(autoencoderModel)) {
                double reconstructed = AutoencoderEvaluation.run(autoencoder, judge, 200).metrics()
                        .get("reconstruction.both");
                assertTrue(reconstructed >= 0.95, "judged reconstructions " + reconstructed);
            }
            try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                    DiffusionPipeline pipeline = DiffusionPipeline.load(diffusionModel, cache, encoder)) {
                SplittableRandom random = new SplittableRandom(17);
                List<Cell> cells = new ArrayList<>();
                List<String> captions = new ArrayList<>();
                long[] seeds = new long[IMAGES];
                List<Cell> all = BenchmarkImages.allCells();
                for (int i = 0; i < IMAGES; i++) {
                    Cell cell = all.get(random.nextInt(all.size()));
                    cells.add(cell);
                    captions.add(Captions.caption(cell, random.nextInt(Captions.phrasings(cell.theme()))));
                    seeds[i] = random.nextLong();
                }
                List<int[]> images = pipeline.generate(captions, seeds, pipeline.defaultSettings());
                int correct = 0;
                for (int i = 0; i < IMAGES; i++) {
                    JudgeAnswer answer = judge.answer(images.get(i), cells.get(i).theme());
                    correct += answer.attributeOption() == JudgeQuestion.ATTRIBUTE.correctOption(cells.get(i))
                            && answer.subjectOption() == JudgeQuestion.SUBJECT.correctOption(cells.get(i)) ? 1 : 0;
                }
                assertTrue(correct >= IMAGES * 0.6, "text → image both-correct " + correct + " of " + IMAGES);

                // Same batch, same bytes; a batch of another size may round differently in its last bit, since the
                // kernels tile matrices by size (seen with one PyTorch thread).
                List<int[]> pair = pipeline.generate(captions.subList(0, 2), new long[] {seeds[0], seeds[1]},
                        pipeline.defaultSettings());
                List<int[]> again = pipeline.generate(captions.subList(0, 2), new long[] {seeds[0], seeds[1]},
                        pipeline.defaultSettings());
                assertArrayEquals(pair.get(0), again.get(0), "same caption and seed, same image");
                List<int[]> other = pipeline.generate(captions.subList(0, 2), new long[] {seeds[0] + 1, seeds[1]},
                        pipeline.defaultSettings());
                assertFalse(Arrays.equals(pair.get(0), other.get(0)), "another seed draws another image");
            }
        }
    }
}
