package dev.thinkdiff.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.thinkdiff.store.BlobStore;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.Sha256;
import dev.thinkdiff.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Asynchronous generations kept in an object store, so that any instance of a function can answer for any job: the
 * record ({@link JobRecord}) and the request body are written before the job is accepted, status and result are read
 * from the store, and a cancel is a write the running instance reads before it starts the work. A job runs the
 * function's ordinary synchronous path through a {@link Runner} (validation, the request gate, the models: exactly what
 * the same request sent synchronously gets). Each instance marks itself alive every {@code lease-seconds / 3}; a job
 * whose instance has not been seen for {@code lease-seconds} — it was killed — is taken over by the instance polled
 * for it, so no accepted job is lost. Idempotency keys map to the job they created, with the hash of the body they
 * came with. Store layout under {@code thinkdiff.serving.jobs.location}:
 * <pre>
 * {function}/jobs/{id}.json             the record
 * {function}/jobs/{id}.input.json       the request body
 * {function}/idempotency/{sha256(key)}  {"body": sha256 of the canonical JSON body, "id": the job}
 * instances/{instance}                  when the instance last proved alive (ISO-8601)
 * </pre>
 * Two instances racing on the same new key, or adopting the same orphan, may both run it (the object store has no
 * compare-and-set here); the record then holds the last answer, the same one for a request with a seed.
 */
public final class JobService implements AutoCloseable {

    /** The request headers of this service: the caller's key of a request, where to call back when a job ends. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String WEBHOOK_URL = "Webhook-Url";

    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** Runs a job's body through the function's synchronous path: the HTTP status and body it answered. */
    @FunctionalInterface
    public interface Runner {
        Outcome run(String function, String requestId, byte[] body) throws IOException, InterruptedException;
    }

    /** @param retryAfterSeconds above 0: the function was over capacity; try again after that long */
    public record Outcome(int status, byte[] body, int retryAfterSeconds) {
    }

    /** @param replayed the job an idempotency key had already created */
    public record Submitted(JobRecord job, boolean replayed) {
    }

    private record KeyEntry(String body, String id) {
    }

