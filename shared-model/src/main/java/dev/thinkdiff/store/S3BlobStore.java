package dev.thinkdiff.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each key as an object {@code prefix + key} in one S3 (or S3-compatible) bucket.
 * An S3 PUT is atomic per object, so readers see either the old or the new value.
 */
public final class S3BlobStore implements BlobStore {

    private static final int NOT_FOUND = 404;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int FIRST_SERVER_ERROR = 500;

    private final S3Client s3;
    private final String bucket;
    private final String keyPrefix;

    private S3BlobStore(S3Client s3, String bucket, String keyPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void put(String key, Path file) {
        s3.putObject(request -> request.bucket(bucket).key(objectKey(key)), RequestBody.fromFile(file));
    }

    @Override
    public void put(String key, byte[] bytes) {
        s3.putObject(request -> request.bucket(bucket).key(objectKey(key)), RequestBody.fromBytes(bytes));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(request -> request.bucket(bucket).key(objectKey(key)))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(request -> request.bucket(bucket).key(objectKey(key)));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(key);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(objectKey(key)));
            return true;
        } catch (S3Exception e) {
            // HEAD responses carry no body, so a missing key shows up only as a status code.
            if (e.statusCode() == NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** S3 answers a DELETE of a missing key with success too. */
    @Override
    public void delete(String key) {
        s3.deleteObject(request -> request.bucket(bucket).key(objectKey(key)));
    }

    @Override
    public List<String> list(String prefix) {
        return s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(objectKey(prefix)))
                .contents().stream()
                .map(S3Object::key)
                .map(objectKey -> objectKey.substring(keyPrefix.length()))
                .sorted()
                .toList();
    }

    @Override
    public void close() {
        s3.close();
    }

    /**
     * Whether another try may succeed: no answer at all (connection refused or reset, timeout), a server error or
     * throttling. A client error (403, 400, …) will fail the same way again.
     */
    public static boolean isTransient(RuntimeException failure) {
        if (failure instanceof SdkServiceException service) {
            return service.statusCode() >= FIRST_SERVER_ERROR || service.statusCode() == TOO_MANY_REQUESTS;
        }
        return failure instanceof SdkClientException || failure instanceof UncheckedIOException;
    }

    private String objectKey(String key) {
        return keyPrefix + key;
    }

    @Override
    public String toString() {
        return "S3BlobStore[s3://" + bucket + "/" + keyPrefix + "]";
    }

    /** Collects the connection settings; only the bucket is required. */
    public static final class Builder {

        private String bucket;
        private URI endpoint;
        private String region = "us-east-1";
        private AwsCredentialsProvider credentials;
        private String keyPrefix = "";
        private boolean pathStyle = true;
        private boolean sdkRetries = true;

        private Builder() {
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** Talk to an S3-compatible server instead of AWS, e.g. {@code http://127.0.0.1:9000}. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Static credentials; without them the SDK's default provider chain is used. */
        public Builder credentials(String accessKey, String secretKey) {
            this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
            return this;
        }

        /** Put every key under this prefix, e.g. {@code models} stores {@code a/b} as {@code models/a/b}. */
        public Builder keyPrefix(String keyPrefix) {
            String trimmed = keyPrefix.replaceAll("^/+|/+$", "");
            this.keyPrefix = trimmed.isEmpty() ? "" : trimmed + "/";
            return this;
        }

        /** Address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}; most S3-compatible servers need it. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * Whether the SDK repeats a failed HTTP request itself (its default strategy: up to 4 attempts). Off under a
         * {@link RetryingBlobStore}, so that its policy is the only retry layer: stacked, the two multiply.
         */
        public Builder sdkRetries(boolean sdkRetries) {
            this.sdkRetries = sdkRetries;
            return this;
        }

        public S3BlobStore build() {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("an S3 model store needs a bucket");
            }
            S3ClientBuilder client = S3Client.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(region))
                    .credentialsProvider(Objects.requireNonNullElseGet(credentials,
                            () -> DefaultCredentialsProvider.builder().build()))
                    .forcePathStyle(pathStyle);
            if (endpoint != null) {
                client.endpointOverride(endpoint);
            }
            if (!sdkRetries) {
                client.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
            }
            return new S3BlobStore(client.build(), bucket, keyPrefix);
        }
    }
}
