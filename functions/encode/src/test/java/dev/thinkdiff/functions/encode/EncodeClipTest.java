package dev.thinkdiff.functions.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.serving.Float32Codec;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.world.BenchmarkImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The encode function's ThinkDiff-CLIP variant over real HTTP on the shipped clip-vision and aligner-clip: the
 * embedding is concat(aligned tokens of each image, the prompt encoder's states of the text).
 */
@QuarkusTest
class EncodeClipTest {

    private static final int D = 384;
    private static final String RED_CAR = EncodeFunctionTest.png(BenchmarkImages.render(new Cell(Theme.COLOR, 0, 2)));
    private static final String SLEEPING_CAT = EncodeFunctionTest.png(BenchmarkImages.render(
            new Cell(Theme.ACTION, 1, 1)));

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    private static JsonPath clip(String... items) {
        return EncodeFunctionTest.encode("{\"variant\":\"clip\",\"items\":[" + String.join(",", items) + "]}");
    }

    private static String image(String png) {
        return "{\"image\":\"" + png + "\"}";
    }

    private static float[] states(JsonPath response) {
        int tokens = response.getInt("tokens");
        assertEquals(List.of(tokens, D), response.getList("embedding.shape"));
        return Float32Codec.decode("embedding.data", response.getString("embedding.data"), tokens * D);
    }

    @Test
    void imagesThenTextAreConcatenatedInOrder() {
        float[] car = states(clip(image(RED_CAR)));
        float[] cat = states(clip(image(SLEEPING_CAT)));
        JsonPath both = clip(image(RED_CAR), EncodeFunctionTest.textItem("in space"), image(SLEEPING_CAT));
        float[] states = states(both);
        assertEquals("clip", both.getString("variant"));
        assertEquals("in space", both.getString("text"));
        assertTrue(both.getString("models.aligner-clip").startsWith("pocket/aligner-clip/"));
        assertTrue(both.getString("models.clip-vision").startsWith("pocket/clip-vision/"));
        assertNull(both.get("seed"));
        assertNull(both.get("temperature"));

        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            float[] empty = encoder.encode("").tokenStates(0);
            float[] text = encoder.encode("in space").tokenStates(0);
            int image = car.length - empty.length;
            assertTrue(image > 0 && image % D == 0, "one image: its aligned tokens, then [CLS] [SEP]");
            assertArrayEquals(empty, Arrays.copyOfRange(car, image, car.length), 1e-5f);
            assertEquals(2 * image + text.length, states.length);
            assertArrayEquals(Arrays.copyOf(car, image), Arrays.copyOf(states, image), 1e-5f, "first image");
            assertArrayEquals(Arrays.copyOf(cat, image), Arrays.copyOfRange(states, image, 2 * image), 1e-5f,
                    "second image, though sent after the text");
            assertArrayEquals(text, Arrays.copyOfRange(states, 2 * image, states.length), 1e-5f, "the text last");
            assertFalse(Arrays.equals(Arrays.copyOf(car, image), Arrays.copyOf(cat, image)));
        }
        assertEquals(both.getString("embedding.data"), clip(image(RED_CAR), EncodeFunctionTest.textItem("in space"),
                image(SLEEPING_CAT)).getString("embedding.data"), "same inputs, same bytes");
    }

    @Test
    void textAloneIsTheEncodersStates() {
        float[] states = states(clip(EncodeFunctionTest.textItem("a red car")));
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            assertArrayEquals(encoder.encode("a red car").tokenStates(0), states, 1e-5f);
        }
    }
}
