package dev.thinkdiff.store;

/** Opens the backend that a {@link StoreConfig} selects. */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore open(StoreConfig config) {
        return switch (config.type()) {
            case LOCAL -> new LocalDirectoryBlobStore(config.local().root());
            // a local directory has no outages to ride out; a network server does
            case S3 -> new RetryingBlobStore(openS3(config.s3()), config.s3().retry(), S3BlobStore::isTransient);
        };
    }

    /** The configured store with its verified local cache: what a process loads its models through. */
    public static ModelCache cache(StoreConfig config) {
        return new ModelCache(new ModelStore(open(config)), config.cacheDir());
    }

    private static S3BlobStore openS3(StoreConfig.S3 s3) {
        S3BlobStore.Builder builder = builder(s3, s3.bucket().orElseThrow(() -> new IllegalArgumentException(
                "thinkdiff.store.s3.bucket is required when thinkdiff.store.type is s3")));
        s3.prefix().ifPresent(builder::keyPrefix);
        return builder.build();
    }

    /**
     * Another bucket on the same S3-compatible server, with the same endpoint, region, credentials and addressing
     * (e.g. the bucket an {@code s3://bucket/key} reference names). Keys are used as given: the models' key prefix is
     * not applied.
     */
    public static S3BlobStore openS3(StoreConfig.S3 s3, String bucket) {
        return builder(s3, bucket).build();
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
