package dev.thinkdiff.functions.core;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The refusals every function's HTTP edge makes the same way, run against each function by its bad-input test
 * (which extends this with its path): an incomplete body, a client that leaves mid-body, a body over the limit, a
 * method other than POST and a content type other than JSON — all in the error contract with the request id, none
 * logged as an internal error. Raw sockets where REST Assured cannot send what a broken client sends.
 */
public abstract class HttpEdgeContract {

    /** The test profile's {@code thinkdiff.serving.timeouts.body-millis}. */
    private static final long BODY_MILLIS = 2000;

    /** The function's path, e.g. {@code /decode}. */
    protected abstract String path();

    @Test
    void aBodyThatNeverCompletesGets408WithinTheDeadlineAndItsConnectionClosed() throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout((int) (BODY_MILLIS * 5));
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: slow-body-1\r\nContent-Length: 1000\r\n\r\n{\"text\":\"a").getBytes(
                            StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntilClosed(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"requestId\":\"slow-body-1\"") && answer.contains("\"field\":\"body\"")
                    && answer.contains("\"error\":\"timeout\""), answer);
            assertTrue(answer.toLowerCase().contains("x-request-id: slow-body-1"), answer);
            assertTrue(millis >= BODY_MILLIS && millis < BODY_MILLIS + 3000, "answered after " + millis + " ms");
        }
    }

    @Test
    void aClientThatLeavesMidBodyIsAClientEventAndCostsNothing() throws Exception {
        List<LogRecord> severe = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    synchronized (severe) {
                        severe.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        int threads = Thread.activeCount();
        try {
            for (int i = 0; i < 20; i++) {
                try (Socket socket = new Socket("localhost", RestAssured.port)) {
                    socket.getOutputStream().write(("POST " + path() + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"te")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            }
            Thread.sleep(BODY_MILLIS + 500);
            assertTrue(Thread.activeCount() < threads + 5, "no thread per vanished client: " + threads + " → "
                    + Thread.activeCount());
            var after = given().contentType("application/json").body("{}").when().post(path());
            assertEquals(400, after.statusCode(), "still answering: " + after.asString());
        } finally {
            root.removeHandler(capture);
        }
        synchronized (severe) {
            assertEquals(List.of(), severe.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList(),
                    "nothing logged as an internal error");
        }
    }

    @Test
    void aBodyOverTheLimitIs413InTheErrorContract() {
        String body = "{\"text\":\"" + "a".repeat(4_300_000) + "\"}";
        FunctionTests.assertRefusedClearly("body over 4 MiB", given().contentType("application/json").body(body)
                .when().post(path()), 413, "body");
    }

    @Test
    void aMethodOtherThanPostIs405InTheErrorContract() {
        var response = given().get(path());
        FunctionTests.assertRefusedClearly("GET", response, 405, null);
        assertEquals("POST", response.header("Allow"));
        FunctionTests.assertRefusedClearly("PUT", given().contentType("application/json").body("{}").put(path()),
                405, null);
    }

    @Test
    void aBodyThatIsNotJsonIs415InTheErrorContract() {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            String message = FunctionTests.assertRefusedClearly(type, given()
                    .config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                            .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                    .contentType(type).body("{\"text\":\"a car\"}").when().post(path()), 415, "Content-Type");
            assertTrue(message.contains("application/json"), message);
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            answer.write(buffer, 0, n);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
