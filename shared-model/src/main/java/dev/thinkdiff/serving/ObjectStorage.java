package dev.thinkdiff.serving;

import dev.thinkdiff.store.BlobNotFoundException;
import dev.thinkdiff.store.BlobStore;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.StoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Request data in object storage, named {@code s3://bucket/key}: read and written through the S3-compatible server the
 * model store is configured with ({@code thinkdiff.store.s3.*}: endpoint, region, credentials, addressing).
 */
public final class ObjectStorage implements AutoCloseable {

    /** Bucket names as S3 allows them; keys of printable characters without a leading slash. */
    private static final Pattern URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/([^\\s/][^\\s]*)");

    /** A parsed {@code s3://bucket/key}. */
    public record ObjectRef(String bucket, String key) {

        public static ObjectRef parse(String field, String uri) {
            Fields.required(field, uri);
            var m = URI.matcher(uri);
            if (!m.matches() || uri.length() > 1100) {
                throw RequestException.badInput(field, "must be an object reference s3://bucket/key, got '"
                        + abbreviate(uri) + "'");
            }
            return new ObjectRef(m.group(1), m.group(2));
        }

        /** The object {@code name} under this reference taken as a prefix ("folder"). */
        public ObjectRef entry(String name) {
            return new ObjectRef(bucket, key.endsWith("/") ? key + name : key + "/" + name);
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private final StoreConfig.S3 settings;
    private final Map<String, BlobStore> buckets = new ConcurrentHashMap<>();

    public ObjectStorage(StoreConfig.S3 settings) {
        this.settings = settings;
    }

    /**
     * @throws RequestException 400 naming {@code field} if the object or its bucket does not exist or may not be read,
     *     413 if it exceeds {@code maxBytes}
     */
    public byte[] read(String field, ObjectRef ref, int maxBytes) {
        try (InputStream in = bucket(ref.bucket()).open(ref.key())) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw RequestException.tooLarge(field, ref + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        } catch (BlobNotFoundException e) {
            throw RequestException.badInput(field, "no object " + ref);
        } catch (S3Exception e) {
            throw refusal(field, "cannot read " + ref, e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + ref, e);
        }
    }

    /** @throws RequestException 400 naming {@code field} if the bucket does not exist or may not be written */
    public void write(String field, ObjectRef ref, byte[] bytes) {
        try {
            bucket(ref.bucket()).put(ref.key(), bytes);
        } catch (S3Exception e) {
            throw refusal(field, "cannot write " + ref, e);
        }
    }

    /** A missing bucket or a denied access is the caller's reference at fault (4xx); anything else is ours. */
    private static RuntimeException refusal(String field, String what, S3Exception e) {
        if (e.statusCode() == 403 || e.statusCode() == 404) {
            String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            return RequestException.badInput(field, what + " (" + code + ")");
        }
        return e;
    }

    private BlobStore bucket(String name) {
        return buckets.computeIfAbsent(name, bucket -> BlobStores.openS3(settings, bucket));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    @Override
    public void close() {
        buckets.values().forEach(BlobStore::close);
    }
}
