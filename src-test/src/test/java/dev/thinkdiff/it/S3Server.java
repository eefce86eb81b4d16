package dev.thinkdiff.it;

import dev.thinkdiff.store.S3BlobStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3-compatible server (S3Proxy) over a directory, so it can be stopped — an outage — and started again on
 * the same port with the same objects.
 */
final class S3Server implements AutoCloseable {

    static final String BUCKET = "thinkdiff-models";
    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";

    private final Path directory;
    private S3Proxy proxy;
    private int port;

    S3Server(Path directory) throws Exception {
        this.directory = directory;
        Files.createDirectories(directory.resolve(BUCKET));
        start();
    }

    /** Starts on the port of the last run (any free one the first time). */
    void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        port = proxy.getPort();
    }

    void stop() throws Exception {
        proxy.stop();
    }

    /** The configuration that points the training job at this server, under {@code prefix}. */
    List<String> storeProperties(String prefix) {
        List<String> properties = new ArrayList<>(List.of("-Dthinkdiff.store.type=s3",
                "-Dthinkdiff.store.s3.bucket=" + BUCKET,
                "-Dthinkdiff.store.s3.prefix=" + prefix));
        connection().forEach((key, value) -> properties.add("-D" + key + "=" + value));
        return properties;
    }

    /** Endpoint and credentials: what a process needs to read and write {@code s3://} objects on this server. */
    Map<String, String> connection() {
        return Map.of("thinkdiff.store.s3.endpoint", "http://127.0.0.1:" + port,
                "thinkdiff.store.s3.access-key", ACCESS_KEY,
                "thinkdiff.store.s3.secret-key", SECRET_KEY);
    }

    /** A client of the bucket, as the test sees it, without retries: it must see the server's real state. */
    S3BlobStore client(String prefix) {
        return S3BlobStore.builder().bucket(BUCKET).endpoint(URI.create("http://127.0.0.1:" + port))
                .credentials(ACCESS_KEY, SECRET_KEY).keyPrefix(prefix).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
