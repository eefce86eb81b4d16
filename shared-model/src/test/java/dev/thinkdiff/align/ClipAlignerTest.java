package dev.thinkdiff.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.thinkdiff.clip.ClipTexts;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.RunReference;
import dev.thinkdiff.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipAlignerTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    @Test
    void theConfigRoundTripsAndBuildsTheLvlmAlignersLayoutOnClipTokens() {
        assertEquals(ClipAlignerConfig.defaults(), ClipAlignerConfig.CODEC.fromMap(
                new LinkedHashMap<>(ClipAlignerConfig.defaults().toMap())));
        ClipAlignerConfig config = ClipAlignerConfig.unsnapped();
        assertEquals(config, ClipAlignerConfig.CODEC.fromMap(new LinkedHashMap<>(config.toMap())));
        AlignerConfig network = config.aligner();
        assertEquals(config.clipWidth() + config.imageTokens(), network.vlmWidth(), "tokens and position codes");
        assertEquals(config.snapStates(), network.snapStates());
        assertEquals(config.snapScale(), network.snapScale());
        float[] norm = new float[config.promptDimension()];
        Arrays.fill(norm, 0.7f);
        try (NDManager manager = NDManager.newBaseManager()) {
            AlignerNet net = AlignerNet.create(network, norm, manager, 1);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Pair<String, Parameter> entry : net.getParameters()) {
                shapes.put(entry.getKey(), entry.getValue().getArray().getShape().getShape());
            }
            assertEquals(List.of("01expand_weight", "01expand_bias", "02project_weight", "02project_bias",
                    "03norm_weight"), List.copyOf(shapes.keySet()));
            assertArrayEquals(new long[] {384, 128 + 5}, shapes.get("01expand_weight"));
            assertArrayEquals(norm, net.getParameters().get("03norm_weight").getArray().toFloatArray());
        }
    }

    @Test
    void eachTokenEntersTheAlignerWithItsPositionCode() {
        ClipAlignerConfig config = ClipAlignerConfig.unsnapped();
        float[][] tokens = new float[5][config.clipWidth()];
        tokens[2][7] = 0.5f;
        float[][] input = config.alignerInput(tokens);
        assertEquals(config.clipWidth() + 5, input[0].length);
        for (int t = 0; t < 5; t++) {
            for (int p = 0; p < 5; p++) {
                assertEquals(t == p ? 1f : 0f, input[t][config.clipWidth() + p]);
            }
        }
        assertEquals(0.5f, input[2][7]);
    }

    @Test
    void withAQuerySetEveryPositionReadsTheWholeImageAndItsOwnCode() {
        ClipAlignerConfig config = ClipAlignerConfig.defaults();
        assertEquals(12, config.positions());
        assertEquals(12, config.aligner().vlmWidth() - 5 * config.clipWidth(), "five tokens and a code of 12");
        float[][] tokens = new float[5][config.clipWidth()];
        tokens[0][3] = 0.25f;
        tokens[4][7] = 0.5f;
        float[][] input = config.alignerInput(tokens);
        assertEquals(12, input.length);
        for (int q = 0; q < 12; q++) {
            assertEquals(0.25f, input[q][3]);
            assertEquals(0.5f, input[q][4 * config.clipWidth() + 7]);
            for (int p = 0; p < 12; p++) {
                assertEquals(q == p ? config.queryCode() : 0f, input[q][5 * config.clipWidth() + p]);
            }
        }
    }

    @Test
    void aManifestWithoutTheQuerySetOrUseTimeSharpnessReadsAsItWasTrained() {
        Map<String, Object> legacy = new LinkedHashMap<>(ClipAlignerConfig.unsnapped().toMap());
        legacy.remove("aligned_positions");
        legacy.remove("snap_top_k");
        legacy.remove("inference_snap_scale");
        legacy.put("snap_scale", 20.0);
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(legacy);
        assertEquals(0, config.alignedPositions());
        assertEquals(5, config.positions(), "one aligned vector per CLIP token");
        assertEquals(20.0, config.inferenceSnapScale(), "used as sharp as trained");
        assertEquals(20.0, config.aligner().inferenceSnapScale());
        assertEquals(0, config.aligner().snapTopK(), "the projection over the whole bank");
    }

    @Test
    void batchesSplitATextOfTheImagesCellAtAWordAndEncodeThePrefix() {
        ClipAlignerConfig config = ClipAlignerConfig.unsnapped();
        List<ClipAlignerTraining.Example> pool = numberedPool(config);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            ClipAlignerTraining.Batch batch = ClipAlignerTraining.batch(config, pool, encoder, 5, 0);
            assertEquals(config.batchSize(), batch.images().size());
            assertEquals(5, batch.images().length());
            int emptyPrefixes = 0;
            for (int i = 0; i < config.batchSize(); i++) {
                ClipAlignerTraining.Example example = pool.get(
                        (int) batch.images().features()[i * 5 * config.inputWidth()]);
                String target = batch.targets().get(i);
                assertFalse(target.isEmpty(), "something to predict");
                int prefixTokens = batch.prefixes().length(i);
                emptyPrefixes += prefixTokens == 2 ? 1 : 0; // [CLS] [SEP]
                boolean matches = false;
                for (String text : ClipTexts.of(example.cell())) {
                    matches |= text.endsWith(target) && (text.equals(target) || text.endsWith(" " + target));
                }
                assertTrue(matches, target + " continues a text of " + example.cell());
            }
            assertTrue(emptyPrefixes >= config.batchSize() / 4 && emptyPrefixes < config.batchSize(),
                    "often the image alone must spell the whole text: " + emptyPrefixes);
            assertEquals(config.batchSize() * 5 * config.promptDimension(), batch.noise().length);
        }
    }

    /** With answer texts only, every image spells its cell's VLM answer whole, the one phrasing it is drawn from. */
    @Test
    void answerTextsOnlyGiveEveryImageItsCellsAnswerWhole() {
        ClipAlignerConfig config = ClipAlignerConfigBuilder.builder(ClipAlignerConfig.unsnapped())
                .answerTextOnly(true).wholeTextShare(1.0).build();
        List<ClipAlignerTraining.Example> pool = numberedPool(config);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            ClipAlignerTraining.Batch batch = ClipAlignerTraining.batch(config, pool, encoder, 5, 0);
            for (int i = 0; i < config.batchSize(); i++) {
                ClipAlignerTraining.Example example = pool.get(
                        (int) batch.images().features()[i * 5 * config.inputWidth()]);
                assertEquals(TextCorpus.answer(example.cell()), batch.targets().get(i));
                assertEquals(2, batch.prefixes().length(i), "no prefix: [CLS] [SEP]");
            }
        }
    }

    /** Ten examples of different cells, each image's first token value its index in the pool. */
    private static List<ClipAlignerTraining.Example> numberedPool(ClipAlignerConfig config) {
        List<ClipAlignerTraining.Example> pool = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            float[][] tokens = new float[5][config.clipWidth()];
            tokens[0][0] = i;
            pool.add(new ClipAlignerTraining.Example(new Cell(Theme.values()[i % 5], i, 9 - i),
                    config.alignerInput(tokens)));
        }
        return pool;
    }

    /** The unsnapped recipe (split texts, aligned noise) between tiny random models: 8 pool images, 12 steps of batch 8. */
    @Test
    void aTinyRunEndsWithThePreRefactorParametersAndLoss(@TempDir Path dir) throws Exception {
        Map<String, Object> map = new LinkedHashMap<>(ClipAlignerConfig.unsnapped().toMap());
        map.put("clip_width", TinyModels.CLIP_WIDTH);
        map.put("pool_images", 8);
        map.put("batch_size", 8);
        map.put("steps", 12);
        map.put("warmup_steps", 3);
        map.put("checkpoint_interval", 12);
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(map);
        try (ClipVision vision = TinyModels.clipVision(dir.resolve("models"));
                LlmDecoder decoder = TinyModels.decoder(dir.resolve("models"));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<ClipAlignerConfig> result = ClipAlignerTraining.run(config, vision, decoder, encoder,
                    dir.resolve("run"), false, -1);
            assertEquals(12, result.stepsDone());
            // recorded before the trainings moved onto TrainingLoop.finish and TrainingResult (commit 7fcc5f5): the
            // same weights and loss (12 steps: the 100-step train_loss window of then and the 50 of now both see all)
            RunReference.assertReproduces(RunReference.values(result.parameters(),
                    AlignerTest.withoutTime(result.metrics())),
                    new RunReference.Recorded("AuthenticAMD/avx512", "7fcc5f5", Map.of(
                            "sha256", "ca11dc5c0312d8566fa6a0897b485ef40323fc7b5a474af782b8ebf0aa278766",
                            "train_loss", 5.109126329421997, "parameter_count", 156672.0)),
                    new RunReference.Recorded("GenuineIntel/avx512", "7fcc5f5", Map.of(
                            "sha256", "ddb3f230bf527e787c7cc453072941bf81fd608d7a797a8d587d7bdad2e457a2",
                            "train_loss", 5.109126448631287, "parameter_count", 156672.0)));
        }
    }
}
