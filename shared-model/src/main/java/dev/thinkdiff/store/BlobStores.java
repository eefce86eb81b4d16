package dev.thinkdiff.store;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens the backend that a {@link StoreConfig} selects. */
public final class BlobStores {

    /** {@code s3://bucket} or {@code s3://bucket/prefix}, bucket names as S3 allows them. */
    private static final Pattern S3_LOCATION = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(.*))?");

    private BlobStores() {
    }

    public static BlobStore open(StoreConfig config) {
        return switch (config.type()) {
            case LOCAL -> new LocalDirectoryBlobStore(config.local().root());
            // a local directory has no outages to ride out; a network server does
            case S3 -> openS3(config.s3());
        };
    }

    /** The configured store with its verified local cache: what a process loads its models through. */
    public static ModelCache cache(StoreConfig config) {
        return new ModelCache(new ModelStore(open(config)), config.cacheDir());
    }

    private static BlobStore openS3(StoreConfig.S3 s3) {
        S3BlobStore.Builder builder = builder(s3, s3.bucket().orElseThrow(() -> new IllegalArgumentException(
                "thinkdiff.store.s3.bucket is required when thinkdiff.store.type is s3")));
        s3.prefix().ifPresent(builder::keyPrefix);
        // thinkdiff.store.s3.retry.* is the one retry layer: each of its tries is one HTTP attempt
        return new RetryingBlobStore(builder.sdkRetries(false).build(), s3.retry(), S3BlobStore::isTransient);
    }

    /**
     * Another bucket on the same S3-compatible server, with the same endpoint, region, credentials and addressing
     * (e.g. the bucket an {@code s3://bucket/key} reference names). Keys are used as given: the models' key prefix is
     * not applied. For a request being served, which cannot wait minutes: only the SDK's own few quick retries.
     */
    public static S3BlobStore openS3(StoreConfig.S3 s3, String bucket) {
        return builder(s3, bucket).build();
    }

    /**
     * A location outside the model store, such as where a job writes its results: a local directory, or
     * {@code s3://bucket[/prefix]} on the S3-compatible server the model store is configured with (endpoint, region,
     * credentials, addressing), keys under the prefix. Its one retry layer is the SDK's own (a few quick retries):
     * the serving side reads and writes job records here while a client waits.
     */
    public static BlobStore location(String location, StoreConfig.S3 s3) {
        if (!location.startsWith("s3://")) {
            return new LocalDirectoryBlobStore(Path.of(location));
        }
        Matcher m = S3_LOCATION.matcher(location);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a location s3://bucket[/prefix]: '" + location + "'");
        }
        S3BlobStore.Builder builder = builder(s3, m.group(1));
        if (m.group(2) != null) {
            builder.keyPrefix(m.group(2));
        }
        return builder.build();
    }

    private static S3BlobStore.Builder builder(StoreConfig.S3 s3, String bucket) {
        S3BlobStore.Builder builder = S3BlobStore.builder()
                .bucket(bucket)
                .region(s3.region())
                .pathStyle(s3.pathStyle());
        s3.endpoint().ifPresent(builder::endpoint);
        if (s3.accessKey().isPresent() != s3.secretKey().isPresent()) {
            throw new IllegalArgumentException(
                    "set both thinkdiff.store.s3.access-key and thinkdiff.store.s3.secret-key, or neither");
        }
        s3.accessKey().ifPresent(accessKey -> builder.credentials(accessKey, s3.secretKey().orElseThrow()));
        return builder;
    }
}
