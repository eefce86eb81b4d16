package dev.thinkdiff.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The model store against an S3 endpoint that is down (a real HTTP server answering every request 503): the retry
 * policy is the only retry layer, so each configured try is exactly one HTTP request.
 */
class S3RetryTest {

    private static final int UNAVAILABLE = 503;
    private static final int TRIES = 3;

    @Test
    void eachConfiguredTryIsOneHttpRequest() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(UNAVAILABLE, -1);
            exchange.close();
        });
        server.start();
        try (BlobStore store = BlobStores.open(TestConfigs.storeConfig(Map.of(
                "thinkdiff.store.type", "s3",
                "thinkdiff.store.s3.bucket", "thinkdiff-models",
                "thinkdiff.store.s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                "thinkdiff.store.s3.access-key", "test-access-key",
                "thinkdiff.store.s3.secret-key", "test-secret-key",
                "thinkdiff.store.s3.retry.attempts", Integer.toString(TRIES),
                "thinkdiff.store.s3.retry.initial-backoff-ms", "1",
                "thinkdiff.store.s3.retry.max-backoff-ms", "1")))) {
            SdkServiceException failure = assertThrows(SdkServiceException.class, () -> store.getBytes("LATEST"));
            assertEquals(UNAVAILABLE, failure.statusCode());
        } finally {
            server.stop(0);
        }
        assertEquals(TRIES, requests.get());
    }
}
