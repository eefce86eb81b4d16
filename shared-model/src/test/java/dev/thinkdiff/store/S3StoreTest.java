package dev.thinkdiff.store;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Runs the contract against a real S3 server (S3Proxy, in memory) through the AWS SDK, opened from config. */
class S3StoreTest extends StoreContract {

    private static final String BUCKET = "thinkdiff-models";
    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";
    private static final URI ANY_FREE_LOOPBACK_PORT = URI.create("http://127.0.0.1:0");

    private static S3Proxy s3;

    @BeforeAll
    static void startS3() throws Exception {
        TransientNio2BlobStore memory = new TransientNio2BlobStore();
        memory.createContainer(BUCKET);
        s3 = S3Proxy.builder()
                .blobStore(memory)
                .endpoint(ANY_FREE_LOOPBACK_PORT)
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.stop();
    }

    /** Each test gets its own key prefix in the shared bucket, so it starts from an empty store. */
    @Override
    protected BlobStore openBlobStore(Path scratch) {
        return BlobStores.open(TestConfigs.storeConfig(Map.of(
                "thinkdiff.store.type", "s3",
                "thinkdiff.store.s3.bucket", BUCKET,
                "thinkdiff.store.s3.endpoint", "http://127.0.0.1:" + s3.getPort(),
                "thinkdiff.store.s3.access-key", ACCESS_KEY,
                "thinkdiff.store.s3.secret-key", SECRET_KEY,
                "thinkdiff.store.s3.prefix", "tests/" + UUID.randomUUID())));
    }
}
