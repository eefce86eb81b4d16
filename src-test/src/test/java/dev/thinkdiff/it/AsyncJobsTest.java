package dev.thinkdiff.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.thinkdiff.job.FunctionProcess;
import dev.thinkdiff.job.FunctionProcess.Function;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Async generations across instances: two decode processes share one job store on a real S3-compatible server, so a
 * job submitted to one is polled, cancelled and replayed on the other; a third is killed with jobs accepted and its
 * jobs are finished by the instance polled after its lease. Webhooks go to a real HTTP receiver and their signatures
 * are checked here with the JDK's HMAC, not the server's code.
 */
class AsyncJobsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final byte[] WEBHOOK_KEY = "a test key of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString(WEBHOOK_KEY);
    private static final int LEASE_SECONDS = 3;

    private static S3Server s3;
    private static FunctionProcess first;
    private static FunctionProcess second;
    private static HttpServer receiver;
    private static final BlockingQueue<Delivery> DELIVERIES = new LinkedBlockingQueue<>();

    record Delivery(Map<String, String> headers, byte[] body) {
    }

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3Server(Files.createTempDirectory("async-s3"));
        first = decode("first");
        second = decode("second");
        first.awaitReady(Duration.ofMinutes(3));
        second.awaitReady(Duration.ofMinutes(3));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            DELIVERIES.add(new Delivery(headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (FunctionProcess process : new FunctionProcess[] {first, second}) {
            if (process != null) {
                process.close();
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static FunctionProcess decode(String name) throws IOException {
        Map<String, String> properties = new HashMap<>(s3.connection());
        properties.put("thinkdiff.store.local.root", ROOT.resolve("models").toString());
        properties.put("thinkdiff.store.cache-dir", ROOT.resolve("src-test/target/async-cache").toString());
        properties.put("thinkdiff.serving.jobs.location", "s3://" + S3Server.BUCKET + "/jobs");
        properties.put("thinkdiff.serving.jobs.webhook-secret", WEBHOOK_SECRET);
        properties.put("thinkdiff.serving.jobs.workers", "1");
        properties.put("thinkdiff.serving.jobs.lease-seconds", String.valueOf(LEASE_SECONDS));
        properties.put("ai.djl.pytorch.num_threads", "1");
        properties.put("ai.djl.pytorch.num_interop_threads", "1");
        return FunctionProcess.start(ROOT, Function.DECODE, freePort(), properties,
                ROOT.resolve("src-test/target/async-logs/" + name + ".log"));
    }

    private static RequestSpecification on(FunctionProcess instance) {
        return given().baseUri(instance.base().toString()).contentType("application/json");
    }

    private static Response submit(FunctionProcess instance, String body) {
        return on(instance).header("Prefer", "respond-async").body(body).post("/decode");
    }

    private static JsonPath job(FunctionProcess instance, String id) {
        return on(instance).get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the job has ended. */
    private static JsonPath awaitEnd(FunctionProcess instance, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        JsonPath job = job(instance, id);
        while (List.of("starting", "processing").contains(job.getString("status"))) {
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + job.getString("status"));
            Thread.sleep(200);
            job = job(instance, id);
        }
        return job;
    }

    @Test
    void aJobSubmittedToOneInstanceIsPolledOnAnotherAndItsWebhookIsSigned() throws Exception {
        String body = "{\"text\":\"a red car\",\"seed\":42,\"steps\":12}";
        Response accepted = on(first).header("Prefer", "respond-async").header("Webhook-Url", "http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook").body(body).post("/decode");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("id");
        assertEquals("/jobs/" + id, accepted.header("Location"));
        assertEquals("respond-async", accepted.header("Preference-Applied"));
        assertEquals("/jobs/" + id + "/cancel", accepted.jsonPath().getString("urls.cancel"));
        assertTrue(List.of("starting", "processing").contains(accepted.jsonPath().getString("status")));

        JsonPath done = awaitEnd(second, id);
        assertEquals("succeeded", done.getString("status"), done.prettify());
        assertEquals(200, done.getInt("httpStatus"));
        assertEquals(id, done.getString("output.requestId"));
        String alone = on(second).body(body).post("/decode").then().statusCode(200).extract().jsonPath()
                .getString("images[0].png");
        assertEquals(alone, done.getString("output.images[0].png"), "the job's image is the request's own");
        assertTrue(new String(s3.client("jobs").getBytes("decode/jobs/" + id + ".json").orElseThrow(),
                StandardCharsets.UTF_8).contains("\"succeeded\""), "the record lives in the object store");

        Delivery delivery = DELIVERIES.poll(30, TimeUnit.SECONDS);
        assertNotNull(delivery, "the webhook arrived");
        assertEquals(id, delivery.headers().get("webhook-id"));
        String timestamp = delivery.headers().get("webhook-timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_KEY, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(delivery.body()));
        assertEquals(expected, delivery.headers().get("webhook-signature"), "HMAC-SHA256 of id.timestamp.body");
        JsonPath hooked = new JsonPath(new String(delivery.body(), StandardCharsets.UTF_8));
        assertEquals("succeeded", hooked.getString("status"));
        assertEquals(alone, hooked.getString("output.images[0].png"));
    }

    @Test
    void cancelStopsAQueuedJobEvenFromAnotherInstance() throws Exception {
        String slow = submit(first, "{\"text\":\"a blue bird\",\"seed\":1,\"steps\":40,\"count\":4}").then()
                .statusCode(202).extract().jsonPath().getString("id");
        String queued = submit(first, "{\"text\":\"a green tree\",\"seed\":2,\"steps\":20}").then().statusCode(202)
                .extract().jsonPath().getString("id");
        JsonPath canceled = on(second).post("/jobs/" + queued + "/cancel").then().statusCode(200).extract().jsonPath();
        assertEquals("canceled", canceled.getString("status"));
        assertEquals("succeeded", awaitEnd(first, slow).getString("status"));
        Thread.sleep(2000); // the worker has taken the queued job off its queue by now
        JsonPath after = job(first, queued);
        assertEquals("canceled", after.getString("status"));
        assertNull(after.get("startedAt"), "a cancelled queued job never started");
        assertNull(after.get("output"));
        on(second).post("/jobs/" + queued + "/cancel").then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", on(first).post("/jobs/" + slow + "/cancel").then().statusCode(200).extract()
                .jsonPath().getString("status"), "an ended job stays as it ended");
    }

    @Test
    void theSameKeyAndBodyReturnTheSameJobOrAnswerAndAnotherBodyIs409() throws Exception {
        String body = "{\"text\":\"a yellow dog\",\"seed\":5,\"steps\":10}";
        String reordered = "{ \"steps\": 10, \"seed\": 5, \"text\": \"a yellow dog\" }";
        String id = on(first).header("Prefer", "respond-async").header("Idempotency-Key", "key-async-1").body(body)
                .post("/decode").then().statusCode(202).extract().jsonPath().getString("id");
        Response replay = on(second).header("Prefer", "respond-async").header("Idempotency-Key", "key-async-1")
                .body(reordered).post("/decode");
        assertEquals(202, replay.statusCode());
        assertEquals(id, replay.jsonPath().getString("id"), "same key, same body (reordered): the same job");
        assertEquals("true", replay.header("Idempotent-Replayed"));
        Response answer = on(second).header("Idempotency-Key", "key-async-1").body(body).post("/decode");
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(id, answer.jsonPath().getString("requestId"), "a synchronous replay answers with the job");

        Response conflict = on(first).header("Idempotency-Key", "key-async-1").body(
                "{\"text\":\"a yellow dog\",\"seed\":6,\"steps\":10}").post("/decode");
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_conflict", conflict.jsonPath().getString("error"));
        assertEquals("Idempotency-Key", conflict.jsonPath().getString("field"));
        assertTrue(conflict.jsonPath().getString("message").startsWith("Idempotency-Key"));
        assertEquals(conflict.header("X-Request-Id"), conflict.jsonPath().getString("requestId"));

        Response once = on(first).header("Idempotency-Key", "key-sync-1").body(body).post("/decode");
        Response twice = on(second).header("Idempotency-Key", "key-sync-1").body(body).post("/decode");
        assertEquals(200, once.statusCode(), once.asString());
        assertEquals(once.asString(), twice.asString(), "the same answer, byte for byte");
        assertEquals(once.header("X-Request-Id"), twice.header("X-Request-Id"));
        assertFalse(once.asString().equals(on(first).body(body).post("/decode").asString()),
                "without the key, a new request (a new request id)");
    }

    @Test
    void refusalsAreInTheErrorContract() {
        Response unknown = on(second).get("/jobs/00000000-0000-0000-0000-000000000000");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", unknown.jsonPath().getString("error"));
        assertEquals(unknown.header("X-Request-Id"), unknown.jsonPath().getString("requestId"));
        Response badHook = on(first).header("Prefer", "respond-async").header("Webhook-Url", "ftp://x/y")
                .body("{\"text\":\"a car\"}").post("/decode");
        assertEquals(400, badHook.statusCode());
        assertEquals("Webhook-Url", badHook.jsonPath().getString("field"));
        Response badBody = submit(first, "{\"text\":\"a car\",\"colour\":1}");
        assertEquals(400, badBody.statusCode(), "bound strictly before a job is made");
        assertEquals("colour", badBody.jsonPath().getString("field"));
        Response badStep = submit(first, "{\"text\":\"a car\",\"steps\":0}");
        assertEquals(202, badStep.statusCode(), "range checks are the function's: the job fails with its 400");
    }

    @Test
    void aKilledInstanceLosesNoAcceptedJob() throws Exception {
        FunctionProcess doomed = decode("killed");
        try {
            doomed.awaitReady(Duration.ofMinutes(3));
            List<String> ids = new ArrayList<>();
            for (int seed = 20; seed < 22; seed++) {
                ids.add(submit(doomed, "{\"text\":\"a pink cat\",\"seed\":" + seed + ",\"steps\":20,\"count\":2}")
                        .then().statusCode(202).extract().jsonPath().getString("id"));
            }
            doomed.kill();
            for (String id : ids) {
                JsonPath done = awaitEnd(second, id);
                assertEquals("succeeded", done.getString("status"), done.prettify());
                assertEquals(2, done.getList("output.images").size());
            }
        } finally {
            doomed.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
