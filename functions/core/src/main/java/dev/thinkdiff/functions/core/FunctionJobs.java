package dev.thinkdiff.functions.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.serving.JobRecord;
import dev.thinkdiff.serving.JobService;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.StoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.MDC;

/**
 * Asynchronous generations and idempotent requests at a function's HTTP edge, after the strict binding:
 * {@code POST /{function}} with {@code Prefer: respond-async} answers 202 with the job's record (id, status,
 * {@code urls}, {@code Location}); {@code GET /jobs/{id}} is its status and, once ended, its answer;
 * {@code POST /jobs/{id}/cancel} cancels it. An {@code Idempotency-Key} (with or without async) makes the same key with
 * the same body return the same job or answer, and another body a 409. The jobs ({@link JobService}) run the
 * function's own synchronous path over loopback HTTP, so a job is validated, queued and answered exactly as the same
 * request sent synchronously.
 */
@Singleton
public class FunctionJobs {

    private static final String ASYNC = "respond-async";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobService jobs;
    private final HttpClient loopback = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<URI> self = new AtomicReference<>();
    private final Duration runTimeout;

    FunctionJobs(ServingConfig serving, StoreConfig store) {
        this.jobs = new JobService(serving, store.s3(), this::runHere);
        this.runTimeout = Duration.ofSeconds(serving.jobs().waitSeconds());
    }

    void stop(@Observes ShutdownEvent event) {
        jobs.close();
    }

    /** Installs the routes; call right after {@link FunctionHttp#install}, whose checks run first. */
    public void install(Router router, String function) {
        router.route(HttpMethod.POST, "/" + function).order(-1).handler(ctx -> {
            String prefer = ctx.request().getHeader("Prefer");
            boolean async = prefer != null && Arrays.stream(prefer.split(","))
                    .anyMatch(token -> token.trim().equalsIgnoreCase(ASYNC));
            String key = ctx.request().getHeader(JobService.IDEMPOTENCY_KEY);
            String webhook = ctx.request().getHeader(JobService.WEBHOOK_URL);
            if (webhook != null && !async) {
                throw RequestException.badInput(JobService.WEBHOOK_URL, "a webhook needs Prefer: " + ASYNC);
            }
            if (!async && key == null) {
                ctx.next();
                return;
            }
            remember(ctx);
            byte[] body = ctx.body().buffer().getBytes();
            blocking(ctx, () -> {
                JobService.Submitted submitted = jobs.submit(function, body, key, webhook);
                Map<String, String> replay = submitted.replayed() ? Map.of("Idempotent-Replayed", "true") : Map.of();
                return async ? accepted(submitted.job(), replay)
                        : answer(jobs.await(function, submitted.job().id()), replay);
            });
        });
        router.route("/jobs/:id").handler(ctx -> {
            ctx.response().putHeader("X-Request-Id", FunctionHttp.requestId(ctx));
            if (ctx.request().method() != HttpMethod.GET) {
                throw new RequestException(405, "method_not_allowed", null, "GET a job's status",
                        Map.of("Allow", "GET"));
            }
            remember(ctx);
            String id = ctx.pathParam("id");
            blocking(ctx, () -> record(200, jobs.get(function, id), Map.of()));
        });
        router.route("/jobs/:id/cancel").handler(ctx -> {
            ctx.response().putHeader("X-Request-Id", FunctionHttp.requestId(ctx));
            if (ctx.request().method() != HttpMethod.POST) {
                throw new RequestException(405, "method_not_allowed", null, "POST to cancel a job",
                        Map.of("Allow", "POST"));
            }
            String id = ctx.pathParam("id");
            blocking(ctx, () -> record(200, jobs.cancel(function, id), Map.of()));
        });
    }

    /** An answer to send: status, headers, JSON body. */
    private record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private static Reply accepted(JobRecord job, Map<String, String> replay) {
        Map<String, String> headers = new HashMap<>(replay);
        headers.put("Location", job.urls().get());
        headers.put("Preference-Applied", ASYNC);
        return record(202, job, headers);
    }

    /**
     * A synchronous idempotent request: the job's answer as the function gave it (its status and body, its request
     * id); if it did not end within the wait, 202 with the record to poll.
     */
    private static Reply answer(JobRecord job, Map<String, String> replay) {
        Map<String, String> headers = new HashMap<>(replay);
        headers.put("X-Request-Id", job.requestId());
        if (job.status() == JobRecord.Status.CANCELED) {
            throw new RequestException(409, "canceled", null, "job " + job.id() + " was canceled", Map.of());
        }
        if (!job.status().terminal()) {
            headers.put("Location", job.urls().get());
            return record(202, job, headers);
        }
        var answer = job.status() == JobRecord.Status.SUCCEEDED ? job.output() : job.error();
        return new Reply(job.httpStatus(), headers, answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Reply record(int status, JobRecord job, Map<String, String> headers) {
        try {
            return new Reply(status, headers, JSON.writeValueAsBytes(job));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Store calls and waits block: they run on a worker thread, the answer goes back on the request's context. */
    private static void blocking(RoutingContext ctx, Callable<Reply> work) {
        String requestId = FunctionHttp.requestId(ctx);
        ctx.vertx().<Reply>executeBlocking(() -> {
            MDC.put("requestId", requestId);
            return work.call();
        }, false).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            Reply reply = done.result();
            reply.headers().forEach(ctx.response()::putHeader);
            ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(reply.body()));
        });
    }

    /** Where this server listens, as the request came in: jobs run against it. */
    private void remember(RoutingContext ctx) {
        SocketAddress local = ctx.request().localAddress();
        if (local != null && self.get() == null) {
            String host = local.hostAddress().contains(":") ? "[" + local.hostAddress() + "]" : local.hostAddress();
            self.set(URI.create("http://" + host + ":" + local.port()));
        }
    }

    /** A job's body through this server's own endpoint, as a synchronous request with the job's id. */
    private JobService.Outcome runHere(String function, String requestId, byte[] body)
            throws IOException, InterruptedException {
        URI base = self.get();
        if (base == null) {
            throw new IllegalStateException("no request has told this instance its own address yet");
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + function)).timeout(runTimeout)
                .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response = loopback.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int retryAfter = response.statusCode() == 503 ? response.headers().firstValue("Retry-After")
                .map(Integer::parseInt).orElse(0) : 0;
        return new JobService.Outcome(response.statusCode(), response.body(), retryAfter);
    }
}
