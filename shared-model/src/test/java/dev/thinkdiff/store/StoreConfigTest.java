package dev.thinkdiff.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsSelectALocalStoreAndAUserCache() {
        StoreConfig config = TestConfigs.storeConfig(Map.of());

        assertEquals(StoreConfig.Type.LOCAL, config.type());
        assertEquals(Path.of("models"), config.local().root());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "thinkdiff", "models"), config.cacheDir());
        assertEquals("us-east-1", config.s3().region());
        assertTrue(config.s3().pathStyle());
        assertEquals(Optional.empty(), config.s3().prefix());
    }

    @Test
    void localTypeOpensADirectoryStore() {
        StoreConfig config = TestConfigs.storeConfig(Map.of("thinkdiff.store.local.root", dir.toString()));

        try (BlobStore blobs = BlobStores.open(config)) {
            LocalDirectoryBlobStore local = assertInstanceOf(LocalDirectoryBlobStore.class, blobs);
            assertEquals(dir, local.root());
        }
    }

    @Test
    void s3KeysAreMapped() {
        StoreConfig config = TestConfigs.storeConfig(Map.of(
                "thinkdiff.store.type", "s3",
                "thinkdiff.store.s3.bucket", "models",
                "thinkdiff.store.s3.endpoint", "http://127.0.0.1:9000",
                "thinkdiff.store.s3.region", "eu-west-1",
                "thinkdiff.store.s3.path-style", "false",
                "thinkdiff.store.s3.prefix", "thinkdiff/"));

        assertEquals(StoreConfig.Type.S3, config.type());
        assertEquals(Optional.of("models"), config.s3().bucket());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), config.s3().endpoint());
        assertEquals("eu-west-1", config.s3().region());
        assertEquals(false, config.s3().pathStyle());
        assertEquals(Optional.of("thinkdiff/"), config.s3().prefix());
    }

    @Test
    void s3WithoutABucketOrWithHalfTheCredentialsIsRefused() {
        IllegalArgumentException noBucket = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(TestConfigs.storeConfig(Map.of("thinkdiff.store.type", "s3"))));
        IllegalArgumentException halfCredentials = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(TestConfigs.storeConfig(Map.of(
                        "thinkdiff.store.type", "s3",
                        "thinkdiff.store.s3.bucket", "models",
                        "thinkdiff.store.s3.access-key", "key-without-secret"))));

        assertTrue(noBucket.getMessage().contains("thinkdiff.store.s3.bucket"), noBucket.getMessage());
        assertTrue(halfCredentials.getMessage().contains("secret-key"), halfCredentials.getMessage());
    }
}
