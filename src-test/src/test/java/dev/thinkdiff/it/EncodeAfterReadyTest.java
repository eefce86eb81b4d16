package dev.thinkdiff.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.job.FunctionProcess;
import dev.thinkdiff.job.FunctionProcess.Function;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encode's CLIP variant loads after readiness (off the first answer's path); a damaged aligner-clip file still makes
 * the node not ready, with the reason, and a CLIP request a 503, never an answer from a bad model; a node stopped
 * while it loads stops cleanly.
 */
class EncodeAfterReadyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aDamagedClipAlignerMakesTheNodeNotReadyAndItsRequestsA503(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("models");
        Path shipped = ROOT.resolve("models/pocket");
        try (Stream<Path> components = Files.list(shipped)) {
            for (Path component : components.toList()) {
                Path target = store.resolve("pocket").resolve(component.getFileName());
                Files.createDirectories(target.getParent());
                if (component.getFileName().toString().equals("aligner-clip")) {
                    copyTree(component, target);
                } else {
                    Files.createSymbolicLink(target, component);
                }
            }
        }
        Path clip = store.resolve("pocket/aligner-clip");
        Path latest = clip.resolve(Files.readString(clip.resolve("LATEST")).trim());
        Path weights;
        try (Stream<Path> files = Files.list(latest)) {
            weights = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(weights, bytes);

        Map<String, String> properties = Map.of("thinkdiff.store.local.root", store.toString(),
                "thinkdiff.store.cache-dir", dir.resolve("cache").toString(), "ai.djl.pytorch.num_threads", "1",
                "ai.djl.pytorch.num_interop_threads", "1");
        try (FunctionProcess encode = FunctionProcess.start(ROOT, Function.ENCODE, freePort(), properties,
                ROOT.resolve("src-test/target/after-ready-logs/encode.log"))) {
            Response ready = null;
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    ready = given().baseUri(encode.base().toString()).get("/q/health/ready");
                    if (ready.jsonPath().getString("checks[0].data.aligner-clip").startsWith("FAILED")) {
                        break;
                    }
                } catch (Exception notListeningYet) { // RestAssured throws ConnectException undeclared
                    ready = null;
                }
                Thread.sleep(200);
            }
            assertTrue(ready != null, "encode never answered its readiness check");
            assertEquals(503, ready.statusCode(), ready.asString());
            assertTrue(ready.jsonPath().getString("checks[0].data.aligner").startsWith("READY"), ready.asString());
            String reason = ready.jsonPath().getString("checks[0].data.aligner-clip");
            assertTrue(reason.startsWith("FAILED") && reason.contains("aligner"), reason);

            Response clipRequest = given().baseUri(encode.base().toString()).contentType("application/json")
                    .body("{\"variant\":\"clip\",\"items\":[{\"text\":\"a red car\"}]}").post(Function.ENCODE.path());
            assertEquals(503, clipRequest.statusCode(), clipRequest.asString());
            assertEquals("not_ready", clipRequest.jsonPath().getString("error"), clipRequest.asString());
        }
    }

    /**
     * A SIGTERM while the CLIP variant loads (a scale-down right after a first answer) once crashed the JVM in ONNX
     * Runtime's session making (exit status 134, a fatal-error report): the JVM exited under the loading thread. Now
     * the stop waits for the load. Stopped at a few points of the load, since where it is when the signal comes
     * depends on the machine.
     */
    @Test
    void stoppedWhileItsClipVariantLoadsEncodeExitsCleanly(@TempDir Path dir) throws Exception {
        Map<String, String> properties = Map.of("thinkdiff.store.local.root", ROOT.resolve("models").toString(),
                "thinkdiff.store.cache-dir", dir.resolve("cache").toString(), "ai.djl.pytorch.num_threads", "1",
                "ai.djl.pytorch.num_interop_threads", "1");
        for (long delayMillis : new long[] {200, 600, 1000}) {
            Path log = ROOT.resolve("src-test/target/after-ready-logs/stopped-after-" + delayMillis + "ms.log");
            int status;
            try (FunctionProcess encode = FunctionProcess.start(ROOT, Function.ENCODE, freePort(), properties, log)) {
                encode.awaitReady(Duration.ofMinutes(3));
                Thread.sleep(delayMillis);
                status = encode.stop();
            }
            String output = Files.readString(log);
            assertFalse(output.contains("A fatal error has been detected"), "stopped " + delayMillis
                    + " ms after ready: " + log);
            assertEquals(143, status, "stopped " + delayMillis + " ms after ready: " + log);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
