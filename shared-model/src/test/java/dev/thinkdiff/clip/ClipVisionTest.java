package dev.thinkdiff.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipVisionTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    private static ClipConfig small(int grid) {
        Map<String, Object> map = new LinkedHashMap<>(ClipConfig.defaults().toMap());
        map.put("channels", List.of(8, 16));
        map.put("grid", grid);
        map.put("width", 12);
        map.put("embed_dimension", 6);
        return ClipConfig.CODEC.fromMap(map);
    }

    private static List<int[]> renders(int count) {
        WorldRenderer renderer = new WorldRenderer();
        return IntStream.range(0, count).mapToObj(i -> renderer.renderPixels(new Cell(Theme.values()[i % 5], i % 10,
                (3 * i) % 10), SeedRange.MODEL_TRAINING.seed(i)).clone()).toList();
    }

    @Test
    void tokensAreThePooledTokenThenTheGridAndTheEmbeddingReadsThePooledToken(@TempDir Path dir) throws Exception {
        ClipConfig config = small(4);
        assertEquals(17, config.tokens());
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipVisionNet net = ClipVisionNet.create(config, manager, 1);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray images = ClipImages.array(renders(3), manager);
            NDArray tokens = net.tokens(store, images, false);
            assertEquals(new Shape(3, 17, 12), tokens.getShape());
            assertEquals(new Shape(3, 17, 12), net.getOutputShapes(new Shape[] {images.getShape()})[0]);
            // token 0 is the mean of the 16 patch tokens (CLIP's pooled token)
            assertTrue(tokens.get(":, 0, :").sub(tokens.get(":, 1:, :").mean(new int[] {1})).abs().max()
                    .getFloat() < 1e-5);
            assertEquals(new Shape(3, 6), net.embedding(store, tokens, false).getShape());

            Path file = dir.resolve("clip.params");
            TrainingRun.saveParameters(net, file);
            try (ClipVision vision = ClipVision.load(config, file, "test")) {
                float[][][] loaded = vision.tokens(renders(3));
                assertEquals(3, loaded.length);
                assertArrayEquals(tokens.get("1, 5, :").toFloatArray(), loaded[1][5], 1e-5f);
                float[][] embeddings = vision.embeddings(renders(2));
                double norm = 0;
                for (float v : embeddings[0]) {
                    norm += v * v;
                }
                assertEquals(1, norm, 1e-4);
            }
            assertTrue(Files.size(file) < 2_000_000);
        }
    }
}
