package dev.thinkdiff.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A verified local copy of published models, content-addressed as {@code {cacheDir}/sha256/{hash}} so versions that
 * share a file share its copy. Every file is checked against its manifest hash when downloaded and again whenever a
 * cached copy is reused; a file that fails is deleted and {@link ModelIntegrityException} is thrown.
 * Safe for concurrent use, also by several processes sharing one cache directory.
 */
public final class ModelCache {

    private static final String HASH_DIR = "sha256";

    private final ModelStore store;
    private final Path blobDir;
    /** One lock per hash: concurrent fetches of the same file download it once, other files proceed in parallel. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ModelCache(ModelStore store, Path cacheDir) {
        this.store = store;
        this.blobDir = cacheDir.toAbsolutePath().normalize().resolve(HASH_DIR);
    }

    /**
     * Fetches the version {@code LATEST} points at.
     *
     * @throws ModelNotFoundException if no version of the component was fully published
     */
    public LoadedModel fetchLatest(String family, String component) {
        String version = store.latest(family, component).orElseThrow(() -> new ModelNotFoundException(
                "no published version of " + family + "/" + component + " (no " + ModelStore.LATEST + " pointer)"));
        return fetch(new ModelRef(family, component, version));
    }

    /**
     * Makes every file of {@code ref} available locally, verified against its manifest.
     *
     * @throws ModelNotFoundException  if the version or one of its files is not in the store
     * @throws ModelIntegrityException if a downloaded or cached file does not match its manifest hash
     */
    public LoadedModel fetch(ModelRef ref) {
        Manifest manifest = store.manifest(ref);
        Map<String, Path> files = new LinkedHashMap<>();
        manifest.files().forEach((name, sha256) -> files.put(name, cachedFile(ref, name, sha256)));
        return new LoadedModel(manifest, files);
    }

    /** Where a file with this hash lives once cached; it may not exist yet. */
    public Path pathFor(String sha256) {
        return blobDir.resolve(sha256);
    }

    private Path cachedFile(ModelRef ref, String name, String sha256) {
        synchronized (locks.computeIfAbsent(sha256, hash -> new Object())) {
            Path cached = pathFor(sha256);
            if (Files.exists(cached)) {
                verifyCached(ref, name, sha256, cached);
            } else {
                download(ref, name, sha256, cached);
            }
            return cached;
        }
    }

    /** Streams into a temp file while hashing, and moves it into place only if the hash matches. */
    private void download(ModelRef ref, String name, String expected, Path cached) {
        try {
            Files.createDirectories(blobDir);
            Path temp = Files.createTempFile(blobDir, expected, ".part");
            try {
                String actual;
                try (InputStream in = store.openFile(ref, name); OutputStream out = Files.newOutputStream(temp)) {
                    actual = Sha256.copyAndHash(in, out);
                }
                if (!actual.equals(expected)) {
                    throw ModelIntegrityException.hashMismatch(ref, name, "downloaded from the store", expected,
                            actual);
                }
                Files.move(temp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache file '" + name + "' of " + ref + " in " + blobDir, e);
        }
    }

    /** Re-hashes a cached copy, which may have been changed on disk since it was verified. */
    private void verifyCached(ModelRef ref, String name, String expected, Path cached) {
        String actual = Sha256.of(cached);
        if (!actual.equals(expected)) {
            try {
                Files.deleteIfExists(cached);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete corrupt cache file " + cached, e);
            }
            throw ModelIntegrityException.hashMismatch(ref, name, "cached copy " + cached, expected, actual);
        }
    }
}
