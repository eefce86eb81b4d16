package dev.thinkdiff.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmDecoderTest {

    private static final LlmDecoderConfig SMALL = LlmDecoderConfigBuilder.builder(LlmDecoderConfig.defaults())
            .width(32).layers(2).heads(2).mlpHidden(64).maxTargetTokens(12).batchSize(8).steps(10).warmupSteps(2)
            .finalLearningRateFraction(0.1).corpusTexts(0).corpusShare(0.5).keyDropout(0.1).heldOutCellsPerTheme(4)
            .seed(3L).checkpointInterval(5)
            .build();
    private static final List<String> TEXTS = List.of("a green car", "create an image of a dog swimming");

    @TempDir
    static Path dir;
    private static MiniLmPromptEncoder encoder;
    private static LlmDecoder decoder;

    /** A randomly initialised decoder, saved and loaded the way a trained one is. */
    @BeforeAll
    static void load() throws Exception {
        encoder = MiniLmPromptEncoder.load();
        Vocabulary vocabulary;
        try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
            vocabulary = Vocabulary.ofWorld(tokenizer);
        }
        vocabulary.write(dir.resolve(Vocabulary.FILE_NAME));
        try (NDManager manager = NDManager.newBaseManager()) {
            LlmDecoderNet net = LlmDecoderNet.create(SMALL, vocabulary.size(), manager);
            ParameterInit.normal(net, 1, 0.1);
            TrainingRun.saveParameters(net, dir.resolve(LlmDecoder.PARAMETERS_FILE));
        }
        decoder = LlmDecoder.load(SMALL, dir.resolve(LlmDecoder.PARAMETERS_FILE), dir.resolve(Vocabulary.FILE_NAME));
    }

    @AfterAll
    static void close() {
        decoder.close();
        encoder.close();
    }

    @Test
    void logitsCoverEveryTargetPositionAndTheVocabulary() {
        EncodedPrompts prompts = encoder.encode(TEXTS);
        TargetTokens targets = decoder.targets(TEXTS);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(prompts.batchSize(), prompts.sequenceLength());
            NDArray logits = decoder.forward(targets.inputArray(manager),
                    manager.create(prompts.states(), shape.add(384)), manager.create(prompts.mask(), shape));
            assertEquals(new Shape(2, targets.length(), decoder.vocabulary().size()), logits.getShape());
        }
        // "create an image of a dog swimming" is 7 word pieces, + [CLS] in the inputs / [SEP] in the labels
        assertEquals(8, targets.length());
        assertEquals(decoder.vocabulary().startIndex(), targets.inputs()[0]);
        assertEquals(decoder.vocabulary().endIndex(), targets.labels()[3]); // after "a green car"
        assertEquals(decoder.vocabulary().padIndex(), targets.labels()[4]);
    }

    @Test
    void gradientReachesTheStatesWhileTheDecoderStaysFrozen() {
        EncodedPrompts prompts = encoder.encode(TEXTS);
        Map<String, float[]> before = parameterValues();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(prompts.batchSize(), prompts.sequenceLength());
            NDArray states = manager.create(prompts.states(), shape.add(384));
            states.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = decoder.crossEntropy(states, manager.create(prompts.mask(), shape), TEXTS);
                assertTrue(loss.getFloat() > 0);
                collector.backward(loss);
            }
            float[] gradient = states.getGradient().toFloatArray();
            double norm = 0;
            for (float g : gradient) {
                norm += g * g;
            }
            assertTrue(norm > 0, "no gradient reached the states");
            // padding states are masked out of cross-attention: no gradient there
            int padded = prompts.length(0) * 384; // text 0 is the shorter one
            for (int k = padded; k < prompts.sequenceLength() * 384; k++) {
                assertEquals(0f, gradient[k]);
            }
        }
        Map<String, float[]> after = parameterValues();
        before.forEach((name, values) -> assertTrue(java.util.Arrays.equals(values, after.get(name)), name));
    }

    private static Map<String, float[]> parameterValues() {
        Map<String, float[]> values = new java.util.TreeMap<>();
        try (NDManager ignored = NDManager.newBaseManager()) {
            decoder.parameters().forEach(pair -> {
                Parameter parameter = pair.getValue();
                assertFalse(parameter.requiresGradient(), pair.getKey() + " is trainable");
                values.put(pair.getKey(), parameter.getArray().toFloatArray());
            });
        }
        return values;
    }

    @Test
    void greedyGenerationIsDeterministicAndBounded() {
        EncodedPrompts prompts = encoder.encode(TEXTS);
        List<String> first = decoder.generate(prompts, 12);
        assertEquals(first, decoder.generate(prompts, 12));
        assertEquals(2, first.size());
        try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
            for (String text : first) {
                assertTrue(tokenizer.ids(text).length <= 12, text);
            }
        }
    }

    @Test
    void configSurvivesTheManifestMap() {
        assertEquals(LlmDecoderConfig.defaults(), LlmDecoderConfig.CODEC.fromMap(LlmDecoderConfig.defaults().toMap()));
        assertThrows(IllegalArgumentException.class, () -> LlmDecoderConfig.CODEC.fromMap(Map.of("width", 8)));
    }

    @Test
    void defaultDecoderStaysWithinItsSizeBudget() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LlmDecoderNet net = LlmDecoderNet.create(LlmDecoderConfig.defaults(), 300, manager);
            long parameters = TrainingLoop.parameterCount(net);
            assertTrue(parameters <= 2_600_000, parameters + " parameters");
        }
    }

    @Test
    void heldOutCaptionsAreFixedAndNeverInTheTrainingPool() {
        List<String> heldOut = LlmDecoderEvaluation.heldOutCaptions(40);
        assertEquals(200, heldOut.size());
        assertEquals(heldOut, LlmDecoderEvaluation.heldOutCaptions(40));
        LlmDecoderConfig config = LlmDecoderConfigBuilder.builder(LlmDecoderConfig.defaults())
                .width(32).layers(1).heads(2).mlpHidden(64).batchSize(8).steps(10).warmupSteps(2)
                .finalLearningRateFraction(0.1).corpusTexts(3000).corpusShare(0.5).keyDropout(0.1).seed(3L)
                .checkpointInterval(5)
                .build();
        TrainingTexts texts = TrainingTexts.of(config);
        for (List<TrainingTexts.TextPair> source : List.of(texts.corpus(), texts.captions(), texts.answers())) {
            for (TrainingTexts.TextPair pair : source) {
                assertFalse(heldOut.contains(pair.input()), pair.input());
                assertFalse(heldOut.contains(pair.target()), pair.target());
            }
        }
        assertEquals(3000, texts.corpus().stream().filter(pair -> !pair.continuation()).count());
    }
}
