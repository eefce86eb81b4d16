package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.align.AlignerNet;
import dev.thinkdiff.align.AlignerTraining;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.vlm.Vlm;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ThinkDiff's training between the shipped VLM and the shipped, frozen LLM decoder: only the aligner learns. The
 * decoder's parameters come out bit-identical and gradient-free; the aligner's move away from their initialisation.
 */
class AlignerTrainingTest {

    @Test
    void gradientsReachOnlyTheAligner(@TempDir Path dir) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>(AlignerConfig.defaults().toMap());
        settings.put("pool_images", 16);
        settings.put("steps", 3);
        settings.put("batch_size", 4);
        settings.put("warmup_steps", 1);
        AlignerConfig config = AlignerConfig.CODEC.fromMap(settings);
        try (Vlm vlm = Vlm.load(ShippedModels.fetchLatest("vlm", dir.resolve("cache")));
                LlmDecoder decoder = LlmDecoder.load(ShippedModels.fetchLatest("llm-decoder", dir.resolve("cache")));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> decoderBefore = snapshot(decoder.parameters());
            TrainingResult<AlignerConfig> result = AlignerTraining.run(config, vlm, decoder, encoder, dir.resolve("run"),
                    false, -1);
            assertEquals(3, result.stepsDone());
            assertTrue(result.losses().stream().allMatch(loss -> loss > 0 && Double.isFinite(loss)));

            Map<String, float[]> decoderAfter = snapshot(decoder.parameters());
            assertEquals(decoderBefore.keySet(), decoderAfter.keySet());
            decoderBefore.forEach((name, values) -> assertArrayEquals(values, decoderAfter.get(name), name));
            for (Pair<String, Parameter> entry : decoder.parameters()) {
                assertFalse(entry.getValue().requiresGradient(), entry.getKey() + " is trainable");
            }

            AlignerNet initial = AlignerNet.create(config, encoder.finalNormWeight(), manager, initSeed(config));
            AlignerNet trained = AlignerNet.create(config, encoder.finalNormWeight(), manager, 0);
            TrainingRun.loadParameters(trained, manager, result.parameters());
            int moved = 0;
            for (Pair<String, Parameter> entry : initial.getParameters()) {
                float[] after = trained.getParameters().get(entry.getKey()).getArray().toFloatArray();
                moved += Arrays.equals(entry.getValue().getArray().toFloatArray(), after) ? 0 : 1;
            }
            assertEquals(initial.getParameters().size(), moved, "every aligner parameter trains");
        }
    }

    /** The training's initialisation stream (stream 0 of the config's seed). */
    private static long initSeed(AlignerConfig config) {
        return Seeds.mix(config.seed(), 0);
    }

    private static Map<String, float[]> snapshot(ParameterList parameters) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : parameters) {
            values.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
