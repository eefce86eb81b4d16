package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.world.WorldRenderer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-functions", mixinStandardHelpOptions = true,
        description = "Start the three functions as local processes and measure them over real HTTP: cold start to "
                + "first answer per function, latency per stage, throughput of whole generations (encode → decode → "
                + "score) under 1, 4 and 16 concurrent clients, and each process's RSS before and after N "
                + "generations.")
public class FunctionBenchmarkCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final double RSS_GROWTH_BAR = 0.05;

    @Option(names = "--generations", defaultValue = "1000", description = "Generations between the two RSS "
            + "readings (default: ${DEFAULT-VALUE}).")
    int generations;

    @Option(names = "--latency-samples", defaultValue = "30", description = "Serial generations timed for the "
            + "per-stage latencies (default: ${DEFAULT-VALUE}).")
    int latencySamples;

    @Option(names = "--throughput-generations", defaultValue = "32", description = "Generations per concurrency "
            + "level (default: ${DEFAULT-VALUE}).")
    int throughputGenerations;

    @Option(names = "--warmup", defaultValue = "300", description = "Generations before the first RSS reading, so "
            + "that the JVM heap's pages, JIT code and allocator arenas have reached their working size "
            + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rss-clients", defaultValue = "4", description = "Concurrent clients during the RSS run "
            + "(default: ${DEFAULT-VALUE}).")
    int rssClients;

    @Option(names = "--logs", defaultValue = "out/bench-functions", description = "Directory of the functions' logs "
            + "(default: ${DEFAULT-VALUE}).")
    Path logs;

    @Option(names = "--decode-batching", description = "Only compare the decode function with batching off and on "
            + "(two processes, interleaved rounds) at --clients, against the drawing model's own batches of 16.")
    boolean decodeBatching;

    @Option(names = "--clients", defaultValue = "1,16,32", split = ",", description = "Client counts of "
            + "--decode-batching (default: ${DEFAULT-VALUE}).")
    int[] clientCounts;

    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds of --decode-batching and "
            + "--cold-start; medians are printed (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--cold-start", description = "Only measure cold starts: each function started --rounds times "
            + "with and without its class-data archive (made first if missing or stale), interleaved; medians of the "
            + "time from process start to ready and to the first answer.")
    boolean coldStart;

    @Option(names = "--no-class-data", description = "With --cold-start, only start without class data.")
    boolean noClassData;

    @Option(names = "--requests", defaultValue = "64", description = "Requests per client count and round of "
            + "--decode-batching (a quarter at 1 client; default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--price-per-instance-second", description = "With --decode-batching, also print the cost of "
            + "1,000 images at this price of one instance-second.")
    Double pricePerInstanceSecond;

    @Inject
    ModelCache cache;

    /** Per function and stage, the milliseconds of the serial latency run (server stages and the HTTP round trip). */
    private final Map<FunctionProcess.Function, Map<String, List<Double>>> stageMillis =
            new EnumMap<>(FunctionProcess.Function.class);
    private volatile boolean recordingStages;
    private final AtomicInteger overCapacityRetries = new AtomicInteger();
    private final AtomicInteger judgedCorrect = new AtomicInteger();
    private final Map<FunctionProcess.Function, FunctionProcess> functions =
            new EnumMap<>(FunctionProcess.Function.class);

    @Override
    public Integer call() throws Exception {
        if (generations < 1 || latencySamples < 1 || throughputGenerations < 1 || rssClients < 1 || warmup < 0) {
            throw new IllegalArgumentException("counts must be at least 1 (--warmup at least 0)");
        }
        Path repository = Path.of("").toAbsolutePath();
        if (decodeBatching) {
            try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                    DiffusionPipeline pipeline = DiffusionPipeline.load(cache.fetchLatest(Components.FAMILY,
                            Components.DIFFUSION), cache, encoder)) {
                return DecodeBatchingBenchmark.run(repository, logs, clientCounts, rounds, requests,
                        pricePerInstanceSecond, pipeline, encoder);
            }
        }
        if (coldStart) {
            return coldStarts(repository);
        }
        try {
            System.out.println("cold start (process start → first answer of a real request):");
            for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
                FunctionProcess process = FunctionProcess.start(repository, function, function.defaultPort(),
                        FunctionProcess.inheritedProperties(), logs.resolve(function.id() + ".log"));
                functions.put(function, process);
                Duration ready = process.awaitReady(Duration.ofMinutes(3));
                firstAnswer(function);
                System.out.printf(Locale.ROOT, "  %-6s ready %5.2f s, first answer %5.2f s%n", function.id(),
                        seconds(ready), seconds(process.uptime()));
            }
            recordingStages = true;
            for (int i = 0; i < latencySamples; i++) {
                generation(i);
            }
            recordingStages = false;
            printLatencies();
            System.out.println("throughput (whole generations, 503s retried after Retry-After):");
            for (int clients : new int[] {1, 4, 16}) {
                overCapacityRetries.set(0);
                double seconds = run(clients, throughputGenerations, 10_000);
                System.out.printf(Locale.ROOT, "  %2d clients: %5.2f generations/s (%d in %.1f s, %d over-capacity "
                        + "retries)%n", clients, throughputGenerations / seconds, throughputGenerations, seconds,
                        overCapacityRetries.get());
            }
            run(rssClients, warmup, 50_000);
            Map<FunctionProcess.Function, Memory> before = memory();
            judgedCorrect.set(0);
            double seconds = 0;
            System.out.printf(Locale.ROOT, "RSS (JVM heap and non-heap committed) over %d generations, %d clients, "
                    + "after %d warm-up generations:%n", generations, rssClients, warmup);
            printMemory(0, before);
            for (int quarter = 1; quarter <= 4; quarter++) {
                int from = generations * (quarter - 1) / 4;
                seconds += run(rssClients, generations * quarter / 4 - from, 100_000 + from);
                printMemory(generations * quarter / 4, memory());
            }
            Map<FunctionProcess.Function, Memory> after = memory();
            System.out.printf(Locale.ROOT, "%d generations in %.0f s, judged correct %.3f%n", generations, seconds,
                    judgedCorrect.get() / (double) generations);
            boolean withinBar = true;
            for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
                double growth = after.get(function).rssKib() / (double) before.get(function).rssKib() - 1;
                withinBar &= growth <= RSS_GROWTH_BAR;
                System.out.printf(Locale.ROOT, "  %-6s RSS %+.1f%%%n", function.id(), 100 * growth);
            }
            System.out.println(withinBar ? "RSS growth within 5% for every function"
                    : "RSS growth ABOVE 5% for some function");
            return withinBar ? 0 : 1;
        } finally {
            functions.values().forEach(FunctionProcess::close);
        }
    }

    /**
     * {@code --cold-start}: per round, each function started once per variant (the order of the variants alternating
     * between rounds), waited for until ready, asked its first question and stopped; then the medians.
     */
    private int coldStarts(Path repository) throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        Map<String, String> properties = FunctionProcess.inheritedProperties();
        List<Boolean> variants = new ArrayList<>(List.of(false));
        if (!noClassData) {
            for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
                if (FunctionProcess.ensureClassData(repository, function, properties,
                        logs.resolve(function.id() + ".log")) == null) {
                    throw new IllegalStateException(function.id() + " made no class data; try --no-class-data");
                }
            }
            variants.add(true);
        }
        Map<String, List<Double>> readySeconds = new TreeMap<>();
        Map<String, List<Double>> answerSeconds = new TreeMap<>();
        Map<String, List<Double>> readyCpu = new TreeMap<>();
        Map<String, List<Double>> answerCpu = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
                for (int v = 0; v < variants.size(); v++) {
                    boolean classData = variants.get((v + round) % variants.size());
                    String key = function.id() + (classData ? " with class data" : " without class data");
                    try (FunctionProcess process = FunctionProcess.start(repository, function, freePort(),
                            properties, logs.resolve(function.id() + "-cold.log"), classData)) {
                        functions.put(function, process);
                        Duration ready = process.awaitReady(Duration.ofMinutes(3));
                        double cpuAtReady = process.cpuSeconds();
                        firstAnswer(function);
                        Duration answered = process.uptime();
                        double cpuAtAnswer = process.cpuSeconds();
                        readySeconds.computeIfAbsent(key, k -> new ArrayList<>()).add(seconds(ready));
                        answerSeconds.computeIfAbsent(key, k -> new ArrayList<>()).add(seconds(answered));
                        readyCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(cpuAtReady);
                        answerCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(cpuAtAnswer);
                        System.out.printf(Locale.ROOT, "  round %d %-27s ready %5.2f s, first answer %5.2f s "
                                + "(CPU %5.2f s / %5.2f s)%n", round + 1, key, seconds(ready), seconds(answered),
                                cpuAtReady, cpuAtAnswer);
                    } finally {
                        functions.remove(function);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "cold start, medians of %d rounds (process start → ready / → first answer; "
                + "the process's CPU seconds by then):%n", rounds);
        readySeconds.forEach((key, ready) -> System.out.printf(Locale.ROOT, "  %-27s ready %5.2f s, first answer "
                + "%5.2f s (CPU %5.2f s / %5.2f s)%n", key, median(ready), median(answerSeconds.get(key)),
                median(readyCpu.get(key)), median(answerCpu.get(key))));
        return 0;
    }

    /** A port free now (the machine may run other benchmarks on the default ports). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The function's first answer; the models finish loading behind readiness, so this is a real request. */
    private void firstAnswer(FunctionProcess.Function function) throws Exception {
        ObjectNode body = switch (function) {
            case ENCODE -> encodeRequest(0);
            case DECODE -> JSON.createObjectNode().put("text", "create an image of a red car").put("seed", 0);
            case SCORE -> scoreRequest(0, renderedCarPng());
        };
        call(function, body);
    }

    /**
     * One generation: benchmark prompt {@code i} (cycling over tasks and prompt indices) encoded, drawn at the
     * default steps and guidance, and judged.
     */
    private void generation(int i) throws Exception {
        JsonNode encoded = call(FunctionProcess.Function.ENCODE, encodeRequest(i));
        ObjectNode decode = JSON.createObjectNode().put("seed", i);
        decode.set("embedding", encoded.get("embedding"));
        JsonNode decoded = call(FunctionProcess.Function.DECODE, decode);
        JsonNode scored = call(FunctionProcess.Function.SCORE, scoreRequest(i, decoded.at("/images/0/png")
                .asText()));
        if (scored.get("correct").asBoolean()) {
            judgedCorrect.incrementAndGet();
        }
    }

    private static ObjectNode encodeRequest(int i) {
        ObjectNode body = JSON.createObjectNode().put("seed", i);
        body.set("prompt", prompt(i));
        return body;
    }

    private static ObjectNode scoreRequest(int i, String png) {
        ObjectNode body = JSON.createObjectNode().put("task", task(i).column()).put("image", png);
        ObjectNode prompt = prompt(i);
        prompt.remove("task");
        body.set("prompt", prompt);
        return body;
    }

    private static ObjectNode prompt(int i) {
        return JSON.createObjectNode().put("task", task(i).column()).put("index", (i / 10) % 1000).put("shots", 2);
    }

    private static Task task(int i) {
        return Task.paperOrder().get(i % 10);
    }

    private static String renderedCarPng() {
        return Base64.getEncoder().encodeToString(ImageInput.png(new WorldRenderer().render(new Cell(Theme.COLOR, 4,
                2), 1)));
    }

    /** {@code count} generations by {@code clients} threads; returns the wall seconds. */
    private double run(int clients, int count, int firstIndex) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        generation(firstIndex + i);
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
        return (System.nanoTime() - started) / 1e9;
    }

    /** POSTs {@code body}; a 503 is retried after its Retry-After; any other non-200 fails the benchmark. */
    private JsonNode call(FunctionProcess.Function function, ObjectNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(functions.get(function).endpoint())
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        while (true) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - started) / 1e6;
            if (response.statusCode() == 503) {
                overCapacityRetries.incrementAndGet();
                Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException(function.id() + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode answer = JSON.readTree(response.body());
            if (recordingStages) {
                Map<String, List<Double>> stages = stageMillis.computeIfAbsent(function, f -> new TreeMap<>());
                stages.computeIfAbsent("http round trip", k -> new ArrayList<>()).add(millis);
                answer.get("timingsMillis").fields().forEachRemaining(stage -> stages.computeIfAbsent(
                        stage.getKey(), k -> new ArrayList<>()).add(stage.getValue().asDouble()));
            }
            return answer;
        }
    }

    private void printLatencies() {
        System.out.printf(Locale.ROOT, "latency per stage over %d serial generations (ms: mean / p50 / p95):%n",
                latencySamples);
        stageMillis.forEach((function, stages) -> stages.forEach((stage, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "  %-6s %-16s %8.1f / %8.1f / %8.1f%n", function.id(), stage, mean,
                    percentile(sorted, 0.5), percentile(sorted, 0.95));
        }));
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    /** A process's resident set and its JVM's committed heap and non-heap (from the function's Prometheus metrics). */
    private record Memory(long rssKib, double heapCommittedMib, double nonHeapCommittedMib) {
    }

    private Map<FunctionProcess.Function, Memory> memory() throws Exception {
        Map<FunctionProcess.Function, Memory> memory = new EnumMap<>(FunctionProcess.Function.class);
        for (Map.Entry<FunctionProcess.Function, FunctionProcess> entry : functions.entrySet()) {
            String metrics = HTTP.send(HttpRequest.newBuilder(entry.getValue().base().resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            memory.put(entry.getKey(), new Memory(entry.getValue().residentKib(), committedMib(metrics, "heap"),
                    committedMib(metrics, "nonheap")));
        }
        return memory;
    }

    private static double committedMib(String prometheus, String area) {
        return prometheus.lines().filter(line -> line.startsWith("jvm_memory_committed_bytes{")
                && line.contains("area=\"" + area + "\"")).mapToDouble(line -> Double.parseDouble(line.substring(
                line.lastIndexOf(' ') + 1))).sum() / (1 << 20);
    }

    private static void printMemory(int done, Map<FunctionProcess.Function, Memory> memory) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  after %5d:", done));
        memory.forEach((function, m) -> line.append(String.format(Locale.ROOT, "  %s %7.1f MiB (heap %6.1f, "
                + "non-heap %5.1f)", function.id(), m.rssKib() / 1024.0, m.heapCommittedMib(),
                m.nonHeapCommittedMib())));
        System.out.println(line);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
