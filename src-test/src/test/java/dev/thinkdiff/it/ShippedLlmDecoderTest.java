package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.llm.LlmDecoderEvaluation;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped LLM decoder reads the real prompt encoder's states of captions it never saw, also under noise. */
class ShippedLlmDecoderTest {

    @Test
    void reconstructsHeldOutCaptionsFromTheEncodersStates(@TempDir Path cache) {
        LoadedModel model = ShippedModels.fetchLatest("llm-decoder", cache);
        try (LlmDecoder decoder = LlmDecoder.load(model);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            assertEquals(encoder.artifact(), model.manifest().inputs().get("prompt-encoder"),
                    "the decoder was trained against another prompt encoder");
            Map<String, Double> metrics = LlmDecoderEvaluation.run(decoder, encoder, 10).metrics();
            assertTrue(metrics.get("reconstruction.exact") >= 0.9, metrics.toString());
            assertTrue(metrics.get("reconstruction.exact.noise0.25") >= 0.8, metrics.toString());
        }
    }
}
