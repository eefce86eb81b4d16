package dev.thinkdiff.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmDecoderTrainingTest {

    private static final List<String> HANDFUL = List.of("a green car", "a dog swimming", "a wooden chair",
            "a photo of a red apple", "a lion in space", "a cat that is asleep");

    /** Captions only, no noise: a model that must simply learn to copy six captions. */
    private static LlmDecoderConfig tiny(int steps) {
        return new LlmDecoderConfig(64, 1, 2, 128, 16, 384, 12, steps, 5e-3, 0.0, 10, 0.1, 0, 0.0, 0.0, 0.0, 0.0,
                0.0, 1.0, 2, 5L, 50);
    }

    @Test
    void aShortRunLearnsToReconstructAHandfulOfCaptions(@TempDir Path dir) throws Exception {
        LlmDecoderTraining.Result result = LlmDecoderTraining.run(tiny(100),
                TrainingTexts.captionsOnly(HANDFUL), dir, false, -1);
        assertTrue(result.trainLoss() < 0.1, "train loss " + result.trainLoss());
        try (LlmDecoder decoder = LlmDecoder.load(result.config(), result.parameters(), result.vocabulary());
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            assertEquals(HANDFUL, decoder.generate(encoder.encode(HANDFUL), 16));
        }
        Manifest manifest = result.manifest(new ModelRef("pocket", "llm-decoder", "test")).build();
        assertEquals(100, manifest.steps());
        assertTrue(manifest.files().containsKey(LlmDecoder.PARAMETERS_FILE));
        assertTrue(manifest.files().containsKey(Vocabulary.FILE_NAME));
        assertTrue(manifest.inputs().get("prompt-encoder").startsWith("all-minilm-l6-v2@"));
        assertTrue(result.metrics().containsKey("reconstruction.exact.noise0.25"));
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUnbrokenOne(@TempDir Path dir) throws Exception {
        LlmDecoderConfig config = new LlmDecoderConfig(32, 1, 2, 64, 16, 384, 8, 12, 3e-3, 0.05, 3, 0.1, 0, 0.0, 0.0,
                0.0, 0.5, 0.15, 0.8, 0, 9L, 3);
        TrainingTexts texts = TrainingTexts.captionsOnly(HANDFUL);
        LlmDecoderTraining.Result unbroken = LlmDecoderTraining.run(config, texts, dir.resolve("unbroken"), false, -1);

        LlmDecoderTraining.Result stopped = LlmDecoderTraining.run(config, texts, dir.resolve("broken"), false, 6);
        assertEquals(6, stopped.stepsDone());
        LlmDecoderTraining.Result resumed = LlmDecoderTraining.run(config, texts, dir.resolve("broken"), true, -1);

        assertEquals(12, resumed.stepsDone());
        assertArrayEquals(Files.readAllBytes(unbroken.parameters()), Files.readAllBytes(resumed.parameters()));
        assertEquals(withoutTime(unbroken.metrics()), withoutTime(resumed.metrics()));
    }

    private static Map<String, Double> withoutTime(Map<String, Double> metrics) {
        Map<String, Double> copy = new TreeMap<>(metrics);
        copy.remove("train_seconds");
        return copy;
    }
}
