package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ModelSlotTest {

    @Test
    void awaitWaitsForTheLoadAndTimesOutWithA503WhileItGoesOn() throws Exception {
        CountDownLatch mayFinish = new CountDownLatch(1);
        AutoCloseable models = () -> { };
        ModelSlot<AutoCloseable> slot = new ModelSlot<>("test");
        slot.loadInBackground(() -> {
            try {
                mayFinish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return models;
        });
        RequestException loading = assertThrows(RequestException.class, () -> slot.await(Duration.ofMillis(50), 3));
        assertEquals(503, loading.status());
        assertTrue(loading.getMessage().contains("still loading"), loading.getMessage());

        Thread release = new Thread(() -> {
            sleep(100);
            mayFinish.countDown();
        });
        release.start();
        assertSame(models, slot.await(Duration.ofSeconds(10), 3), "waits for the load in progress");
        release.join();
    }

    @Test
    void aFailedLoadIsA503WithItsReasonAtOnce() {
        ModelSlot<AutoCloseable> slot = new ModelSlot<>("test");
        slot.load(() -> {
            throw new IllegalStateException("sha256 mismatch");
        });
        assertEquals(ModelSlot.State.FAILED, slot.state());
        RequestException failed = assertThrows(RequestException.class, () -> slot.await(Duration.ofMinutes(1), 3));
        assertEquals(503, failed.status());
        assertTrue(failed.getMessage().contains("sha256 mismatch"), failed.getMessage());
    }

    @Test
    void closeWaitsForTheLoadInProgressAndClosesWhatItLoaded() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        AtomicBoolean modelsClosed = new AtomicBoolean();
        ModelSlot<AutoCloseable> slot = new ModelSlot<>("test");
        slot.loadInBackground(() -> {
            loading.countDown();
            sleep(300);
            return () -> modelsClosed.set(true);
        });
        loading.await();
        long start = System.nanoTime();
        slot.close();
        assertTrue(System.nanoTime() - start > 200_000_000L, "close returned before the load ended");
        assertTrue(modelsClosed.get(), "the models loaded while closing are closed");
    }

    @Test
    void closeWaitsNoLongerThanItsDeadlineAndALateLoadClosesWhatItLoaded() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch modelsClosed = new CountDownLatch(1);
        ModelSlot<AutoCloseable> slot = new ModelSlot<>("test");
        slot.loadInBackground(() -> {
            loading.countDown();
            sleep(500);
            return modelsClosed::countDown;
        });
        loading.await();
        long start = System.nanoTime();
        slot.close(Instant.now().plusMillis(50));
        long waited = System.nanoTime() - start;
        assertTrue(waited < 400_000_000L, "close waited " + waited / 1_000_000 + " ms, past its deadline");
        assertTrue(modelsClosed.await(5, TimeUnit.SECONDS), "the load that ended after close closed its models");
    }

    @Test
    void aLoadAfterCloseDoesNotRunAndCloseDoesNotWaitForIt() throws Exception {
        ModelSlot<AutoCloseable> slot = new ModelSlot<>("test");
        long start = System.nanoTime();
        slot.close();
        assertTrue(System.nanoTime() - start < ModelSlot.CLOSE_WAIT.toNanos() / 2, "close waited for no load");
        AtomicBoolean ran = new AtomicBoolean();
        slot.load(() -> {
            ran.set(true);
            return () -> { };
        });
        assertFalse(ran.get(), "a closed slot loads nothing");
        assertEquals(ModelSlot.State.FAILED, slot.state());
        assertTrue(slot.reason().contains("closed"), slot.reason());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
