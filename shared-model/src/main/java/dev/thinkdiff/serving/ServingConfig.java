package dev.thinkdiff.serving;

import dev.thinkdiff.store.Components;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Every limit and pool setting of the functions, in one place. Keys, with their defaults:
 * <pre>
 * thinkdiff.serving.family                    model family the functions load            (pocket)
 * thinkdiff.serving.warm-up                   answer one canned request before readiness
 *                                             (always with exit-when-ready)              (false)
 * thinkdiff.serving.exit-when-ready           exit once the models are loaded (0) or failed (1): the training
 *                                             start that writes the class-data archive   (false)
 * thinkdiff.serving.limits.request-bytes      whole request body                         (4194304)
 * thinkdiff.serving.limits.image-bytes        one image, decoded from base64             (1048576)
 * thinkdiff.serving.limits.image-side         image width and height, read from the header (1024)
 * thinkdiff.serving.limits.text-chars         a text prompt                              (512)
 * thinkdiff.serving.limits.embedding-tokens   T of an embedding [T, D]                   (256)
 * thinkdiff.serving.limits.embedding-bytes    an embedding read from object storage      (4194304)
 * thinkdiff.serving.limits.steps              sampler steps                              (100)
 * thinkdiff.serving.limits.count              images per decode request                  (8)
 * thinkdiff.serving.limits.guidance           classifier-free guidance scale             (20)
 * thinkdiff.serving.limits.shots              demos of a prompt (images of an encode request) (8)
 * thinkdiff.serving.limits.new-tokens         tokens the VLM may generate per encode     (64)
 * thinkdiff.serving.limits.query-contrast     largest query-contrast strength α of an encode (4)
 * thinkdiff.serving.pool.workers              batches running the models at once         (1)
 * thinkdiff.serving.pool.queue                requests waiting for a worker; beyond: 503 (32)
 * thinkdiff.serving.pool.retry-after-seconds  the 503's Retry-After                      (2)
 * thinkdiff.serving.batch.max-size           requests run as one batch (decode: images), 1 = off (16)
 * thinkdiff.serving.batch.max-delay-millis   how long the oldest waiting request waits for others
 *                                             with the same settings to join its batch   (50)
 *                                             (only when company is likely)
 * thinkdiff.serving.timeouts.body-millis      a request body not fully arrived this long after its headers
 *                                             gets a 408 and its connection closed       (10000)
 * thinkdiff.serving.timeouts.after-ready-millis how long a request waits for a part loaded after readiness
 *                                             (encode's CLIP variant) before a 503       (60000)
 * thinkdiff.serving.jobs.location             async job records and results: a directory or s3://bucket/prefix
 *                                             on the model store's S3 server   (${java.io.tmpdir}/thinkdiff-jobs)
 * thinkdiff.serving.jobs.workers              async jobs this instance runs at once      (4)
 * thinkdiff.serving.jobs.queue                accepted jobs waiting here; beyond: 503    (256)
 * thinkdiff.serving.jobs.webhook-secret       HMAC-SHA256 key of webhook signatures; webhooks refused without it
 * thinkdiff.serving.jobs.webhook-attempts     deliveries tried per webhook (1 s, 2 s, … apart) (3)
 * thinkdiff.serving.jobs.lease-seconds        a job whose instance has not been seen for this long is taken
 *                                             over by the instance that is polled for it (30)
 * thinkdiff.serving.jobs.wait-seconds         longest a synchronous request with an Idempotency-Key waits (600)
 * </pre>
 * As with any SmallRye Config key, {@code THINKDIFF_SERVING_POOL_WORKERS=2} sets one from the environment. The HTTP
 * layer's own body limit ({@code quarkus.http.limits.max-body-size}) is set from {@code request-bytes}.
 */
@ConfigMapping(prefix = "thinkdiff.serving")
public interface ServingConfig {

    @WithDefault(Components.FAMILY)
    String family();

    /**
     * Exit as soon as the models are loaded (status 0) or failed to load (1), instead of serving: the training start
     * under {@code -XX:ArchiveClassesAtExit} that writes a function's class-data archive.
     */
    @WithDefault("false")
    boolean exitWhenReady();

    /**
     * Before readiness, answer one canned request through the function's own batch work (not HTTP), so the first
     * real request does not pay for the JIT and PyTorch's first passes; a failing warm-up fails the load. Off by
     * default: measured, it moves about as much time before readiness as it saves the first request (README, cold
     * start). The class-data start ({@link #exitWhenReady()}) always warms up, so the archive holds the request
     * path's classes too.
     */
    @WithDefault("false")
    boolean warmUp();

    Limits limits();

    Pool pool();

    Batch batch();

    Timeouts timeouts();

    Jobs jobs();

    interface Limits {

        @WithDefault("4194304")
        int requestBytes();

        @WithDefault("1048576")
        int imageBytes();

        @WithDefault("1024")
        int imageSide();

        @WithDefault("512")
        int textChars();

        @WithDefault("256")
        int embeddingTokens();

        @WithDefault("4194304")
        int embeddingBytes();

        @WithDefault("100")
        int steps();

        @WithDefault("8")
        int count();

        @WithDefault("20")
        double guidance();

        @WithDefault("8")
        int shots();

        @WithDefault("64")
        int newTokens();

        @WithDefault("4")
        double queryContrast();
    }

    interface Pool {

        @WithDefault("1")
        int workers();

        @WithDefault("32")
        int queue();

        @WithDefault("2")
        int retryAfterSeconds();
    }

    /** Dynamic batching of encode and decode requests (score runs each request alone). */
    interface Batch {

        @WithDefault("16")
        int maxSize();

        @WithDefault("50")
        long maxDelayMillis();
    }

    interface Timeouts {

        @WithDefault("10000")
        long bodyMillis();

        /**
         * How long a request waits for a part its function loads after readiness (encode's CLIP variant) before a
         * 503 not ready.
         */
        @WithDefault("60000")
        long afterReadyMillis();
    }

    /** Asynchronous generations (Prefer: respond-async) and idempotent requests: see {@link JobService}. */
    interface Jobs {

        @WithDefault("${java.io.tmpdir}/thinkdiff-jobs")
        String location();

        @WithDefault("4")
        int workers();

        @WithDefault("256")
        int queue();

        Optional<String> webhookSecret();

        @WithDefault("3")
        int webhookAttempts();

        @WithDefault("30")
        int leaseSeconds();

        @WithDefault("600")
        int waitSeconds();
    }
}
