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

    /**
     * The batching guarantee (functions/README.md, Dynamic batching): 64 concurrent requests of mixed prompts, seeds,
     * steps, guidance and counts each get their own images — every channel of every pixel within
     * {@value #BATCH_TOLERANCE}/255 of what the same request gives alone (libtorch's CPU kernels do not give a row
     * the same bits at every batch size), and far from every other request's images (no cross-talk).
     */
    @Test
    void sixtyFourConcurrentMixedRequestsEachGetTheirImagesWithinTheBatchTolerance() throws Exception {
        int n = 64;
        List<String> bodies = new ArrayList<>();
        String[] texts = {"a dog swimming", "a red car", "create an image of a lion reading", "a cup"};
        for (int i = 0; i < n; i++) {
            bodies.add("{\"text\":\"" + texts[i % 4] + "\",\"seed\":" + (100 + 10 * i) + ",\"steps\":" + (3 + i % 2)
                    + ",\"guidance\":" + (i % 3 == 0 ? "2.0" : "3.0") + ",\"count\":" + (1 + i % 3) + "}");
        }
        List<List<String>> alone = new ArrayList<>();
        for (String body : bodies) {
            alone.add(decode(body).getList("images.png", String.class));
        }
        long batchesBefore = batches();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        int identical = 0;
        int images = 0;
        int largest = 0;
        try {
            List<Future<JsonPath>> together = new ArrayList<>();
            for (String body : bodies) {
                together.add(pool.submit(() -> decode(body)));
            }
            for (int i = 0; i < n; i++) {
                List<String> pngs = together.get(i).get().getList("images.png", String.class);
                assertEquals(alone.get(i).size(), pngs.size());
                for (int k = 0; k < pngs.size(); k++) {
                    int[] mine = pixels(alone.get(i).get(k));
                    int[] got = pixels(pngs.get(k));
                    int difference = largestDifference(mine, got);
                    largest = Math.max(largest, difference);
                    assertTrue(difference <= BATCH_TOLERANCE, "request " + i + " image " + k + " is "
                            + difference + "/255 from alone");
                    identical += alone.get(i).get(k).equals(pngs.get(k)) ? 1 : 0;
                    images++;
                    // no cross-talk: another request's image (another seed) is far from this one
                    int other = largestDifference(pixels(alone.get((i + 1) % n).get(0)), got);
                    assertTrue(other > 10 * BATCH_TOLERANCE, "request " + i + " looks like request " + (i + 1));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("64 concurrent mixed requests: %d of %d images byte-identical to alone, largest channel "
                + "difference %d/255, %d batches%n", identical, images, largest, batches() - batchesBefore);
        assertTrue(batches() - batchesBefore < n, "requests were batched: " + (batches() - batchesBefore)
                + " batches for " + n + " requests");
    }

    /** Channels (0..255) a batched image may differ from the same request alone; measured at most 1. */
    static final int BATCH_TOLERANCE = 2;

    static int[] pixels(String png) throws java.io.IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    static int largestDifference(int[] a, int[] b) {
        int largest = 0;
        for (int p = 0; p < a.length; p++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                largest = Math.max(largest, Math.abs(((a[p] >> shift) & 0xff) - ((b[p] >> shift) & 0xff)));
            }
        }
        return largest;
    }

    /** Batches the decode function has run (its batch-size histogram's count). */
    static long batches() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("thinkdiff_batch_size_count{function=\"decode\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void healthSeparatesLivenessFromReadinessAndMetricsArePublished() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        decode(textRequest("a cup", 1, 1));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("thinkdiff_stage_seconds_count{function=\"decode\",stage=\"sample\"}"), metrics);
        assertTrue(metrics.contains("thinkdiff_queue_depth{function=\"decode\"}"));
        assertTrue(metrics.contains("thinkdiff_batch_size_bucket{function=\"decode\""), metrics);
        assertTrue(metrics.contains("thinkdiff_queue_wait_seconds_count{function=\"decode\"}"), metrics);
        assertTrue(metrics.contains("thinkdiff_billed_milliseconds_total{function=\"decode\",model=\"pocket/diffusion/"),
                metrics);
        assertTrue(metrics.contains("thinkdiff_model_load_seconds"));
    }
}
