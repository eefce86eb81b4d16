package dev.thinkdiff.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where models are published and cached. Every key, with its default:
 * <pre>
 * thinkdiff.store.type            local | s3                            (local)
 * thinkdiff.store.cache-dir       local verified copies of fetched files (${user.home}/.cache/thinkdiff/models)
 * thinkdiff.store.local.root      directory of the local store          (models)
 * thinkdiff.store.s3.bucket       bucket; required when type is s3
 * thinkdiff.store.s3.endpoint     S3-compatible server URL              (AWS)
 * thinkdiff.store.s3.region       signing region                        (us-east-1)
 * thinkdiff.store.s3.access-key   static credentials, with secret-key   (the AWS default provider chain)
 * thinkdiff.store.s3.secret-key
 * thinkdiff.store.s3.prefix       key prefix inside the bucket          (none)
 * thinkdiff.store.s3.path-style   endpoint/bucket rather than bucket.endpoint addressing (true)
 * thinkdiff.store.s3.retry.attempts          tries per S3 request before giving up          (10)
 * thinkdiff.store.s3.retry.initial-backoff-ms wait after the first failure, doubling         (500)
 * thinkdiff.store.s3.retry.max-backoff-ms    longest wait between two tries                  (30000)
 * </pre>
 * As with any SmallRye Config key, e.g. {@code THINKDIFF_STORE_S3_BUCKET} sets the bucket from the environment.
 * The cache-dir default relies on expression expansion, which Quarkus and {@code ConfigProvider.getConfig()} enable;
 * a hand-built {@code SmallRyeConfigBuilder} needs {@code addDefaultInterceptors()} and {@code addSystemSources()}.
 */
@ConfigMapping(prefix = "thinkdiff.store")
public interface StoreConfig {

    enum Type { LOCAL, S3 }

    /** Which backend holds the published models. */
    @WithDefault("local")
    Type type();

    /** Local, verified copies of fetched model files, shared by all processes of a user. */
    @WithDefault("${user.home}/.cache/thinkdiff/models")
    Path cacheDir();

    Local local();

    S3 s3();

    /** The {@link LocalDirectoryBlobStore} backend. */
    interface Local {

        /** Root directory of the store; relative paths resolve against the working directory. */
        @WithDefault("models")
        Path root();
    }

    /** The {@link S3BlobStore} backend. */
    interface S3 {

        /** Bucket holding the models; required when {@code type} is {@code s3}. */
        Optional<String> bucket();

        /** URL of an S3-compatible server such as MinIO; AWS itself when absent. */
        Optional<URI> endpoint();

        /** Region used to sign requests; S3-compatible servers usually accept any. */
        @WithDefault("us-east-1")
        String region();

        /** Static access key; with {@link #secretKey()}. Absent: the AWS SDK's default credentials chain. */
        Optional<String> accessKey();

        /** Static secret key; with {@link #accessKey()}. */
        Optional<String> secretKey();

        /** Prefix of every object key, e.g. {@code thinkdiff/models}; none when absent. */
        Optional<String> prefix();

        /** Address the bucket in the URL path, which most S3-compatible servers need. */
        @WithDefault("true")
        boolean pathStyle();

        /** How requests ride out an outage of the server (connection refused, 5xx, throttling). */
        Retry retry();
    }

    /** Bounded exponential backoff: the defaults wait 121.5 s in all (0.5 + 1 + … + 16 + 3 × 30) before failing. */
    interface Retry {

        /** Tries per request, the first included; 1 disables retrying. */
        @WithDefault("10")
        int attempts();

        /** Wait after the first failed try; each further wait doubles, up to {@link #maxBackoffMs()}. */
        @WithDefault("500")
        long initialBackoffMs();

        @WithDefault("30000")
        long maxBackoffMs();
    }
}
