package dev.thinkdiff.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.RunReference;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignerTest {

    private static final int VLM_WIDTH = 12;
    private static final int DIMENSION = 8;

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    private static AlignerConfig config(AlignerConfig.Norm norm, boolean masking, int maxSplit) {
        Map<String, Object> map = new LinkedHashMap<>(AlignerConfig.defaults().toMap());
        map.put("vlm_width", VLM_WIDTH);
        map.put("prompt_dimension", DIMENSION);
        map.put("norm", norm.name());
        map.put("masking", masking);
        map.put("max_split", maxSplit);
        map.put("batch_size", 64);
        return AlignerConfig.CODEC.fromMap(map);
    }

    private static float[] encoderNorm() {
        float[] weight = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            weight[i] = 0.5f + i * 0.1f;
        }
        return weight;
    }

    private static Map<String, long[]> shapes(AlignerNet net) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : net.getParameters()) {
            shapes.put(entry.getKey(), entry.getValue().getArray().getShape().getShape());
        }
        return shapes;
    }

    @Test
    void anInContextShareAsksForThatShareOfEpisodeAnswersAndNoneKeepsEveryCaption() {
        AlignerConfig captions = AlignerConfigBuilder.builder(AlignerConfig.defaults()).poolImages(400)
                .inContextShare(0).build();
        List<int[]> images = AlignerTraining.poolImages(captions);
        List<List<VlmItem>> plain = AlignerTraining.poolPrompts(captions, images);
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(contents(VlmPrompts.caption(images.get(i), VlmPrompts.CAPTION_INSTRUCTION, true)),
                    contents(plain.get(i)), "entry " + i + " is its image's caption prompt");
        }
        List<List<VlmItem>> mixed = AlignerTraining.poolPrompts(
                AlignerConfigBuilder.builder(captions).inContextShare(0.5).build(), images);
        int episodes = 0;
        Set<Long> demoCounts = new TreeSet<>();
        for (List<VlmItem> prompt : mixed) {
            long pictures = prompt.stream().filter(item -> item instanceof VlmItem.Image).count();
            long texts = prompt.stream().filter(item -> item instanceof VlmItem.Text).count();
            if (texts > 2) { // instruction, a label per demo, the query
                episodes++;
                demoCounts.add(pictures);
            }
        }
        assertTrue(episodes > 160 && episodes < 240, episodes + " of 400 are episodes");
        assertEquals(Set.of(1L, 2L, 3L, 4L), demoCounts, "1 to 4 demos");
    }

    private static List<String> contents(List<VlmItem> prompt) {
        return prompt.stream().map(item -> item instanceof VlmItem.Text text ? text.text()
                : Arrays.toString(((VlmItem.Image) item).rgb())).toList();
    }

    @Test
    void layoutIsLinearGeluLinearRmsNormWithTheEncodersNormWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AlignerNet net = AlignerNet.create(config(AlignerConfig.Norm.ENCODER, true, 128), encoderNorm(), manager,
                    1);
            Map<String, long[]> shapes = shapes(net);
            assertEquals(List.of("01expand_weight", "01expand_bias", "02project_weight", "02project_bias",
                    "03norm_weight"), List.copyOf(shapes.keySet()));
            assertArrayEquals(new long[] {DIMENSION, VLM_WIDTH}, shapes.get("01expand_weight"));
            assertArrayEquals(new long[] {DIMENSION, DIMENSION}, shapes.get("02project_weight"));
            assertArrayEquals(encoderNorm(), net.getParameters().get("03norm_weight").getArray().toFloatArray());
            // PyTorch's Linear default: weights and biases within ±1/√fan_in, not constant
            float[] bias = net.getParameters().get("01expand_bias").getArray().toFloatArray();
            assertTrue(Arrays.stream(toDoubles(bias)).allMatch(b -> Math.abs(b) <= 1 / Math.sqrt(VLM_WIDTH)));
            assertTrue(Arrays.stream(toDoubles(bias)).distinct().count() > 1);

            float[] ones = new float[DIMENSION];
            Arrays.fill(ones, 1f);
            AlignerNet onesNet = AlignerNet.create(config(AlignerConfig.Norm.ONES, true, 128), encoderNorm(),
                    manager, 1);
            assertArrayEquals(ones, onesNet.getParameters().get("03norm_weight").getArray().toFloatArray());
            AlignerNet bare = AlignerNet.create(config(AlignerConfig.Norm.NONE, true, 128), encoderNorm(), manager,
                    1);
            assertFalse(shapes(bare).containsKey("03norm_weight"));
            assertEquals(4, shapes(bare).size());
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    @Test
    void maskedBatchesSplitInsideTheSequenceAndPredictTheRest() {
        try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
            Vocabulary vocabulary = Vocabulary.ofWorld(tokenizer);
            List<AlignerTraining.Description> pool = pool(tokenizer, vocabulary);
            int maxSplit = 3;
            AlignerConfig masked = config(AlignerConfig.Norm.ENCODER, true, maxSplit);
            Set<Integer> splitsSeen = new TreeSet<>();
            for (int step = 0; step < 20; step++) {
                AlignerTraining.Batch batch = AlignerTraining.batch(masked, pool, vocabulary, null, 11, step);
                FeatureBatch features = batch.features();
                for (int i = 0; i < features.size(); i++) {
                    int split = 0;
                    while (split < features.length() && features.mask()[i * features.length() + split] == 1f) {
                        split++;
                    }
                    AlignerTraining.Description description = find(pool, features, i, VLM_WIDTH);
                    int length = description.features().length;
                    assertTrue(split >= 1 && split <= Math.min(length - 1, maxSplit), "split " + split);
                    splitsSeen.add(split);
                    assertEquals(vocabulary.decode(Arrays.copyOfRange(description.tokens(), split,
                            description.textTokens())), batch.targets().get(i));
                }
            }
            assertEquals(Set.of(1, 2, 3), splitsSeen);

            AlignerConfig whole = config(AlignerConfig.Norm.ENCODER, false, maxSplit);
            AlignerTraining.Batch unmasked = AlignerTraining.batch(whole, pool, vocabulary, null, 11, 0);
            for (int i = 0; i < unmasked.features().size(); i++) {
                assertTrue(Arrays.asList(TEXTS).contains(unmasked.targets().get(i)), unmasked.targets().get(i));
            }
        }
    }

    @Test
    void dropoutHidesSomeAlignedVectorsFromTheDecoderButNeverAllOfASequence() {
        try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
            Vocabulary vocabulary = Vocabulary.ofWorld(tokenizer);
            List<AlignerTraining.Description> pool = pool(tokenizer, vocabulary);
            Map<String, Object> map = new LinkedHashMap<>(config(AlignerConfig.Norm.ENCODER, false, 128).toMap());
            AlignerTraining.Batch kept = AlignerTraining.batch(AlignerConfig.CODEC.fromMap(map), pool, vocabulary, null,
                    11, 0);
            assertArrayEquals(kept.features().mask(), kept.readMask());
            map.put("aligned_dropout", 0.5);
            AlignerTraining.Batch dropped = AlignerTraining.batch(AlignerConfig.CODEC.fromMap(map), pool, vocabulary, null,
                    11, 0);
            // the same pool entries and targets: the dropout draws come after everything else
            assertEquals(kept.targets(), dropped.targets());
            FeatureBatch features = dropped.features();
            int hidden = 0;
            for (int i = 0; i < features.size(); i++) {
                int read = 0;
                for (int t = 0; t < features.length(); t++) {
                    float real = features.mask()[i * features.length() + t];
                    float seen = dropped.readMask()[i * features.length() + t];
                    assertTrue(seen <= real, "padding is never read");
                    read += (int) seen;
                    hidden += (int) (real - seen);
                }
                assertTrue(read >= 1, "row " + i + " keeps a vector");
            }
            assertTrue(hidden > 0);
        }
    }

    @Test
    void snapScaleSetsHowNearlyAVectorBecomesItsNearestBankState() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray bank = manager.create(new float[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 3}});
            NDArray aligned = manager.create(new float[][] {{1, 0.5f, 0}});
            float[] sharp = StateBank.project(aligned, bank, 1000, 0).toFloatArray();
            assertArrayEquals(new float[] {1, 0, 0}, sharp, 1e-4f);
            float[] soft = StateBank.project(aligned, bank, 1, 0).toFloatArray();
            // a convex mix of the bank states: every state contributes, the nearest most
            assertTrue(soft[0] > soft[1] / 2 && soft[1] / 2 > soft[2] / 3 && soft[2] > 0, Arrays.toString(soft));
            // over the two nearest only: the third state gets no weight, the two keep the soft mix's proportion
            float[] nearest = StateBank.project(aligned, bank, 1, 2).toFloatArray();
            assertEquals(0, nearest[2], 1e-6f);
            assertEquals(soft[1] / soft[0], nearest[1] / nearest[0], 1e-4f);
            assertEquals(1, nearest[0] + nearest[1] / 2, 1e-5f, "weights sum to one");
        }
    }

    @Test
    void theInferenceSharpnessIsTheTrainingOneInManifestsWrittenBeforeItAndRoundTrips() {
        Map<String, Object> map = new LinkedHashMap<>(AlignerConfig.defaults().toMap());
        map.put("snap_scale", 5.0);
        map.put("inference_snap_scale", 12.5);
        AlignerConfig sharpened = AlignerConfig.CODEC.fromMap(map);
        assertEquals(5.0, sharpened.snapScale());
        assertEquals(12.5, sharpened.inferenceSnapScale());
        assertEquals(sharpened, AlignerConfig.CODEC.fromMap(sharpened.toMap()));
        map.remove("inference_snap_scale");
        assertEquals(5.0, AlignerConfig.CODEC.fromMap(map).inferenceSnapScale());
    }

    /**
     * The shipped recipe (sampled descriptions, aligned noise, snap projection) between tiny random models: 8 pool
     * images, 12 steps of batch 8.
     */
    @Test
    void aTinyRunEndsWithThePreRefactorParametersAndLoss(@TempDir Path dir) throws Exception {
        Map<String, Object> map = new LinkedHashMap<>(AlignerConfig.defaults().toMap());
        map.put("vlm_width", TinyModels.VLM_WIDTH);
        map.put("pool_images", 8);
        map.put("max_new_tokens", 8);
        map.put("batch_size", 8);
        map.put("steps", 12);
        map.put("warmup_steps", 3);
        map.put("checkpoint_interval", 12);
        map.put("snap_states", 64);
        map.put("in_context_share", 0.0); // recorded before the key: a pool of captions only
        AlignerConfig config = AlignerConfig.CODEC.fromMap(map);
        try (Vlm vlm = TinyModels.vlm(dir.resolve("models"));
                LlmDecoder decoder = TinyModels.decoder(dir.resolve("models"));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<AlignerConfig> result = AlignerTraining.run(config, vlm, decoder, encoder,
                    dir.resolve("run"), false, -1);
            assertEquals(12, result.stepsDone());
            // recorded before the trainings moved onto TrainingLoop.finish and TrainingResult (commit 7fcc5f5): the
            // same weights and loss (12 steps: the 100-step train_loss window of then and the 50 of now both see all)
            RunReference.assertReproduces(RunReference.values(result.parameters(), withoutTime(result.metrics())),
                    new RunReference.Recorded("AuthenticAMD/avx512", "7fcc5f5", Map.of(
                            "sha256", "d34a3b0380612ac73bfea377945dcfc680e28bf2c638e9b161dc004a0761655a",
                            "train_loss", 5.2072157462437945, "parameter_count", 167040.0)),
                    new RunReference.Recorded("GenuineIntel/avx512", "7fcc5f5", Map.of(
                            "sha256", "1fd2653293e0f3deb1f1ef1a56f74ce5c294b52319f4e20afdb2ab2560b068f5",
                            "train_loss", 5.207215785980225, "parameter_count", 167040.0)));
        }
    }

    static Map<String, Double> withoutTime(Map<String, Double> metrics) {
        Map<String, Double> measured = new LinkedHashMap<>(metrics);
        measured.remove("train_seconds");
        return measured;
    }

    private static final String[] TEXTS = {"create an image of a green car", "create an image of a dog", "a cat"};

    /** One description per text, with random features. */
    private static List<AlignerTraining.Description> pool(MiniLmTokenizer tokenizer, Vocabulary vocabulary) {
        List<AlignerTraining.Description> pool = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (String text : TEXTS) {
            int[] words = vocabulary.encode(tokenizer, text);
            int[] tokens = Arrays.copyOf(words, words.length + 1);
            tokens[words.length] = vocabulary.endIndex();
            float[][] features = new float[tokens.length][VLM_WIDTH];
            for (float[] feature : features) {
                for (int c = 0; c < VLM_WIDTH; c++) {
                    feature[c] = (float) random.nextGaussian();
                }
            }
            pool.add(new AlignerTraining.Description(features, tokens, words.length, new float[5][VLM_WIDTH]));
        }
        return pool;
    }

    /** The pool entry whose first feature is row i's first feature. */
    private static AlignerTraining.Description find(List<AlignerTraining.Description> pool, FeatureBatch batch, int i,
            int width) {
        float[] first = Arrays.copyOfRange(batch.features(), i * batch.length() * width,
                i * batch.length() * width + width);
        return pool.stream().filter(d -> Arrays.equals(d.features()[0], first)).findFirst().orElseThrow();
    }
}
