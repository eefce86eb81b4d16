package dev.thinkdiff.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link BlobStore} backend must give the model store; one subclass per backend. */
abstract class StoreContract {

    private static final String FAMILY = "cobsat";
    private static final String COMPONENT = "judge";
    private static final int WEIGHTS_SIZE = 64 * 1024;
    private static final int CONCURRENT_FETCHES = 8;

    @TempDir
    Path scratch;

    private BlobStore blobs;
    private ModelStore store;
    private Path cacheDir;
    private ModelCache cache;
    private final Random random = new Random(42);

    /** A new, empty backend; {@code scratch} is a fresh directory it may use. */
    protected abstract BlobStore openBlobStore(Path scratch);

    @BeforeEach
    void openStore() {
        blobs = openBlobStore(scratch.resolve("store"));
        store = new ModelStore(blobs);
        cacheDir = scratch.resolve("cache");
        cache = new ModelCache(store, cacheDir);
    }

    @AfterEach
    void closeStore() {
        blobs.close();
    }

    @Test
    void blobsArePutReadListedAndReplaced() throws IOException {
        blobs.put("a/b/one", bytes("first"));
        blobs.put("a/b/one", bytes("replaced"));
        blobs.put("a/b/two", writeFile("two.bin", bytes("second")));
        blobs.put("a/bc/three", bytes("third"));

        assertArrayEquals(bytes("replaced"), blobs.getBytes("a/b/one").orElseThrow());
        try (InputStream in = blobs.open("a/b/two")) {
            assertArrayEquals(bytes("second"), in.readAllBytes());
        }
        Path downloaded = scratch.resolve("downloaded");
        blobs.download("a/bc/three", downloaded);
        assertArrayEquals(bytes("third"), Files.readAllBytes(downloaded));

        assertEquals(List.of("a/b/one", "a/b/two"), blobs.list("a/b/"));
        assertEquals(List.of("a/b/one", "a/b/two", "a/bc/three"), blobs.list("a/b"));
        assertEquals(List.of(), blobs.list("nothing/"));
        assertTrue(blobs.exists("a/b/one"));
        assertFalse(blobs.exists("a/b/missing"));
        assertEquals(Optional.empty(), blobs.getBytes("a/b/missing"));
        assertThrows(BlobNotFoundException.class, () -> blobs.open("a/b/missing"));
    }

    @Test
    void deletedBlobsAreGoneAndDeletingAMissingOneIsNoError() {
        blobs.put("a/b/one", bytes("first"));
        blobs.put("a/c/two", bytes("second"));

        blobs.delete("a/b/one");
        blobs.delete("a/b/one");
        blobs.delete("never/written");

        assertFalse(blobs.exists("a/b/one"));
        assertEquals(List.of("a/c/two"), blobs.list("a/"));
    }

    @Test
    void publishedVersionIsFetchedVerifiedAndLoaded() throws IOException {
        byte[] weights = randomBytes(WEIGHTS_SIZE);
        byte[] vocabulary = bytes("red\ngreen\nblue\n");
        Map<String, Path> files = files(Map.of("weights.bin", weights, "vocab.txt", vocabulary));
        Manifest manifest = Manifest.builder(ref("v1"))
                .config("layers", 4).config("channels", List.of(16, 32)).seed(7).steps(1000)
                .metric("accuracy", 0.93).input("encoder", "e3").files(files).build();

        store.publish(manifest, files);

        assertEquals(Optional.of("v1"), store.latest(FAMILY, COMPONENT));
        assertEquals(List.of("v1"), store.versions(FAMILY, COMPONENT));
        assertEquals(manifest, store.manifest(ref("v1")));
        LoadedModel loaded = cache.fetchLatest(FAMILY, COMPONENT);
        assertEquals(manifest, loaded.manifest());
        assertArrayEquals(weights, Files.readAllBytes(loaded.path("weights.bin")));
        assertArrayEquals(vocabulary, Files.readAllBytes(loaded.path("vocab.txt")));
        assertEquals(cache.pathFor(manifest.files().get("weights.bin")), loaded.path("weights.bin"));
        assertTrue(loaded.path("weights.bin").startsWith(cacheDir));
    }

