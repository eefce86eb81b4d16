package dev.thinkdiff.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Passes everything through to a real store, but fails writes of keys ending in a suffix, like a crash would. */
final class FailingBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final String failingKeySuffix;

    FailingBlobStore(BlobStore delegate, String failingKeySuffix) {
        this.delegate = delegate;
        this.failingKeySuffix = failingKeySuffix;
    }

    @Override
    public void put(String key, Path file) {
        failIfTargeted(key);
        delegate.put(key, file);
    }

    @Override
    public void put(String key, byte[] bytes) {
        failIfTargeted(key);
        delegate.put(key, bytes);
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return delegate.getBytes(key);
    }

    @Override
    public InputStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    private void failIfTargeted(String key) {
        if (key.endsWith(failingKeySuffix)) {
            throw new IllegalStateException("simulated crash before writing " + key);
        }
    }
}
