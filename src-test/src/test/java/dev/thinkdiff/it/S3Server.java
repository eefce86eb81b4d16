package dev.thinkdiff.it;

import dev.thinkdiff.store.S3BlobStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        return List.of("-Dthinkdiff.store.type=s3",
                "-Dthinkdiff.store.s3.bucket=" + BUCKET,
                "-Dthinkdiff.store.s3.endpoint=http://127.0.0.1:" + port,
                "-Dthinkdiff.store.s3.access-key=" + ACCESS_KEY,
                "-Dthinkdiff.store.s3.secret-key=" + SECRET_KEY,
                "-Dthinkdiff.store.s3.prefix=" + prefix);
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
