package dev.thinkdiff.store;

/** Opens the backend that a {@link StoreConfig} selects. */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore open(StoreConfig config) {
        return switch (config.type()) {
            case LOCAL -> new LocalDirectoryBlobStore(config.local().root());
            case S3 -> openS3(config.s3());
        };
    }

    private static S3BlobStore openS3(StoreConfig.S3 s3) {
        S3BlobStore.Builder builder = S3BlobStore.builder()
                .bucket(s3.bucket().orElseThrow(() -> new IllegalArgumentException(
                        "thinkdiff.store.s3.bucket is required when thinkdiff.store.type is s3")))
                .region(s3.region())
                .pathStyle(s3.pathStyle());
        s3.endpoint().ifPresent(builder::endpoint);
        s3.prefix().ifPresent(builder::keyPrefix);
        if (s3.accessKey().isPresent() != s3.secretKey().isPresent()) {
            throw new IllegalArgumentException(
                    "set both thinkdiff.store.s3.access-key and thinkdiff.store.s3.secret-key, or neither");
        }
        s3.accessKey().ifPresent(accessKey -> builder.credentials(accessKey, s3.secretKey().orElseThrow()));
        return builder.build();
    }
}
