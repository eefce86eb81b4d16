package dev.thinkdiff.serving;

import dev.thinkdiff.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The parts of a function's models loaded side by side, one daemon thread each, instead of one after the other: the
 * load takes as long as its longest part (on a machine with the cores for it). All or nothing: {@link #join} rethrows
 * a part's failure as it was thrown, and closing without {@link #succeeded()} (a part failed, or the assembly did)
 * waits for every part and closes those that loaded, so a failed load leaks no native memory and the slot that ran it
 * stays failed, as when the parts loaded in turn.
 */
public final class ParallelLoad implements AutoCloseable {

    private final String name;
    private final List<CompletableFuture<?>> parts = new ArrayList<>();
    private boolean succeeded;

    /** @param name the threads' name prefix */
    public ParallelLoad(String name) {
        this.name = name;
    }

    /**
     * Starts loading a part that builds PyTorch models, on a thread readied for it
     * ({@link DjlRuntime#prepareInferenceThread}: the first such thread loads the engine, the others wait for it).
     */
    public <T> CompletableFuture<T> pytorch(String part, Supplier<T> loader) {
        return start(part, () -> {
            DjlRuntime.prepareInferenceThread();
            return loader.get();
        });
    }

    /** Starts loading a part that needs no PyTorch engine (it may load while the engine does). */
    public <T> CompletableFuture<T> start(String part, Supplier<T> loader) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(loader.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        }, name + "-" + part + "-loader");
        thread.setDaemon(true);
        parts.add(future);
        thread.start();
        return future;
    }

    /** The part, once loaded; its failure rethrown unwrapped. */
    public static <T> T join(CompletableFuture<T> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The parts were assembled into what is served: closing keeps them. */
    public void succeeded() {
        succeeded = true;
    }

    /** Without {@link #succeeded()}: waits for every part and closes each that loaded (first started, last closed). */
    @Override
    public void close() {
        if (succeeded) {
            return;
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            Object value;
            try {
                value = parts.get(i).join();
            } catch (CompletionException e) {
                continue;
            }
            if (value instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // the load already failed; that failure is the one reported
                }
            }
        }
    }
}
