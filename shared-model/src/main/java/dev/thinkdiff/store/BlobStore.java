package dev.thinkdiff.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A flat key → bytes backend. Keys are relative, '/'-separated paths such as {@code family/component/v1/weights.bin}.
 * A {@code put} replaces the whole value at once: readers see the old bytes or the new ones, never a mix.
 * I/O failures surface as unchecked exceptions ({@link UncheckedIOException} or the backend's SDK exception).
 */
public interface BlobStore extends AutoCloseable {

    void put(String key, Path file);

    void put(String key, byte[] bytes);

    Optional<byte[]> getBytes(String key);

    /**
     * Streams the value under {@code key}; the caller closes the stream.
     *
     * @throws BlobNotFoundException if nothing is stored under {@code key}
     */
    InputStream open(String key);

    /**
     * Copies the value under {@code key} to {@code target}, replacing it.
     *
     * @throws BlobNotFoundException if nothing is stored under {@code key}
     */
    default void download(String key, Path target) {
        try (InputStream in = open(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download '" + key + "' to " + target, e);
        }
    }

    boolean exists(String key);

    /** Removes the value under {@code key}; nothing happens if there is none. */
    void delete(String key);

    /** All keys that start with {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** Releases connections; a no-op for backends that hold none. */
    @Override
    default void close() {
    }
}
