package dev.thinkdiff.functions.decode;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.serving.Float32Codec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decode function over real HTTP on the shipped models: determinism, concurrency, both inputs. */
@QuarkusTest
class DecodeFunctionTest {

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    static JsonPath decode(String body) {
        return given().contentType("application/json").body(body).when().post("/decode").then()
                .statusCode(200).extract().jsonPath();
    }

    static String textRequest(String text, long seed, int count) {
        return "{\"text\":\"" + text + "\",\"seed\":" + seed + ",\"steps\":4,\"guidance\":2.0,\"count\":" + count + "}";
    }

    /** A deterministic [T, 384] embedding in the wire format. */
    static String embeddingJson(int tokens, long seed) {
        Random random = new Random(seed);
        float[] states = new float[tokens * 384];
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        return "{\"data\":\"" + Float32Codec.encode(states) + "\",\"shape\":[" + tokens + ",384]}";
    }

    @Test
    void sameInputsAndSeedGiveTheSamePngBytesAndADifferentSeedAnotherImage() throws Exception {
        JsonPath first = decode(textRequest("a red car", 42, 2));
        JsonPath again = decode(textRequest("a red car", 42, 2));
        assertEquals(List.of(42, 43), first.getList("seeds"));
        assertEquals(first.getString("images[0].png"), again.getString("images[0].png"));
        assertEquals(first.getString("images[1].png"), again.getString("images[1].png"));
        assertNotEquals(first.getString("images[0].png"), first.getString("images[1].png"), "seed 43 differs");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                first.getString("images[0].png"))));
        assertEquals(64, image.getWidth());
        assertEquals(4, first.getInt("steps"));
        assertTrue(first.getString("models.diffusion").startsWith("pocket/diffusion/"));
        assertTrue(first.getString("models.autoencoder").startsWith("pocket/autoencoder/"));
        assertTrue(first.getString("models.prompt-encoder").startsWith("all-minilm-l6-v2@"));
        assertTrue(first.getMap("timingsMillis").keySet().containsAll(List.of("encode-text", "sample",
                "decode-latents", "png")), first.getMap("timingsMillis").toString());
        assertTrue(first.getLong("billedMillis") > 0);
        assertFalse(first.getString("requestId").isBlank());
    }

    @Test
    void anInlineEmbeddingIsDrawnDeterministicallyAndThePromptMatters() {
        String body = "{\"embedding\":" + embeddingJson(6, 1) + ",\"seed\":7,\"steps\":3}";
        String a = decode(body).getString("images[0].png");
        assertEquals(a, decode(body).getString("images[0].png"));
        String other = decode("{\"embedding\":" + embeddingJson(6, 2) + ",\"seed\":7,\"steps\":3}")
                .getString("images[0].png");
        assertNotEquals(a, other, "another prompt, same seed: another image");
        // an explicit all-ones mask is the default
        String masked = "{\"embedding\":" + embeddingJson(6, 1).replace("}", ",\"mask\":[1,1,1,1,1,1]}")
                + ",\"seed\":7,\"steps\":3}";
        assertEquals(a, decode(masked).getString("images[0].png"));
    }

    @Test
    void sixtyFourConcurrentRequestsEachGetExactlyTheImageTheirSeedGivesAlone() throws Exception {
        int n = 64;
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alone.add(decode(textRequest("a dog swimming", 100 + i, 1)).getString("images[0].png"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<JsonPath>> together = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seed = 100 + i;
                together.add(pool.submit(() -> decode(textRequest("a dog swimming", seed, 1))));
            }
            for (int i = 0; i < n; i++) {
                JsonPath response = together.get(i).get();
                assertEquals(100 + i, response.getLong("seeds[0]"));
                assertEquals(alone.get(i), response.getString("images[0].png"), "seed " + (100 + i));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, alone.stream().distinct().count(), "distinct seeds, distinct images");
    }

    @Test
    void healthSeparatesLivenessFromReadinessAndMetricsArePublished() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        decode(textRequest("a cup", 1, 1));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("thinkdiff_stage_seconds_count{function=\"decode\",stage=\"sample\"}"), metrics);
        assertTrue(metrics.contains("thinkdiff_queue_depth{function=\"decode\"}"));
        assertTrue(metrics.contains("thinkdiff_model_load_seconds"));
    }
}