    private final ServingConfig.Jobs config;
    private final BlobStore store;
    private final Runner runner;
    private final Webhooks webhooks;
    private final int retryAfterSeconds;
    private final String instance = UUID.randomUUID().toString();
    private final Semaphore capacity;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            daemon("job-heartbeat"));
    private final Map<String, CompletableFuture<JobRecord>> running = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile boolean beating;

    public JobService(ServingConfig serving, StoreConfig.S3 s3, Runner runner) {
        this(serving.jobs(), BlobStores.location(serving.jobs().location(), s3), runner,
                serving.pool().retryAfterSeconds());
    }

    JobService(ServingConfig.Jobs config, BlobStore store, Runner runner, int retryAfterSeconds) {
        this.config = config;
        this.store = store;
        this.runner = runner;
        this.webhooks = new Webhooks(config.webhookSecret(), config.webhookAttempts());
        this.retryAfterSeconds = retryAfterSeconds;
        this.capacity = new Semaphore(config.workers() + config.queue());
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("job-worker"));
    }

    /**
     * Accepts a job (or finds the one {@code idempotencyKey} made for the same body).
     *
     * @throws RequestException 409 if the key came with another body, 400 for a bad key or webhook, 503 when full
     */
    public Submitted submit(String function, byte[] body, String idempotencyKey, String webhook) {
        if (webhook != null) {
            webhooks.check(webhook);
        }
        if (idempotencyKey == null) {
            return new Submitted(create(function, body, webhook), false);
        }
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw RequestException.badInput(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters");
        }
        String keyObject = function + "/idempotency/" + Sha256.of(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        String bodyHash = canonicalHash(body);
        synchronized (locks.computeIfAbsent(keyObject, k -> new Object())) {
            Optional<KeyEntry> used = store.getBytes(keyObject).map(bytes -> read(bytes, KeyEntry.class));
            if (used.isPresent()) {
                if (!used.get().body().equals(bodyHash)) {
                    throw new RequestException(409, "idempotency_conflict", IDEMPOTENCY_KEY,
                            IDEMPOTENCY_KEY + ": already used for another request body (job "
                                    + used.get().id() + "); a new request needs a new key", Map.of());
                }
                return new Submitted(get(function, used.get().id()), true);
            }
            JobRecord job = create(function, body, webhook);
            store.put(keyObject, json(new KeyEntry(bodyHash, job.id())));
            return new Submitted(job, false);
        }
    }

    /**
     * The job's record; a job left unfinished by an instance that is gone is taken over here.
     *
     * @throws RequestException 404 for an unknown id
     */
    public JobRecord get(String function, String id) {
        JobRecord job = find(function, id);
        if (!job.status().terminal() && !running.containsKey(id) && !instance.equals(job.instance())
                && !alive(job.instance())) {
            job = adopt(job);
        }
        return job;
    }

    /** Cancels a job that has not ended; a running one keeps running but its answer is not kept. */
    public JobRecord cancel(String function, String id) {
        find(function, id);
        JobRecord job = update(function, id, r -> r.status().terminal() ? r
                : r.withStatus(JobRecord.Status.CANCELED, r.startedAt(), now()));
        if (job.status() == JobRecord.Status.CANCELED && job.webhook() != null && job.completedAt() != null) {
            webhooks.deliver(job.webhook(), job.id(), json(job));
        }
        return job;
    }

    /** Waits up to the configured wait for the job to end; returns the record as it is then. */
    public JobRecord await(String function, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.waitSeconds());
        CompletableFuture<JobRecord> local = running.get(id);
        if (local != null) {
            try {
                return local.get(config.waitSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                return find(function, id);
            }
        }
        JobRecord job = get(function, id);
        while (!job.status().terminal() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            job = get(function, id);
        }
        return job;
    }

    private JobRecord create(String function, byte[] body, String webhook) {
        if (!capacity.tryAcquire()) {
            throw RequestException.overCapacity(retryAfterSeconds);
        }
        try {
            startHeartbeat();
            String id = UUID.randomUUID().toString();
            JobRecord job = new JobRecord(id, function, JobRecord.Status.STARTING, now(), null, null, null, null,
                    null, new JobRecord.Urls("/jobs/" + id, "/jobs/" + id + "/cancel"), webhook, instance, id);
            store.put(inputKey(function, id), body);
            store.put(recordKey(function, id), json(job));
            enqueue(job);
            return job;
        } catch (RuntimeException e) {
            capacity.release();
            throw e;
        }
    }

    private JobRecord adopt(JobRecord orphan) {
        if (!capacity.tryAcquire()) {
            return orphan;
        }
        startHeartbeat();
        JobRecord job = update(orphan.function(), orphan.id(), r -> r.status().terminal() ? r
                : r.withInstance(instance).withStatus(JobRecord.Status.STARTING, null, null));
        if (job.status().terminal()) {
            capacity.release();
            return job;
        }
        LOG.infof("took over job %s of instance %s, not seen for %s s", orphan.id(), orphan.instance(),
                config.leaseSeconds());
        enqueue(job);
        return job;
    }

    /** Callers hold a capacity permit, which the job's run releases. */
    private void enqueue(JobRecord job) {
        CompletableFuture<JobRecord> done = new CompletableFuture<>();
        running.put(job.id(), done);
        workers.execute(() -> {
            JobRecord end = null;
            try {
                end = run(job.function(), job.id());
            } finally {
                running.remove(job.id());
                capacity.release();
                done.complete(end);
            }
        });
    }

    private JobRecord run(String function, String id) {
        try {
            JobRecord job = update(function, id, r -> r.status() != JobRecord.Status.STARTING ? r
                    : r.withStatus(JobRecord.Status.PROCESSING, now(), null));
            if (job.status() != JobRecord.Status.PROCESSING) {
                return job;
            }
            byte[] body = store.getBytes(inputKey(function, id)).orElseThrow(
                    () -> new IllegalStateException("job " + id + " has no stored input"));
            Outcome outcome = runner.run(function, id, body);
            while (outcome.retryAfterSeconds() > 0) {
                Thread.sleep(outcome.retryAfterSeconds() * 1000L);
                if (find(function, id).status() == JobRecord.Status.CANCELED) {
                    return find(function, id);
                }
                outcome = runner.run(function, id, body);
            }
            JobRecord.Status end = outcome.status() == 200 ? JobRecord.Status.SUCCEEDED : JobRecord.Status.FAILED;
            JsonNode answer = answer(outcome.body());
            int status = outcome.status();
            JobRecord finished = update(function, id, r -> r.status() == JobRecord.Status.CANCELED ? r
                    : r.withResult(end, now(), status, answer));
            if (finished.status() == end && finished.webhook() != null) {
                webhooks.deliver(finished.webhook(), id, json(finished));
            }
            return finished;
        } catch (InterruptedException e) {
            // shutting down: the record stays unfinished, for an instance polled after the lease to take over
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.error("job " + id + " of " + function + " failed", e);
            JsonNode error = JSON.valueToTree(new ErrorBody("internal", "internal error; see the log for request "
                    + id, null, id));
            return update(function, id, r -> r.status().terminal() ? r
                    : r.withResult(JobRecord.Status.FAILED, now(), 500, error));
        }
    }

    /** Read-modify-write of a record under this instance's lock for the job. */
    private JobRecord update(String function, String id, UnaryOperator<JobRecord> change) {
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            JobRecord before = find(function, id);
            JobRecord after = change.apply(before);
            if (after != before) {
                store.put(recordKey(function, id), json(after));
            }
            return after;
        }
    }

    private JobRecord find(String function, String id) {
        RequestException unknown = new RequestException(404, "not_found", "id", "id: no " + function + " job '"
                + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'", Map.of());
        if (!ID.matcher(id).matches()) {
            throw unknown;
        }
        return store.getBytes(recordKey(function, id)).map(bytes -> read(bytes, JobRecord.class))
                .orElseThrow(() -> unknown);
    }

    private boolean alive(String other) {
        if (other == null) {
            return false;
        }
        Optional<byte[]> seen = store.getBytes("instances/" + other);
        return seen.isPresent() && Instant.parse(new String(seen.get(), StandardCharsets.UTF_8).trim())
                .isAfter(Instant.now().minusSeconds(config.leaseSeconds()));
    }

    private void startHeartbeat() {
        if (!beating) {
            synchronized (heartbeat) {
                if (!beating) {
                    beat();
                    long period = Math.max(1, config.leaseSeconds() / 3);
                    heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.SECONDS);
                    beating = true;
                }
            }
        }
    }

    private void beat() {
        try {
            store.put("instances/" + instance, now().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("cannot mark instance " + instance + " alive", e);
        }
    }

    /** The SHA-256 of the body as JSON with sorted keys: the same request however its fields are ordered or spaced. */
    static String canonicalHash(byte[] body) {
        try {
            Object tree = JSON.readValue(body, Object.class);
            return Sha256.of(CANONICAL.writeValueAsBytes(tree));
        } catch (IOException e) {
            return Sha256.of(body);
        }
    }

    private static JsonNode answer(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String recordKey(String function, String id) {
        return function + "/jobs/" + id + ".json";
    }

    private static String inputKey(String function, String id) {
        return function + "/jobs/" + id + ".input.json";
    }

    private static String now() {
        return Instant.now().toString();
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable job object", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops this instance's workers: unfinished jobs stay in the store for another instance to take over. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
