package dev.thinkdiff.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.TrainingResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTrainingTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    @Test
    void infoNceIsLowForMatchedPairsAndHighForMismatchedOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray texts = ClipTraining.unit(manager.randomNormal(new Shape(8, 16)));
            float matched = ClipTraining.infoNce(texts, texts, 0.07).getFloat();
            float mismatched = ClipTraining.infoNce(texts.flip(0), texts, 0.07).getFloat();
            assertTrue(matched < 0.5, "matched " + matched);
            assertTrue(mismatched > 2 * Math.log(8), "mismatched " + mismatched);
        }
    }

    @Test
    void batchesHoldDistinctCellsAndAreAFunctionOfTheStep() {
        ClipConfig config = ClipConfig.defaults();
        float[][][] texts = new float[500][5][config.embedDimension()];
        for (int c = 0; c < 500; c++) {
            for (int t = 0; t < 5; t++) {
                texts[c][t][0] = c;
                texts[c][t][1] = t;
            }
        }
        ClipTraining.Batch batch = ClipTraining.batch(config, texts, 42, 3);
        assertEquals(config.batchSize(), batch.size());
        Set<Float> cells = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            cells.add(batch.texts()[i * config.embedDimension()]);
        }
        assertEquals(config.batchSize(), cells.size(), "no cell twice: InfoNCE would count its twin as a negative");
        ClipTraining.Batch again = ClipTraining.batch(config, texts, 42, 3);
        assertTrue(Arrays.equals(batch.images(), again.images()));
        assertTrue(Arrays.equals(batch.texts(), again.texts()));
        float[] first = Arrays.copyOf(batch.images(), 3 * 64 * 64);
        float[] second = Arrays.copyOfRange(batch.images(), 3 * 64 * 64, 6 * 64 * 64);
        assertFalse(Arrays.equals(first, second), "every image its own render");
    }

    @Test
    void aTinyRunLowersTheContrastiveLoss(@TempDir Path dir) throws Exception {
        Map<String, Object> map = new LinkedHashMap<>(ClipConfig.defaults().toMap());
        map.put("channels", List.of(16, 32, 32));
        map.put("batch_size", 32);
        map.put("steps", 60);
        map.put("warmup_steps", 5);
        map.put("checkpoint_interval", 60);
        ClipConfig config = ClipConfig.CODEC.fromMap(map);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<ClipConfig> result = ClipTraining.run(config, encoder, dir, false, -1);
            List<Double> losses = result.losses();
            assertEquals(60, losses.size());
            double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = losses.subList(50, 60).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(last < first - 0.5, "loss " + first + " → " + last);
            assertTrue(result.metrics().get("retrieval.top1.mean") > 0.03, "above chance (0.01) on benchmark renders: "
                    + result.metrics());
        }
    }
}
