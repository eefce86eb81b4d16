package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.serving.CobsatInputs;
import dev.thinkdiff.serving.ErrorReply;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.TaskName;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.Captions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The playground page ({@code functions/playground}) and what it needs beside the functions, on one origin:
 * {@code /api/{function}/…} is passed to that function ({@code /api/decode/decode}, {@code /api/decode/jobs/{id}}),
 * so the page needs no CORS on the functions; {@code /cobsat/tasks} and {@code /cobsat/prompt?task=&index=&shots=
 * &split=} give the benchmark's tasks and a prompt's items exactly as the encode function builds them for the VLM
 * (texts, and images as PNG), with the expected answer. The JDK's own HTTP server: a handful of routes, no framework.
 */
public final class PlaygroundServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png");
    /** Request headers the functions read, passed on; response headers the page reads, passed back. */
    private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Prefer", "Idempotency-Key",
            "X-Request-Id");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "X-Request-Id", "Location",
            "Retry-After", "Preference-Applied", "Idempotent-Replayed");
    private static final int MAX_SHOTS = 8;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path page;
    private final Map<String, URI> functions;

    private PlaygroundServer(Path page, String host, int port, Map<String, URI> functions) throws IOException {
        this.page = page.toAbsolutePath().normalize();
        this.functions = Map.copyOf(functions);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Serves {@code page} (a directory) on {@code host} ({@code 127.0.0.1}: this machine only; {@code 0.0.0.0} in a
     * container) and {@code port} (0: any free port), passing {@code /api/{name}/…} to the function of that name.
     */
    public static PlaygroundServer start(Path page, String host, int port, Map<String, URI> functions)
            throws IOException {
        if (!Files.isRegularFile(page.resolve("index.html"))) {
            throw new IllegalArgumentException(page + " holds no index.html: run from the repository root");
        }
        return new PlaygroundServer(page, host, port, functions);
    }

    /** {@code http://127.0.0.1:{port}/}: where this machine reaches the page. */
    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.startsWith("/api/")) {
                proxy(exchange, path.substring("/api/".length()));
            } else if (path.equals("/cobsat/tasks")) {
                send(exchange, 200, Map.of(), "application/json", JSON.writeValueAsBytes(Task.paperOrder().stream()
                        .map(task -> Map.of("column", task.column(), "name", task.name())).toList()));
            } else if (path.equals("/cobsat/prompt")) {
                send(exchange, 200, Map.of(), "application/json", JSON.writeValueAsBytes(prompt(query(exchange))));
            } else {
                file(exchange, path.equals("/") ? "index.html" : path.substring(1));
            }
        } catch (RuntimeException e) {
            ErrorReply reply = ErrorReply.of(e, 500, UUID.randomUUID().toString(),
                    exchange.getRequestMethod() + " " + path);
            send(exchange, reply.status(), reply.headers(), "application/json",
                    reply.json().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A CoBSAT prompt as the encode function hands it to the VLM, images as base64 PNG. */
    private static Map<String, Object> prompt(Map<String, String> query) {
        String taskName = query.get("task");
        Task task = CobsatInputs.task("task", taskName == null ? null : new TaskName(taskName));
        Episode episode = CobsatInputs.episode("prompt", task, integer("index", query.get("index")),
                integer("shots", query.get("shots")), query.get("split"), MAX_SHOTS);
        List<Map<String, String>> items = VlmPrompts.episode(episode, BenchmarkImages::render,
                VlmPrompts.EPISODE_INSTRUCTION).stream().map(item -> item instanceof VlmItem.Text text
                        ? Map.of("text", text.text())
                        : Map.of("image", Base64.getEncoder().encodeToString(ImageInput.png(
                                DiffusionPipeline.toImage(((VlmItem.Image) item).rgb()))))).toList();
        Map<String, Object> prompt = new LinkedHashMap<>();
        prompt.put("task", task.column());
        prompt.put("index", episode.promptIndex());
        prompt.put("shots", episode.shots());
        prompt.put("split", episode.split().name().toLowerCase(Locale.ROOT));
        prompt.put("expected", Captions.caption(episode.expected()));
        prompt.put("items", items);
        return prompt;
    }

    private static Integer integer(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw RequestException.badInput("prompt." + field, "not an integer: '" + value + "'");
        }
    }

    private void proxy(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        URI base = slash < 0 ? null : functions.get(rest.substring(0, slash));
        if (base == null) {
            throw new RequestException(404, "not_found", null, "no function '" + rest + "'; known: "
                    + functions.keySet(), Map.of());
        }
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(rest.substring(slash)
                + (query == null ? "" : "?" + query))).timeout(Duration.ofMinutes(10))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : REQUEST_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : RESPONSE_HEADERS) {
            response.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
        }
        send(exchange, response.statusCode(), headers, null, response.body());
    }

    private void file(HttpExchange exchange, String name) throws IOException {
        Path file = page.resolve(name).normalize();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        if (!file.getParent().equals(page) || !Files.isRegularFile(file) || !TYPES.containsKey(extension)) {
            throw new RequestException(404, "not_found", null, "no page file '" + name + "'", Map.of());
        }
        send(exchange, 200, Map.of("Cache-Control", "no-cache"), TYPES.get(extension), Files.readAllBytes(file));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String type, byte[] body)
            throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