    @Test
    void latestFollowsTheMostRecentPublish() throws IOException {
        publish("v1", "weights.bin", bytes("one"));
        publish("v2", "weights.bin", bytes("two"));

        assertEquals(List.of("v1", "v2"), store.versions(FAMILY, COMPONENT));
        assertArrayEquals(bytes("two"), Files.readAllBytes(cache.fetchLatest(FAMILY, COMPONENT).path("weights.bin")));
        assertArrayEquals(bytes("one"), Files.readAllBytes(cache.fetch(ref("v1")).path("weights.bin")));
    }

    @Test
    void fileTamperedInTheStoreIsRefusedAndNotCached() throws IOException {
        Manifest manifest = publish("v1", "weights.bin", randomBytes(WEIGHTS_SIZE));
        blobs.put(ModelStore.fileKey(ref("v1"), "weights.bin"), bytes("tampered"));

        ModelIntegrityException refused =
                assertThrows(ModelIntegrityException.class, () -> cache.fetch(ref("v1")));

        String expected = manifest.files().get("weights.bin");
        assertMessageNames(refused, "weights.bin", FAMILY + "/" + COMPONENT + "/v1", expected,
                Sha256.of(bytes("tampered")));
        assertFalse(Files.exists(cache.pathFor(expected)));
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void fileTamperedInTheCacheIsRefusedAndDeleted() throws IOException {
        Manifest manifest = publish("v1", "weights.bin", randomBytes(WEIGHTS_SIZE));
        Path cached = cache.fetch(ref("v1")).path("weights.bin");
        Files.write(cached, bytes("tampered"));

        ModelIntegrityException refused =
                assertThrows(ModelIntegrityException.class, () -> cache.fetch(ref("v1")));

        assertMessageNames(refused, "weights.bin", "v1", manifest.files().get("weights.bin"), "cached copy");
        assertFalse(Files.exists(cached));
        // With the bad copy gone, the next fetch downloads a good one again.
        assertEquals(manifest.files().get("weights.bin"), Sha256.of(cache.fetch(ref("v1")).path("weights.bin")));
    }

    @Test
    void publishInterruptedBeforeThePointerKeepsServingThePreviousVersion() throws IOException {
        publish("v1", "weights.bin", bytes("one"));
        Map<String, Path> files = files(Map.of("weights.bin", bytes("two")));
        Manifest v2 = Manifest.builder(ref("v2")).files(files).build();
        ModelStore crashing = new ModelStore(new FailingBlobStore(blobs, ModelStore.LATEST));

        assertThrows(IllegalStateException.class, () -> crashing.publish(v2, files));

        assertEquals(Optional.of("v1"), store.latest(FAMILY, COMPONENT));
        assertArrayEquals(bytes("one"), Files.readAllBytes(cache.fetchLatest(FAMILY, COMPONENT).path("weights.bin")));
        // Publishing the same manifest again completes the interrupted publish.
        store.publish(v2, files);
        assertArrayEquals(bytes("two"), Files.readAllBytes(cache.fetchLatest(FAMILY, COMPONENT).path("weights.bin")));
    }

    @Test
    void publishRefusesFilesThatDoNotMatchTheManifest() throws IOException {
        Map<String, Path> files = files(Map.of("weights.bin", bytes("trained")));
        Manifest manifest = Manifest.builder(ref("v1")).files(files).build();
        Files.write(files.get("weights.bin"), bytes("overwritten after hashing"));

        assertThrows(ModelIntegrityException.class, () -> store.publish(manifest, files));
        assertThrows(IllegalArgumentException.class, () -> store.publish(manifest, Map.of()));

        assertEquals(List.of(), blobs.list(""));
    }

    @Test
    void publishedVersionsCannotBeReplaced() throws IOException {
        publish("v1", "weights.bin", bytes("one"));

        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> publish("v1", "weights.bin", bytes("other")));

        assertMessageNames(refused, "v1", "already published");
        assertArrayEquals(bytes("one"), Files.readAllBytes(cache.fetch(ref("v1")).path("weights.bin")));
    }

