package dev.thinkdiff.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Repeats a failed request with exponential backoff while the failure is transient (the server is down, restarting or
 * throttling), up to a bounded number of tries. Each request is one whole put or get, so a retried put still replaces
 * the value at once; a caller that writes several keys in order (files, then manifest, then LATEST) keeps that order,
 * and if the tries run out it stops with the later keys unwritten: nothing half-published becomes visible.
 */
public final class RetryingBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(RetryingBlobStore.class);

    private final BlobStore delegate;
    private final StoreConfig.Retry policy;
    private final Predicate<RuntimeException> isTransient;

    /**
     * @param isTransient which failures are worth another try (the backend knows: e.g. S3's 5xx, not its 403)
     */
    public RetryingBlobStore(BlobStore delegate, StoreConfig.Retry policy, Predicate<RuntimeException> isTransient) {
        if (policy.attempts() < 1) {
            throw new IllegalArgumentException("thinkdiff.store.s3.retry.attempts must be at least 1, got "
                    + policy.attempts());
        }
        this.delegate = delegate;
        this.policy = policy;
        this.isTransient = isTransient;
    }

    @Override
    public void put(String key, Path file) {
        retry("put " + key, () -> delegate.put(key, file));
    }

    @Override
    public void put(String key, byte[] bytes) {
        retry("put " + key, () -> delegate.put(key, bytes));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        return retry("get " + key, () -> delegate.getBytes(key));
    }

    @Override
    public InputStream open(String key) {
        return retry("open " + key, () -> delegate.open(key));
    }

    /** Retries the whole copy: a stream broken half-way is reopened from the start. */
    @Override
    public void download(String key, Path target) {
        retry("download " + key, () -> delegate.download(key, target));
    }

    @Override
    public boolean exists(String key) {
        return retry("head " + key, () -> delegate.exists(key));
    }

    @Override
    public void delete(String key) {
        retry("delete " + key, () -> delegate.delete(key));
    }

    @Override
    public List<String> list(String prefix) {
        return retry("list " + prefix, () -> delegate.list(prefix));
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void retry(String request, Runnable call) {
        retry(request, () -> {
            call.run();
            return null;
        });
    }

    private <T> T retry(String request, Supplier<T> call) {
        long backoff = policy.initialBackoffMs();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt >= policy.attempts() || !isTransient.test(e)) {
                    throw e;
                }
                LOG.warnf("%s: %s failed (try %d of %d: %s), retrying in %d ms", delegate, request,
                        attempt, policy.attempts(), e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(2 * backoff, policy.maxBackoffMs());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a store request", e);
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
