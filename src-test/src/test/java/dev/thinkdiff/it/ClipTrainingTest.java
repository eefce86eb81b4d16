package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import dev.thinkdiff.align.AlignerNet;
import dev.thinkdiff.align.ClipAlignerConfig;
import dev.thinkdiff.align.ClipAlignerTraining;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.BenchmarkImages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ThinkDiff-CLIP's aligner trained between the shipped clip-vision encoder and the shipped, frozen LLM decoder: only
 * the aligner learns. The decoder's and the vision encoder's parameters come out bit-identical (the vision encoder's
 * image tokens too) and gradient-free; every aligner parameter moves.
 */
class ClipTrainingTest {

    @Test
    void gradientsReachOnlyTheAligner(@TempDir Path dir) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>(ClipAlignerConfig.defaults().toMap());
        settings.put("pool_images", 16);
        settings.put("steps", 3);
        settings.put("batch_size", 4);
        settings.put("warmup_steps", 1);
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(settings);
        LoadedModel visionModel = ShippedModels.fetchLatest("clip-vision", dir.resolve("cache"));
        List<int[]> probe = List.of(BenchmarkImages.render(new Cell(Theme.STYLE, 3, 4)));
        try (ClipVision vision = ClipVision.load(visionModel);
                LlmDecoder decoder = LlmDecoder.load(ShippedModels.fetchLatest("llm-decoder", dir.resolve("cache")));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> decoderBefore = snapshot(decoder.parameters());
            float[] tokensBefore = vision.tokens(probe)[0][0];
            TrainingResult<ClipAlignerConfig> result = ClipAlignerTraining.run(config, vision, decoder, encoder,
                    dir.resolve("run"), false, -1);
            assertEquals(3, result.stepsDone());
            assertTrue(result.losses().stream().allMatch(loss -> loss > 0 && Double.isFinite(loss)));

            Map<String, float[]> decoderAfter = snapshot(decoder.parameters());
            decoderBefore.forEach((name, values) -> assertArrayEquals(values, decoderAfter.get(name), name));
            for (Pair<String, Parameter> entry : decoder.parameters()) {
                assertFalse(entry.getValue().requiresGradient(), entry.getKey() + " is trainable");
            }
            assertArrayEquals(tokensBefore, vision.tokens(probe)[0][0], "the vision encoder is frozen");

            AlignerNet initial = AlignerNet.create(config.aligner(), encoder.finalNormWeight(), manager,
                    Seeds.mix(config.seed(), 0));
            AlignerNet trained = AlignerNet.create(config.aligner(), encoder.finalNormWeight(), manager, 0);
            TrainingRun.loadParameters(trained, manager, result.parameters());
            int moved = 0;
            for (Pair<String, Parameter> entry : initial.getParameters()) {
                float[] after = trained.getParameters().get(entry.getKey()).getArray().toFloatArray();
                moved += Arrays.equals(entry.getValue().getArray().toFloatArray(), after) ? 0 : 1;
            }
            assertEquals(initial.getParameters().size(), moved, "every aligner parameter trains");
        }
    }

    private static Map<String, float[]> snapshot(ParameterList parameters) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : parameters) {
            values.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
