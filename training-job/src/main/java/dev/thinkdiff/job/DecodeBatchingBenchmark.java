package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.diffusion.DiffusionBenchmark;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.text.PromptEncoder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-functions --decode-batching}: the decode function with batching off ({@code batch.max-size=1}) and on
 * (the default), two processes side by side, measured in interleaved rounds at each client count, against the drawing
 * model itself in batches of 16 in this process (what batching can reach at most). Prints medians over the rounds:
 * images/s, p50 / p95 latency, refusals (503s, retried), billed milliseconds per image and instance-seconds per 1,000
 * images (the cost of a pay-per-use node that serves only this load).
 */
final class DecodeBatchingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PROMPTS = List.of("a red car", "a dog swimming", "a lion reading a book",
            "a cup", "a green apple", "a small blue boat");

    /** One measurement of a mode at a client count. */
    private record Run(double imagesPerSecond, double p50Millis, double p95Millis, int refusals,
            double billedMillisPerImage) {
    }

    private DecodeBatchingBenchmark() {
    }

    static int run(Path repository, Path logs, int[] clientCounts, int rounds, int requests, Double pricePerSecond,
            DiffusionPipeline pipeline, PromptEncoder encoder) throws Exception {
        Map<String, String> off = new TreeMap<>(FunctionProcess.inheritedProperties());
        off.put("thinkdiff.serving.batch.max-size", "1");
        Map<String, String> on = new TreeMap<>(FunctionProcess.inheritedProperties());
        try (FunctionProcess unbatched = FunctionProcess.start(repository, FunctionProcess.Function.DECODE, 8092, off,
                logs.resolve("decode-batching-off.log"));
                FunctionProcess batched = FunctionProcess.start(repository, FunctionProcess.Function.DECODE, 8082, on,
                        logs.resolve("decode-batching-on.log"))) {
            unbatched.awaitReady(Duration.ofMinutes(3));
            batched.awaitReady(Duration.ofMinutes(3));
            System.out.println("decode, batching off (max-size 1) vs on (" + batchSetting(on) + "), default steps and "
                    + "guidance, 1 image per request, " + requests + " requests per level, median of " + rounds
                    + " interleaved rounds:");
            // warm-up: the first requests of a fresh JVM pay JIT compilation, in both processes alike
            run(unbatched, 4, 16);
            run(batched, 4, 16);
            List<Double> model = new ArrayList<>();
            Map<String, List<Run>> runs = new TreeMap<>();
            for (int round = 0; round < rounds; round++) {
                model.add(1 / DiffusionBenchmark.secondsPerImage(pipeline, encoder, 16, 1, 1));
                for (int clients : clientCounts) {
                    int n = clients == 1 ? Math.max(4, requests / 4) : requests;
                    boolean offFirst = round % 2 == 0;
                    for (FunctionProcess process : offFirst ? List.of(unbatched, batched) : List.of(batched, unbatched)) {
                        runs.computeIfAbsent((process == batched ? "on " : "off") + String.format(Locale.ROOT,
                                "%3d", clients), k -> new ArrayList<>()).add(run(process, clients, n));
                    }
                }
            }
            double modelRate = median(model);
            System.out.printf(Locale.ROOT, "  drawing model itself, batches of 16 (in process): %.2f images/s%n",
                    modelRate);
            for (int clients : clientCounts) {
                for (String mode : List.of("off", "on ")) {
                    List<Run> level = runs.get(mode + String.format(Locale.ROOT, "%3d", clients));
                    double rate = median(level.stream().map(Run::imagesPerSecond).toList());
                    double instanceSeconds = 1000 / rate;
                    System.out.printf(Locale.ROOT, "  %s %2d clients: %6.2f images/s (%.2f x the model's batch of 16),"
                            + " p50 %7.0f ms, p95 %7.0f ms, refusals %d, billed %6.0f ms/image, %6.0f instance-s per "
                            + "1000 images%s%n", mode, clients, rate, rate / modelRate,
                            median(level.stream().map(Run::p50Millis).toList()),
                            median(level.stream().map(Run::p95Millis).toList()),
                            level.stream().mapToInt(Run::refusals).sum(),
                            median(level.stream().map(Run::billedMillisPerImage).toList()), instanceSeconds,
                            pricePerSecond == null ? "" : String.format(Locale.ROOT, " ($%.3f)",
                                    instanceSeconds * pricePerSecond));
                }
            }
        }
        return 0;
    }

    private static String batchSetting(Map<String, String> properties) {
        return "max-size " + properties.getOrDefault("thinkdiff.serving.batch.max-size", "16") + ", delay "
                + properties.getOrDefault("thinkdiff.serving.batch.max-delay-millis", "50") + " ms";
    }

    /** {@code count} single-image decodes by {@code clients} threads, each request a new seed and prompt. */
    private static Run run(FunctionProcess process, int clients, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        AtomicLong billed = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        JsonNode answer = decode(process, i, refusals);
                        latencies.add((System.nanoTime() - start) / 1e6);
                        billed.addAndGet(answer.get("billedMillis").asLong());
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Double> sorted = latencies.stream().sorted().toList();
        return new Run(count / seconds, percentile(sorted, 0.5), percentile(sorted, 0.95), refusals.get(),
                billed.get() / (double) count);
    }

    private static JsonNode decode(FunctionProcess process, int i, AtomicInteger refusals) throws Exception {
        String body = JSON.createObjectNode().put("text", PROMPTS.get(i % PROMPTS.size())).put("seed", 5000 + i)
                .toString();
        HttpRequest request = HttpRequest.newBuilder(process.endpoint()).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (true) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503) {
                refusals.incrementAndGet();
                Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException("decode answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