    @Test
    void unknownVersionsAndComponentsAreReportedClearly() throws IOException {
        publish("v1", "weights.bin", bytes("one"));

        ModelNotFoundException unknownVersion =
                assertThrows(ModelNotFoundException.class, () -> cache.fetch(ref("v9")));
        ModelNotFoundException unknownComponent =
                assertThrows(ModelNotFoundException.class, () -> cache.fetchLatest(FAMILY, "decoder"));

        assertMessageNames(unknownVersion, "v9", FAMILY + "/" + COMPONENT, "[v1]");
        assertMessageNames(unknownComponent, FAMILY + "/decoder", ModelStore.LATEST);
        assertEquals(Optional.empty(), store.latest(FAMILY, "decoder"));
        assertEquals(List.of(), store.versions(FAMILY, "decoder"));
    }

    @Test
    void fileMissingFromTheStoreIsReportedClearly() {
        // A manifest whose file never arrived, as if written by hand or by a broken publisher.
        Manifest manifest = Manifest.builder(ref("v1")).build();
        Manifest listingAbsentFile = new Manifest(FAMILY, COMPONENT, "v1", manifest.created(), Map.of(), 0, 0,
                Map.of(), Map.of("weights.bin", Sha256.of(bytes("never uploaded"))), Map.of());
        blobs.put(ModelStore.manifestKey(ref("v1")), listingAbsentFile.toJson().getBytes(StandardCharsets.UTF_8));

        ModelNotFoundException missing = assertThrows(ModelNotFoundException.class, () -> cache.fetch(ref("v1")));

        assertMessageNames(missing, "weights.bin", FAMILY + "/" + COMPONENT + "/v1", "missing");
        assertEquals(List.of(), cacheContents());
    }

    @Test
    void unreadableManifestIsAnIntegrityError() {
        blobs.put(ModelStore.manifestKey(ref("v1")), bytes("{ truncated"));

        ModelIntegrityException unreadable = assertThrows(ModelIntegrityException.class, () -> cache.fetch(ref("v1")));

        assertMessageNames(unreadable, FAMILY + "/" + COMPONENT + "/v1", "unreadable");
    }

    @Test
    void loadedModelNamesItsFilesForAnUnknownName() throws IOException {
        publish("v1", "weights.bin", bytes("one"));
        LoadedModel loaded = cache.fetch(ref("v1"));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> loaded.path("bias.bin"));

        assertMessageNames(unknown, "bias.bin", "weights.bin");
    }

    @Test
    void concurrentFetchesShareOneVerifiedCopy() throws Exception {
        byte[] weights = randomBytes(WEIGHTS_SIZE);
        publish("v1", "weights.bin", weights);
        Callable<Path> fetch = () -> cache.fetch(ref("v1")).path("weights.bin");

        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_FETCHES);
        try {
            List<Future<Path>> results = pool.invokeAll(Collections.nCopies(CONCURRENT_FETCHES, fetch));
            for (Future<Path> result : results) {
                assertArrayEquals(weights, Files.readAllBytes(result.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, cacheContents().size());
    }

    private Manifest publish(String version, String fileName, byte[] content) throws IOException {
        Map<String, Path> files = files(Map.of(fileName, content));
        Manifest manifest = Manifest.builder(ref(version)).files(files).build();
        store.publish(manifest, files);
        return manifest;
    }

    private Map<String, Path> files(Map<String, byte[]> contents) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
            files.put(entry.getKey(), writeFile(entry.getKey(), entry.getValue()));
        }
        return files;
    }

    private Path writeFile(String name, byte[] content) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "upload");
        return Files.write(dir.resolve(name), content);
    }

    /** Every file in the cache, temp files included, so leftovers from failed downloads show up. */
    private List<Path> cacheContents() {
        if (!Files.exists(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(cacheDir)) {
            return paths.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ModelRef ref(String version) {
        return new ModelRef(FAMILY, COMPONENT, version);
    }

    private static void assertMessageNames(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should name " + part);
        }
    }
}
