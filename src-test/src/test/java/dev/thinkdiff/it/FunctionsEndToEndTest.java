package dev.thinkdiff.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.job.FunctionProcess;
import dev.thinkdiff.job.FunctionProcess.Function;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three functions as separate processes (their built jars, the shipped models), called over real HTTP: a CoBSAT
 * prompt goes encode → decode → score; embeddings and images go through a real S3-compatible server.
 */
class FunctionsEndToEndTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String BUCKET = S3Server.BUCKET;

    private static final Map<Function, FunctionProcess> FUNCTIONS = new EnumMap<>(Function.class);
    private static S3Server s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3Server(Files.createTempDirectory("e2e-s3"));
        Map<String, String> properties = new HashMap<>(s3.connection());
        properties.put("thinkdiff.store.local.root", ROOT.resolve("models").toString());
        properties.put("thinkdiff.store.cache-dir", ROOT.resolve("src-test/target/e2e-cache").toString());
        properties.put("ai.djl.pytorch.num_threads", "1");
        properties.put("ai.djl.pytorch.num_interop_threads", "1");
        for (Function function : Function.values()) {
            FUNCTIONS.put(function, FunctionProcess.start(ROOT, function, freePort(), properties,
                    ROOT.resolve("src-test/target/e2e-logs/" + function.id() + ".log")));
        }
        for (FunctionProcess process : FUNCTIONS.values()) {
            process.awaitReady(Duration.ofMinutes(3));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        FUNCTIONS.values().forEach(FunctionProcess::close);
        if (s3 != null) {
            s3.close();
        }
    }

    static JsonPath post(Function function, String body) {
        return given().baseUri(FUNCTIONS.get(function).base().toString()).contentType("application/json").body(body)
                .when().post(function.path()).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCobsatPromptGoesEncodeDecodeScoreAndIsJudgedCorrect() {
        JsonPath encoded = post(Function.ENCODE, "{\"prompt\":{\"task\":\"A-II\",\"index\":0,\"shots\":2},\"seed\":7}");
        JsonPath decoded = post(Function.DECODE, "{\"embedding\":" + embeddingJson(encoded) + ",\"seed\":11}");
        JsonPath scored = post(Function.SCORE, "{\"task\":\"A-II\",\"prompt\":{\"index\":0,\"shots\":2},\"image\":\""
                + decoded.getString("images[0].png") + "\"}");
        assertEquals("lion", scored.getString("expected.subject"), "prompt 0 of Action-II asks for a lion");
        assertTrue(scored.getBoolean("correct"), "the VLM said '" + encoded.getString("text") + "'; the judge saw "
                + scored.getString("subject.answer") + " / " + scored.getString("attribute.answer"));
    }

    @Test
    void anEmbeddingPassedByObjectReferenceDrawsTheSameImageAsInline() throws IOException {
        String prompt = "\"prompt\":{\"task\":\"C-II\",\"index\":5,\"shots\":2},\"seed\":3";
        JsonPath inline = post(Function.ENCODE, "{" + prompt + "}");
        JsonPath stored = post(Function.ENCODE, "{" + prompt + ",\"output\":\"s3://" + BUCKET + "/embeddings/\"}");
        String uri = stored.getString("embeddingUri");
        assertTrue(uri.startsWith("s3://" + BUCKET + "/embeddings/"), uri);
        assertEquals(inline.getString("text"), stored.getString("text"));

        String fromInline = post(Function.DECODE, "{\"embedding\":" + embeddingJson(inline) + ",\"seed\":5}")
                .getString("images[0].png");
        JsonPath fromReference = post(Function.DECODE, "{\"embeddingUri\":\"" + uri + "\",\"seed\":5,\"output\":\"s3://"
                + BUCKET + "/images\"}");
        String imageUri = fromReference.getString("images[0].uri");
        assertArrayEquals(Base64.getDecoder().decode(fromInline), read(imageUri),
                "the image drawn from the reference, written to object storage, equals the inline one");
    }

    @Test
    void aMissingBucketIsTheCallersMistakeNamedByField() {
        for (var call : Map.of(Function.ENCODE, "{\"prompt\":{\"task\":\"C-I\",\"index\":0,\"shots\":2},"
                + "\"output\":\"s3://no-such-bucket/x\"}", Function.DECODE, "{\"embeddingUri\":\"s3://no-such-bucket/e"
                + ".json\"}").entrySet()) {
            given().baseUri(FUNCTIONS.get(call.getKey()).base().toString()).contentType("application/json")
                    .body(call.getValue()).when().post(call.getKey().path()).then().statusCode(400)
                    .body("field", equalTo(call.getKey() == Function.ENCODE ? "output" : "embeddingUri"));
        }
    }

    /** The embedding object of an encode answer, as decode takes it. */
    private static String embeddingJson(JsonPath encoded) {
        return "{\"data\":\"" + encoded.getString("embedding.data") + "\",\"shape\":" + encoded.getList(
                "embedding.shape") + ",\"mask\":" + encoded.getList("embedding.mask") + "}";
    }

    private static byte[] read(String uri) throws IOException {
        try (InputStream in = s3.client("").open(uri.substring(("s3://" + BUCKET + "/").length()))) {
            return in.readAllBytes();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
