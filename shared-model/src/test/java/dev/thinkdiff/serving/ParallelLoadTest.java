package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelLoadTest {

    /** A part that records whether it was closed. */
    static final class Part implements AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void thePartsLoadAtTheSameTime() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        try (ParallelLoad parts = new ParallelLoad("test")) {
            CompletableFuture<Part> a = parts.start("a", () -> awaitBoth(bothStarted));
            CompletableFuture<Part> b = parts.start("b", () -> awaitBoth(bothStarted));
            // each part waits for the other to have started: in turn, this would never finish
            assertFalse(ParallelLoad.join(a).closed.get());
            assertFalse(ParallelLoad.join(b).closed.get());
            parts.succeeded();
        }
    }

    @Test
    void aFailedPartFailsTheLoadAsThrownAndTheLoadedPartsAreClosed() {
        Part loaded = new Part();
        CountDownLatch slowMayFinish = new CountDownLatch(1);
        Part slow = new Part();
        IllegalStateException bad = new IllegalStateException("sha256 mismatch");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (ParallelLoad parts = new ParallelLoad("test")) {
                CompletableFuture<Part> good = parts.start("good", () -> loaded);
                parts.start("slow", () -> {
                    await(slowMayFinish);
                    return slow;
                });
                CompletableFuture<Part> failing = parts.start("bad", () -> {
                    throw bad;
                });
                ParallelLoad.join(good);
                slowMayFinish.countDown();
                ParallelLoad.join(failing);
                parts.succeeded();
            }
        });
        assertSame(bad, thrown);
        assertTrue(loaded.closed.get(), "a part loaded before the failure is closed");
        assertTrue(slow.closed.get(), "a part still loading at the failure is closed once loaded");
    }

    @Test
    void succeededKeepsTheParts() {
        Part part = new Part();
        try (ParallelLoad parts = new ParallelLoad("test")) {
            assertSame(part, ParallelLoad.join(parts.start("part", () -> part)));
            parts.succeeded();
        }
        assertFalse(part.closed.get());
        assertEquals("test-part-loader", threadName());
    }

    private static String threadName() {
        try (ParallelLoad parts = new ParallelLoad("test")) {
            String name = ParallelLoad.join(parts.start("part", () -> Thread.currentThread().getName()));
            parts.succeeded();
            return name;
        }
    }

    private static Part awaitBoth(CountDownLatch bothStarted) {
        bothStarted.countDown();
        await(bothStarted);
        return new Part();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
