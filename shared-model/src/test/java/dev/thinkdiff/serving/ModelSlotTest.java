package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
