package dev.thinkdiff.functions.encode;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.serving.Float32Codec;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.WorldRenderer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encode function over real HTTP on the shipped VLM and aligner. */
@QuarkusTest
class EncodeFunctionTest {

    private static final String ACTION_PROMPT = "\"prompt\":{\"task\":\"A-II\",\"index\":0,\"shots\":2}";

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    static JsonPath encode(String body) {
        return given().contentType("application/json").body(body).when().post("/encode").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void aBenchmarkPromptGivesTheVlmAnswerAndOneAlignedStatePerGeneratedToken() {
        JsonPath first = encode("{" + ACTION_PROMPT + ",\"seed\":7}");
        String text = first.getString("text");
        assertTrue(text.startsWith("create an image of"), text);
        int tokens = first.getInt("tokens");
        assertTrue(tokens >= 2, "tokens: " + tokens);
        assertEquals(List.of(tokens, 384), first.getList("embedding.shape"));
        assertEquals(tokens, first.getList("embedding.mask").size());
        float[] states = Float32Codec.decode("embedding.data", first.getString("embedding.data"), tokens * 384);
        for (float v : states) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals("lvlm", first.getString("variant"));
        assertEquals(0.6, first.getDouble("temperature"), 1e-9);
        assertEquals(0.9, first.getDouble("topP"), 1e-9);
        assertTrue(first.getString("models.aligner").startsWith("pocket/aligner/"));
        assertTrue(first.getString("models.vlm").startsWith("pocket/vlm/"));
        assertTrue(first.getMap("timingsMillis").keySet().containsAll(List.of("read-prompt", "reason", "align")));
        assertTrue(first.getLong("billedMillis") > 0);

        JsonPath again = encode("{" + ACTION_PROMPT + ",\"seed\":7}");
        assertEquals(text, again.getString("text"));
        assertEquals(first.getString("embedding.data"), again.getString("embedding.data"), "same seed, same bytes");
    }

    @Test
    void queryContrastiveDecodingIsServedEchoedAndAsReproducibleAsPlainSampling() {
        JsonPath plain = encode("{" + ACTION_PROMPT + ",\"seed\":7}");
        assertEquals(0.0, plain.getDouble("queryContrast"), 0);
        JsonPath contrasted = encode("{" + ACTION_PROMPT + ",\"seed\":7,\"queryContrast\":0.5}");
        assertEquals(0.5, contrasted.getDouble("queryContrast"), 1e-9);
        assertTrue(contrasted.getString("text").startsWith("create an image of"), contrasted.getString("text"));
        JsonPath again = encode("{" + ACTION_PROMPT + ",\"seed\":7,\"queryContrast\":0.5}");
        assertEquals(contrasted.getString("embedding.data"), again.getString("embedding.data"));
    }

    @Test
    void theSamePromptSentAsItemsWithPngImagesGivesTheSameEmbedding() {
        Episode episode = Episode.of(Task.ACTION_II, 2, 0, PromptSplit.DEFAULT);
        List<String> items = new ArrayList<>();
        items.add(textItem(VlmPrompts.EPISODE_INSTRUCTION));
        for (Episode.Item item : episode.items()) {
            items.add(item instanceof Episode.Text text ? textItem(text.text())
                    : "{\"image\":\"" + png(BenchmarkImages.render(((Episode.Image) item).cell())) + "\"}");
        }
        JsonPath asItems = encode("{\"items\":[" + String.join(",", items) + "],\"seed\":7}");
        JsonPath asPrompt = encode("{" + ACTION_PROMPT + ",\"seed\":7}");
        assertEquals(asPrompt.getString("text"), asItems.getString("text"));
        assertEquals(asPrompt.getString("embedding.data"), asItems.getString("embedding.data"));
        // the common base64 forms: a data URL, and lines of 76 (as `base64` without -w0 writes them)
        String asDataUrls = String.join(",", items).replace("{\"image\":\"", "{\"image\":\"data:image/png;base64,");
        String inLines = String.join(",", items).replaceAll("([A-Za-z0-9+/=]{76})", "$1\\\\n");
        for (String variant : List.of(asDataUrls, inLines)) {
            assertEquals(asPrompt.getString("embedding.data"), encode("{\"items\":[" + variant + "],\"seed\":7}")
                    .getString("embedding.data"));
        }
        // a task by its number, as a JSON integer or string
        for (String task : List.of(String.valueOf(Task.ACTION_II.id()), "\"" + Task.ACTION_II.id() + "\"")) {
            assertEquals(asPrompt.getString("embedding.data"), encode("{\"prompt\":{\"task\":" + task
                    + ",\"index\":0,\"shots\":2},\"seed\":7}").getString("embedding.data"), task);
        }
    }

    /** `./thinkdiff prompt --images DIR` writes these files: sent as items they are the benchmark prompt exactly. */
    @Test
    void thePromptCommandsImageFilesSentAsItemsGiveThePromptModeEmbeddingByteForByte(@TempDir Path dir)
            throws Exception {
        Episode episode = Episode.of(Task.STYLE_I, 4, 3, PromptSplit.DEFAULT);
        List<Path> demos = BenchmarkImages.write(episode, dir);
        List<String> items = new ArrayList<>();
        items.add(textItem(VlmPrompts.EPISODE_INSTRUCTION));
        for (int j = 0; j < episode.shots(); j++) {
            items.add(textItem(episode.textItem(episode.demoX().get(j))));
            items.add("{\"image\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(demos.get(j))) + "\"}");
        }
        items.add(textItem(episode.textItem(episode.queryX())));
        JsonPath asItems = encode("{\"items\":[" + String.join(",", items) + "],\"seed\":11}");
        JsonPath asPrompt = encode("{\"prompt\":{\"task\":\"S-I\",\"index\":3,\"shots\":4},\"seed\":11}");
        assertEquals(asPrompt.getString("text"), asItems.getString("text"));
        assertEquals(asPrompt.getString("embedding.data"), asItems.getString("embedding.data"));
    }

    @Test
    void greedyDecodingIgnoresTheSeedAndAnotherSeedMaySampleAnotherAnswer() {
        String greedy = "{" + ACTION_PROMPT + ",\"temperature\":0,\"seed\":";
        assertEquals(encode(greedy + "1}").getString("embedding.data"), encode(greedy + "2}")
                .getString("embedding.data"));
        JsonPath capped = encode("{" + ACTION_PROMPT + ",\"seed\":3,\"maxTokens\":2}");
        assertEquals(2, capped.getInt("tokens"));
        assertFalse(capped.getBoolean("finished"), "stopped by maxTokens, not by the end token");
    }

    @Test
    void imagesOfOtherSizesAreScaledToTheVlmsInput() {
        BufferedImage big = new BufferedImage(128, 96, BufferedImage.TYPE_INT_ARGB);
        String body = "{\"items\":[{\"image\":\"" + Base64.getEncoder().encodeToString(ImageInput.png(big))
                + "\"}," + textItem(VlmPrompts.CAPTION_INSTRUCTION) + "],\"seed\":1}";
        assertTrue(encode(body).getInt("tokens") >= 1);
    }

    /**
     * The batching guarantee: concurrent requests (batched together) get the answer text the same request gets alone
     * and an embedding within {@value #BATCH_TOLERANCE} of it in every value (measured 3.6e-7; the kernels' rounding depends on the
     * batch's size), far from another seed's.
     */
    @Test
    void concurrentRequestsGetTheTextAndEmbeddingTheyGetAlone() throws Exception {
        int requests = 8;
        List<JsonPath> serial = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            serial.add(encode("{" + ACTION_PROMPT + ",\"seed\":" + (100 + i) + "}"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        double largest = 0;
        int identical = 0;
        try {
            List<Future<JsonPath>> parallel = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long seed = 100 + i;
                parallel.add(pool.submit(() -> encode("{" + ACTION_PROMPT + ",\"seed\":" + seed + "}")));
            }
            for (int i = 0; i < requests; i++) {
                JsonPath alone = serial.get(i);
                JsonPath batched = parallel.get(i).get();
                assertEquals(alone.getString("text"), batched.getString("text"), "seed " + (100 + i));
                int tokens = alone.getInt("tokens");
                float[] a = Float32Codec.decode("alone", alone.getString("embedding.data"), tokens * 384);
                float[] b = Float32Codec.decode("batched", batched.getString("embedding.data"), tokens * 384);
                for (int j = 0; j < a.length; j++) {
                    largest = Math.max(largest, Math.abs(a[j] - b[j]));
                }
                identical += Arrays.equals(a, b) ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%d concurrent encodes: texts equal to alone, %d embeddings bit-identical, largest "
                + "difference %.2e%n", requests, identical, largest);
        assertTrue(largest <= BATCH_TOLERANCE, "largest difference " + largest);
    }

    /** How far an embedding value made in a batch may be from the same request's alone (values are O(1)). */
    static final double BATCH_TOLERANCE = 1e-5;

    @Test
    void getIsNotAllowed() {
        given().get("/encode").then().statusCode(405);
    }

    static String textItem(String text) {
        return "{\"text\":\"" + text + "\"}";
    }

    static String png(int[] rgb) {
        BufferedImage image = new BufferedImage(WorldRenderer.SIZE, WorldRenderer.SIZE, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, WorldRenderer.SIZE, WorldRenderer.SIZE, rgb, 0, WorldRenderer.SIZE);
        return Base64.getEncoder().encodeToString(ImageInput.png(image));
    }
}
