package dev.thinkdiff.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.nn.GarbageCollection;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.RunReference;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VlmTest {

    private static final int CAR = ItemList.OBJECT.indexOf("car");

    private static MiniLmTokenizer miniLm;
    private static Vocabulary vocabulary;
    private static VlmTokenizer tokenizer;
    private static final WorldRenderer RENDERER = new WorldRenderer();

    @BeforeAll
    static void loadTokenizer() {
        DjlRuntime.configure();
        miniLm = MiniLmTokenizer.load();
        vocabulary = Vocabulary.ofWorld(miniLm);
        tokenizer = new VlmTokenizer(miniLm, vocabulary, tiny(10).imageTokens());
    }

    @AfterAll
    static void closeTokenizer() {
        miniLm.close();
    }

    /** A few-thousand-parameter VLM: 4 image tokens, one layer. */
    private static VlmConfig tiny(int steps) {
        return VlmConfigBuilder.builder(VlmConfig.defaults())
                .channels(List.of(8, 16, 16, 32)).convsPerStage(1).normGroups(4).width(48).layers(2).heads(2)
                .mlpHidden(96).maxPositions(96).episodesPerStep(8).maxShots(2).typeOneShare(0.5)
                .episodeInstructionShare(0.5).steps(steps).learningRate(3e-3).weightDecay(0.0).warmupSteps(5)
                .finalLearningRateFraction(0.1).maxGradientNorm(0).maxNewTokens(12).seed(11L).checkpointInterval(10)
                .build();
    }

    /** The tiny VLM without the image-label term: here every image is a car, which would only teach "car". */
    private static VlmConfig learner(int steps) {
        return VlmConfigBuilder.builder(VlmConfig.defaults())
                .channels(List.of(8, 16, 16, 32)).convsPerStage(1).normGroups(4).width(48).layers(2).heads(2)
                .mlpHidden(96).maxPositions(96).episodesPerStep(8).maxShots(2).typeOneShare(0.5)
                .episodeInstructionShare(0.5).imageLabelWeight(0.0).steps(steps).learningRate(3e-3).weightDecay(0.0)
                .warmupSteps(5).finalLearningRateFraction(0.1).maxGradientNorm(0).maxNewTokens(12).seed(11L)
                .checkpointInterval(50)
                .build();
    }

    private static int[] render(Cell cell, long offset) {
        return RENDERER.renderPixels(cell, SeedRange.BENCHMARK.seed(offset)).clone();
    }

    private static List<VlmItem> captionPrompt(Cell cell) {
        return VlmPrompts.caption(render(cell, 0), VlmPrompts.CAPTION_INSTRUCTION, true);
    }

    private static List<VlmItem> episodePrompt(int index) {
        return VlmPrompts.episode(Episode.of(Task.COLOR_I, 2, index), cell -> render(cell, 0), null);
    }

    @Test
    void sequencesInterleaveTextAndImageTokensAndEndInTheAnswerMarker() {
        TokenSequence sequence = tokenizer.withAnswer(episodePrompt(0), "create an image of a red car");
        int imageTokens = tiny(1).imageTokens();
        assertEquals(2, sequence.images().size());
        assertEquals(2 * imageTokens, java.util.Arrays.stream(sequence.types()).filter(t -> t == 1).count());
        assertEquals(vocabulary.startIndex(), sequence.tokens()[0]);
        assertEquals(vocabulary.endIndex(), sequence.tokens()[sequence.promptLength() - 1]);
        assertEquals(vocabulary.endIndex(), sequence.tokens()[sequence.length() - 1]);
        assertEquals(sequence.length(), sequence.promptLength() + sequence.answerLength());
        assertEquals("create an image of a red car", vocabulary.decode(java.util.Arrays.copyOfRange(
                sequence.tokens(), sequence.promptLength(), sequence.length())));
    }

    @Test
    void statesAreCausalPaddingFreeAndTheCacheMatchesTheFullForward() {
        VlmConfig config = tiny(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 1, 0.2);
            ParameterStore store = new ParameterStore(manager, false);
            TokenSequence longer = tokenizer.prompt(episodePrompt(0));
            TokenSequence shorter = tokenizer.prompt(captionPrompt(new Cell(Theme.COLOR, CAR, 2)));
            NDArray batch = net.hiddenStates(store, VlmInputs.of(List.of(longer, shorter), vocabulary.padIndex(),
                    config.imageTokens()).arrays(manager), false);
            assertEquals(new Shape(2, longer.length(), config.width()), batch.getShape());

            // a right-padded row gives the same states as the sequence alone: no real token sees padding
            NDArray alone = net.hiddenStates(store, VlmInputs.of(List.of(shorter), vocabulary.padIndex(),
                    config.imageTokens()).arrays(manager), false);
            assertClose(alone.get(0).toFloatArray(),
                    batch.get("1, 0:" + shorter.length() + ", :").toFloatArray());

            // prefill of all but the last token, then one cached step, equals the full forward
            TokenSequence prefix = new TokenSequence(java.util.Arrays.copyOf(longer.tokens(), longer.length() - 1),
                    java.util.Arrays.copyOf(longer.types(), longer.length() - 1), longer.images(),
                    longer.length() - 1, 0);
            NDList prefixInputs = VlmInputs.of(List.of(prefix), vocabulary.padIndex(), config.imageTokens())
                    .arrays(manager);
            VlmNet.Decoding decoding = net.prefill(store, prefixInputs);
            VlmNet.Decoding next = net.step(store, manager.create(new int[] {longer.tokens()[longer.length() - 1]},
                    new Shape(1, 1)), longer.length() - 1, decoding.cache());
            assertClose(batch.get("0, -1, :").toFloatArray(), next.states().toFloatArray());
            assertClose(batch.get("0, 0:-1, :").toFloatArray(), decoding.states().toFloatArray());

            // repeated images encoded once give the same states as one encoding per occurrence
            VlmInputs shared = VlmInputs.of(List.of(longer, longer), vocabulary.padIndex(), config.imageTokens(), true);
            assertEquals(2, shared.imageCount());
            assertClose(net.hiddenStates(store, VlmInputs.of(List.of(longer, longer), vocabulary.padIndex(),
                    config.imageTokens()).arrays(manager), false).toFloatArray(),
                    net.hiddenStates(store, shared.arrays(manager), false).toFloatArray());

            // changing a later token leaves earlier states alone (causal)
            int[] changed = longer.tokens().clone();
            changed[changed.length - 1] = vocabulary.startIndex();
            TokenSequence edited = new TokenSequence(changed, longer.types(), longer.images(), longer.promptLength(),
                    0);
            NDArray editedStates = net.hiddenStates(store, VlmInputs.of(List.of(edited), vocabulary.padIndex(),
                    config.imageTokens()).arrays(manager), false);
            assertClose(batch.get("0, 0:-1, :").toFloatArray(), editedStates.get("0, 0:-1, :").toFloatArray());
        }
    }

    @Test
    void generationIsDeterministicAndReturnsOneFeaturePerGeneratedToken(@TempDir Path dir) throws Exception {
        VlmConfig config = tiny(1);
        Path parameters = dir.resolve(Vlm.PARAMETERS_FILE);
        Path vocabularyFile = dir.resolve(Vocabulary.FILE_NAME);
        try (NDManager manager = NDManager.newBaseManager()) {
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 2, 0.3);
            TrainingRun.saveParameters(net, parameters);
        }
        vocabulary.write(vocabularyFile);
        List<List<VlmItem>> prompts = List.of(episodePrompt(0), captionPrompt(new Cell(Theme.STYLE, 3, 4)),
                episodePrompt(1));
        try (Vlm vlm = Vlm.load(config, parameters, vocabularyFile)) {
            List<Generation> greedy = vlm.generate(prompts, Sampling.GREEDY, 8);
            List<Generation> again = vlm.generate(prompts, Sampling.GREEDY, 8);
            for (int i = 0; i < prompts.size(); i++) {
                Generation g = greedy.get(i);
                assertArrayEquals(g.tokens(), again.get(i).tokens());
                assertEquals(g.tokens().length, g.features().length);
                assertTrue(g.tokens().length >= 1 && g.tokens().length <= 8);
                assertEquals(config.width(), g.features()[0].length);
                assertEquals(tokenizer.prompt(prompts.get(i)).length(), g.inputStates().length);
                // the first feature is the state at the prompt's closing marker
                assertArrayEquals(g.inputStates()[g.inputStates().length - 1], g.features()[0], 1e-5f);
                assertEquals(vocabulary.decode(g.tokens()), g.text());
            }
            // a prompt alone decodes as in a batch
            assertArrayEquals(greedy.get(1).tokens(), vlm.generateOne(prompts.get(1), Sampling.GREEDY, 8).tokens());
            // teacher forcing the greedy answer reproduces its features
            Generation first = greedy.get(0);
            if (first.finished()) {
                float[][] forced = vlm.answerStates(List.of(prompts.get(0)), List.of(first.text())).get(0);
                assertEquals(first.features().length, forced.length);
                assertArrayEquals(first.features()[forced.length - 1], forced[forced.length - 1], 1e-4f);
            }

            Sampling hot = new Sampling(1.5, 0.95, 7);
            List<Generation> sampled = vlm.generate(prompts, hot, 8);
            List<Generation> resampled = vlm.generate(prompts, hot, 8);
            List<Generation> otherSeed = vlm.generate(prompts, new Sampling(1.5, 0.95, 8), 8);
            boolean anyDifferent = false;
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(sampled.get(i).tokens(), resampled.get(i).tokens());
                anyDifferent |= !java.util.Arrays.equals(sampled.get(i).tokens(), otherSeed.get(i).tokens());
            }
            assertTrue(anyDifferent, "another seed should sample something else from an untrained model");
        }
    }

    @Test
    void queryContrastiveDecodingChoosesByTheContrastedLogitsOfBothStreams(@TempDir Path dir) throws Exception {
        VlmConfig config = tiny(1);
        Path parameters = dir.resolve(Vlm.PARAMETERS_FILE);
        Path vocabularyFile = dir.resolve(Vocabulary.FILE_NAME);
        double strength = 1.5;
        List<VlmItem> prompt = episodePrompt(0);
        List<Integer> expected = new java.util.ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 3, 0.3);
            TrainingRun.saveParameters(net, parameters);
            ParameterStore store = new ParameterStore(manager, false);
            TokenSequence full = tokenizer.prompt(prompt);
            TokenSequence without = tokenizer.prompt(prompt.subList(0, prompt.size() - 1));
            // two greedy tokens, each the argmax of (1 + α)·l − α·l' over full forwards of both streams
            for (int step = 0; step < 2; step++) {
                float[] with = lastLogits(net, store, manager, config, full);
                float[] contrast = lastLogits(net, store, manager, config, without);
                int best = -1;
                double bestValue = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < with.length; v++) {
                    double value = (1 + strength) * with[v] - strength * contrast[v];
                    boolean special = v == vocabulary.padIndex() || v == vocabulary.startIndex()
                            || v == vocabulary.unknownIndex();
                    if (!special && value > bestValue) {
                        best = v;
                        bestValue = value;
                    }
                }
                expected.add(best);
                full = appended(full, best);
                without = appended(without, best);
            }
        }
        vocabulary.write(vocabularyFile);
        try (Vlm vlm = Vlm.load(config, parameters, vocabularyFile)) {
            Generation contrasted = vlm.generate(List.of(prompt, captionPrompt(new Cell(Theme.COLOR, CAR, 2))),
                    Sampling.GREEDY.withQueryContrast(strength), 2).get(0);
            int[] first = contrasted.tokens();
            for (int i = 0; i < Math.min(2, first.length); i++) {
                assertEquals(expected.get(i), first[i], "token " + i);
            }
            assertTrue(first.length == 2 || first[0] == vocabulary.endIndex());
            // a prompt ending in an image has no query to drop: decoded as without the contrast
            List<VlmItem> caption = VlmPrompts.caption(render(new Cell(Theme.STYLE, 3, 4), 0),
                    VlmPrompts.CAPTION_INSTRUCTION, false);
            assertArrayEquals(vlm.generateOne(caption, Sampling.GREEDY, 6).tokens(),
                    vlm.generateOne(caption, Sampling.GREEDY.withQueryContrast(strength), 6).tokens());
        }
    }

    private static float[] lastLogits(VlmNet net, ParameterStore store, NDManager manager, VlmConfig config,
            TokenSequence sequence) {
        NDArray states = net.hiddenStates(store, VlmInputs.of(List.of(sequence), vocabulary.padIndex(),
                config.imageTokens()).arrays(manager), false);
        return net.logits(store, states.get("0:1, -1:, :"), false).toFloatArray();
    }

    /** The sequence with one more text token, typed as its last (the answer marker, a text token). */
    private static TokenSequence appended(TokenSequence sequence, int token) {
        int n = sequence.length();
        int[] tokens = java.util.Arrays.copyOf(sequence.tokens(), n + 1);
        tokens[n] = token;
        int[] types = java.util.Arrays.copyOf(sequence.types(), n + 1);
        types[n] = types[n - 1];
        return new TokenSequence(tokens, types, sequence.images(), n + 1, 0);
    }

    /**
     * Every expected cell a car of some colour: a short run learns the answer phrasing and the subject (what the
     * tiny model can learn in seconds; reading the colour takes the real model's thousands of steps).
     */
    @Test
    void aShortRunLearnsTheAnswerPhrasingOfColouredCars(@TempDir Path dir) throws Exception {
        TrainingResult<VlmConfig> result = VlmTraining.run(learner(150), null, dir, false, -1,
                cell -> cell.theme() == Theme.COLOR && cell.subject() == CAR, null);
        assertEquals(150, result.stepsDone());
        assertTrue(result.trainLoss() < 0.6, "train loss " + result.trainLoss());
        List<Episode> episodes = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> Episode.of(Task.COLOR_I, 2, i)).filter(e -> e.theta() == CAR).limit(5).toList();
        List<List<VlmItem>> prompts = new java.util.ArrayList<>(episodes.stream().map(e -> VlmPrompts.episode(e,
                cell -> render(cell, 0), null)).toList());
        for (int colour = 0; colour < 5; colour++) {
            prompts.add(captionPrompt(new Cell(Theme.COLOR, CAR, colour)));
        }
        String colours = String.join("|", ItemList.COLOR.items());
        try (Vlm vlm = Vlm.load(result.config(), result.parameters(), result.file(Vocabulary.FILE_NAME))) {
            for (Generation answer : vlm.generate(prompts, Sampling.GREEDY, 12)) {
                assertTrue(answer.finished() && answer.text().matches("create an image of a (" + colours + ") car"),
                        answer.text());
            }
        }
        Manifest manifest = result.manifest(new ModelRef("pocket", "vlm", "test")).build();
        assertEquals(150, manifest.steps());
        assertTrue(manifest.files().containsKey(Vlm.PARAMETERS_FILE));
        assertTrue(manifest.files().containsKey(Vocabulary.FILE_NAME));
        assertTrue(manifest.inputs().get("prompt-encoder").startsWith("all-minilm-l6-v2@"));
        assertEquals(result.config(), VlmConfig.CODEC.fromMap(manifest.config()));
    }

    /**
     * The step's gradients do not depend on when the JVM collects garbage. A collection between the forward and the
     * backward pass used to free the constants of DJL's mul(Number) (the attention scale, the loss weights) that
     * autograd still read: garbage gradients, and NaN at random steps of long runs (VLM fine-tune, step 217).
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardLeavesTheGradientsAlone() throws Exception {
        float[] undisturbed = stepGradients(false);
        float[] collected = stepGradients(true);
        assertTrue(java.util.stream.IntStream.range(0, undisturbed.length).allMatch(i -> Float.isFinite(undisturbed[i])));
        assertArrayEquals(undisturbed, collected);
    }

    /** Every parameter's gradient after one training step's loss (both loss weights on), flattened. */
    private static float[] stepGradients(boolean collectGarbageBeforeBackward) throws Exception {
        VlmConfig config = tiny(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 3, 0.02);
            VlmTraining.Prepared batch = VlmTraining.prepare(new VlmTrainingData(config, tokenizer, 5, cell -> true),
                    config, vocabulary, 0);
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = VlmTraining.loss(net, new ParameterStore(manager, false), batch, config, step);
                if (collectGarbageBeforeBackward) {
                    GarbageCollection.collect();
                }
                collector.backward(loss);
            }
            java.io.ByteArrayOutputStream gradients = new java.io.ByteArrayOutputStream();
            for (var parameter : net.getParameters().values()) {
                gradients.writeBytes(parameter.getArray().getGradient().toByteArray());
            }
            java.nio.FloatBuffer floats = java.nio.ByteBuffer.wrap(gradients.toByteArray())
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            float[] values = new float[floats.remaining()];
            floats.get(values);
            return values;
        }
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUnbrokenOne(@TempDir Path dir) throws Exception {
        VlmConfig config = tiny(6);
        TrainingResult<VlmConfig> unbroken = VlmTraining.run(config, null, dir.resolve("unbroken"), false, -1,
                cell -> true, null);
        TrainingResult<VlmConfig> stopped = VlmTraining.run(config, null, dir.resolve("broken"), false, 3,
                cell -> true, null);
        assertEquals(3, stopped.stepsDone());
        TrainingResult<VlmConfig> resumed = VlmTraining.run(config, null, dir.resolve("broken"), true, -1,
                cell -> true, null);
        assertEquals(6, resumed.stepsDone());
        assertArrayEquals(Files.readAllBytes(unbroken.parameters()), Files.readAllBytes(resumed.parameters()));
        assertEquals(withoutTime(unbroken.metrics()), withoutTime(resumed.metrics()));
        // the weights and loss of the code before training moved onto TrainingLoop: on the CI machine of then
        // 49f7e1f9… (commit c5a24f2, same loss), on AMD EPYC and Intel Xeon (AVX-512) recorded from 7fcc5f5
        RunReference.assertReproduces(RunReference.values(unbroken.parameters(), Map.of(
                "train_loss", unbroken.metrics().get("train_loss"))),
                new RunReference.Recorded("AuthenticAMD/avx512", "7fcc5f5", Map.of(
                        "sha256", "c8b025642029c95d047dd0479e8d41ab19515f9db8208eecf52b1b09cc8995a6",
                        "train_loss", 8.453392823537191)),
                new RunReference.Recorded("GenuineIntel/avx512", "7fcc5f5", Map.of(
                        "sha256", "11c0410c998427fe6a9a8ffc6c56b315083d8d36413888867f3892d72e70571c",
                        "train_loss", 8.453392823537191)));
    }

    @Test
    void aFineTuningRunStartsAtItsParentAndTrainsOnOtherWordings(@TempDir Path dir) throws Exception {
        TrainingResult<VlmConfig> parentRun = VlmTraining.run(tiny(2), null, dir.resolve("parent"), false, -1,
                cell -> true, null);
        VlmTraining.Parent parent = new VlmTraining.Parent("v-parent", parentRun.parameters(),
                parentRun.file(Vocabulary.FILE_NAME));
        Map<String, Object> settings = new java.util.LinkedHashMap<>(tiny(3).toMap());
        settings.put("wording_share", 1.0);
        settings.put("init_from", "v-parent");
        VlmConfig child = VlmConfig.CODEC.fromMap(settings);
        TrainingResult<VlmConfig> started = VlmTraining.run(child, parent, dir.resolve("child"), false, 0, cell -> true,
                null);
        assertEquals(0, started.stepsDone());
        assertArrayEquals(Files.readAllBytes(parentRun.parameters()), Files.readAllBytes(started.parameters()));
        TrainingResult<VlmConfig> tuned = VlmTraining.run(child, parent, dir.resolve("child"), true, -1,
                cell -> true, null);
        assertEquals(3, tuned.stepsDone());
        assertTrue(Double.isFinite(tuned.trainLoss()));
        assertEquals("v-parent", VlmConfig.CODEC.fromMap(tuned.manifest(new ModelRef("pocket", "vlm", "t")).build()
                .config()).initFrom());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VlmTraining.run(child, null, dir.resolve("orphan"), false, -1, cell -> true, null));
    }

    private static Map<String, Double> withoutTime(Map<String, Double> metrics) {
        Map<String, Double> copy = new TreeMap<>(metrics);
        copy.remove("train_seconds");
        return copy;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f, "at " + i);
        }
    }
}
