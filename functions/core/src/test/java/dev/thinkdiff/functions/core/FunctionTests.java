package dev.thinkdiff.functions.core;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.nio.ByteBuffer;
import java.util.Base64;

/** What every function's HTTP tests check the same way (shared as this module's test jar). */
public final class FunctionTests {

    private static final long READY_TIMEOUT_NANOS = 120_000_000_000L;

    private FunctionTests() {
    }

    /** Waits until the function reports ready: models load in the background after start. */
    public static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        String last = "";
        while (System.nanoTime() < deadline) {
            Response response = given().get("/q/health/ready");
            if (response.statusCode() == 200) {
                return;
            }
            last = response.asString();
            Thread.sleep(250);
        }
        throw new AssertionError("not ready after 120 s: " + last);
    }

    /**
     * POSTs {@code body} to {@code path} and checks the refusal: the expected 4xx status, a JSON
     * {@code {error, message, field}} naming {@code field}, a message that starts with it, no stack trace.
     */
    public static void assertRefusedClearly(String path, String name, String body, int status, String field) {
        assertRefusedClearly(name, given().contentType("application/json").body(body).when().post(path), status,
                field);
    }

    /**
     * Checks a refusal: the expected status, the error contract ({@code error}, a {@code message} that starts with
     * {@code field}, {@code field}, {@code requestId} equal to the {@code X-Request-Id} header), no stack trace.
     *
     * @return the message
     */
    public static String assertRefusedClearly(String name, Response response, int status, String field) {
        assertEquals(status, response.statusCode(), name + ": " + response.asString());
        assertEquals("application/json", response.contentType());
        assertEquals(field, response.jsonPath().getString("field"), response.asString());
        assertNotNull(response.jsonPath().getString("error"));
        String requestId = response.jsonPath().getString("requestId");
        assertNotNull(requestId, name + ": requestId");
        assertEquals(requestId, response.header("X-Request-Id"), name + ": the header names the same request");
        String message = response.jsonPath().getString("message");
        if (field != null) {
            assertTrue(message.startsWith(field), message);
        }
        assertTrue(!message.contains("\tat ") && !message.contains("Exception"), "no stack trace: " + message);
        return message;
    }

    /** A real PNG signature and IHDR claiming 100000×100000 pixels, and no pixel data: base64. */
    public static String hugePngHeader() {
        byte[] bytes = ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put("IHDR".getBytes()).putInt(100_000).putInt(100_000).put(new byte[] {8, 2, 0, 0, 0})
                .putInt(0).array();
        return Base64.getEncoder().encodeToString(bytes);
    }
}
