package dev.thinkdiff.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.LocalDirectoryBlobStore;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.train.RunReference;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeTest {

    /** 2 conv stages, small batches: seconds per run. */
    private static final JudgeConfig TINY = JudgeConfigBuilder.builder(JudgeConfig.defaults())
            .channels(List.of(8, 16)).normGroups(4).batchSize(8).steps(40).warmupSteps(5)
            .finalLearningRateFraction(0.1).themes(JudgeConfig.ALL_THEMES).seed(11L).checkpointInterval(10)
            .evalImages(100)
            .build();

    @Test
    void defaultNetworkFitsTheBudgetAndGivesTwentyLogitsPerImage() {
        try (NDManager manager = NDManager.newBaseManager()) {
            JudgeNet net = JudgeNet.create(JudgeConfig.defaults(), manager);
            long parameters = TrainingLoop.parameterCount(net);
            assertTrue(parameters <= 1_000_000, parameters + " parameters");
            NDArray images = manager.randomUniform(0, 1, new Shape(3, 3, 64, 64));
            NDArray themes = manager.create(new int[] {0, 3, 4});
            NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(images, themes), false)
                    .singletonOrThrow();
            assertEquals(new Shape(3, 20), logits.getShape());
            assertEquals(new Shape(3, 10), JudgeNet.attributeLogits(logits).getShape());
            assertEquals(new Shape(3, 10), JudgeNet.subjectLogits(logits).getShape());
        }
    }

    @Test
    void configSurvivesTheManifestMap() {
        JudgeConfig config = JudgeConfig.defaults();
        Map<String, Object> map = config.toMap();
        assertEquals(config, JudgeConfig.CODEC.fromMap(map));
        assertThrows(IllegalArgumentException.class, () -> JudgeConfig.CODEC.fromMap(Map.of("channels", List.of(8))));
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUnbrokenOne(@TempDir Path dir) throws Exception {
        TrainingResult<JudgeConfig> unbroken = JudgeTraining.run(TINY, dir.resolve("unbroken"), false, -1);

        TrainingResult<JudgeConfig> stopped = JudgeTraining.run(TINY, dir.resolve("broken"), false, 20);
        assertEquals(20, stopped.stepsDone());
        assertTrue(Files.isDirectory(dir.resolve("broken/checkpoints/step-20")));
        TrainingResult<JudgeConfig> resumed = JudgeTraining.run(TINY, dir.resolve("broken"), true, -1);

        assertEquals(40, resumed.stepsDone());
        assertArrayEquals(Files.readAllBytes(unbroken.parameters()), Files.readAllBytes(resumed.parameters()));
        assertEquals(withoutTime(unbroken.metrics()), withoutTime(resumed.metrics()));
        assertTrue(Files.exists(dir.resolve("broken/metrics.json")));
        assertTrue(Files.exists(dir.resolve("broken/losses.json")));
        assertEquals(40, unbroken.manifest(new ModelRef("pocket", "judge", "test")).build().steps());
        // the weights and figures of the code before training moved onto TrainingLoop: on the CI machine of then
        // e2b2410f… (commit c5a24f2, same loss and overall.both); on AMD EPYC and Intel Xeon (AVX-512) recorded
        // from 7fcc5f5
        RunReference.assertReproduces(RunReference.values(unbroken.parameters(), Map.of(
                "train_loss", unbroken.metrics().get("train_loss"),
                "overall.both", unbroken.metrics().get("overall.both"))),
                new RunReference.Recorded("AuthenticAMD/avx512", "7fcc5f5", Map.of(
                        "sha256", "3240182091e7e8130ba2b6652d80a6888540e506a4cd300643482c41a00c96cf",
                        "train_loss", 4.8349405288696286, "overall.both", 0.02)),
                new RunReference.Recorded("GenuineIntel/avx512", "7fcc5f5", Map.of(
                        "sha256", "78d1fd8547483a7a74179bc6394856ff074cf09d2be934671de49bac81a624ca",
                        "train_loss", 4.834940481185913, "overall.both", 0.02)));
    }

    @Test
    void aShortRunOnOneThemeClearlyBeatsChanceOnHeldOutRenders(@TempDir Path dir) throws Exception {
        JudgeConfig config = JudgeConfigBuilder.builder(JudgeConfig.defaults())
                .channels(List.of(8, 16, 32)).batchSize(32).steps(60).learningRate(1e-2).weightDecay(0.0)
                .warmupSteps(5).finalLearningRateFraction(0.1).themes(List.of("color")).seed(3L)
                .checkpointInterval(60).evalImages(0)
                .build();
        TrainingResult<JudgeConfig> result = JudgeTraining.run(config, dir, false, -1);
        try (Judge judge = Judge.load(config, result.parameters())) {
            // colour theme only: held-out benchmark renders, 2 per cell
            WorldRenderer renderer = new WorldRenderer();
            List<int[]> images = new ArrayList<>();
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Cell cell = new Cell(Theme.COLOR, i / 10 % 10, i % 10);
                cells.add(cell);
                images.add(renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(1_000 + i)).clone());
            }
            List<JudgeAnswer> answers = judge.answerAll(images, Collections.nCopies(200, Theme.COLOR));
            int right = 0;
            for (int i = 0; i < answers.size(); i++) {
                right += answers.get(i).attributeOption() == cells.get(i).attribute() + 1 ? 1 : 0;
            }
            double accuracy = right / 200.0;
            assertTrue(accuracy > 0.5, "colour accuracy " + accuracy + " (chance 0.1)");
        }
    }

    @Test
    void answersAreOptionNumbersWithProbabilities(@TempDir Path dir) throws Exception {
        TrainingResult<JudgeConfig> result = JudgeTraining.run(JudgeConfigBuilder.builder(TINY).steps(2).build(), dir, false, -1);
        try (Judge judge = Judge.load(TINY, result.parameters())) {
            WorldRenderer renderer = new WorldRenderer();
            for (Theme theme : Theme.values()) {
                Cell cell = new Cell(theme, 3, 7);
                JudgeAnswer fromPixels = judge.answer(renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(5)), theme);
                JudgeAnswer fromImage = judge.answer(renderer.render(cell, SeedRange.BENCHMARK.seed(5)), theme);
                assertEquals(fromPixels, fromImage);
                assertTrue(fromPixels.attributeOption() >= 1 && fromPixels.attributeOption() <= 10);
                assertTrue(fromPixels.subjectOption() >= 1 && fromPixels.subjectOption() <= 10);
                assertTrue(fromPixels.attributeProbability() >= 0.1 - 1e-6 && fromPixels.attributeProbability() <= 1);
            }
        }
    }

    @Test
    void aPublishedJudgeLoadsFromTheStoreAndAnswersTheSame(@TempDir Path dir) throws Exception {
        TrainingResult<JudgeConfig> result = JudgeTraining.run(JudgeConfigBuilder.builder(TINY).steps(3).build(), dir.resolve("run"), false, -1);
        ModelRef ref = new ModelRef("pocket", "judge", "test-1");
        Manifest manifest = result.manifest(ref).build();
        assertTrue(manifest.metrics().containsKey("train_seconds"));
        assertTrue(manifest.metrics().containsKey("overall.both"));
        ModelStore store = new ModelStore(new LocalDirectoryBlobStore(dir.resolve("store")));
        store.publish(manifest, Map.of(Judge.PARAMETERS_FILE, result.parameters()));
        LoadedModel loaded = new ModelCache(store, dir.resolve("cache")).fetch(ref);

        int[] pixels = new WorldRenderer().renderPixels(new Cell(Theme.ACTION, 2, 5), SeedRange.BENCHMARK.seed(9));
        try (Judge published = Judge.load(loaded); Judge local = Judge.load(result.config(), result.parameters())) {
            assertEquals(result.config(), published.config());
            assertEquals(local.answer(pixels, Theme.ACTION), published.answer(pixels, Theme.ACTION));
        }
    }

    private static Map<String, Double> withoutTime(Map<String, Double> metrics) {
        Map<String, Double> copy = new TreeMap<>(metrics);
        copy.remove("train_seconds");
        return copy;
    }
}
