package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestGateTest {

    @Test
    void runsAtMostWorkersAtOnceQueuesTheNextAndRefusesBeyondWithRetryAfter() throws Exception {
        RequestGate gate = new RequestGate(2, 1, 3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                admitted.add(pool.submit(() -> gate.run(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    await(release);
                    running.decrementAndGet();
                    return id;
                })));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((running.get() < 2 || gate.queueDepth() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, gate.queueDepth(), "the third waits");

            RequestException refused = assertThrows(RequestException.class, () -> gate.run(() -> 0));
            assertEquals(503, refused.status());
            assertEquals("3", refused.headers().get("Retry-After"));

            release.countDown();
            for (int i = 0; i < 3; i++) {
                assertEquals(i, admitted.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, mostAtOnce.get());
            assertEquals(0, gate.queueDepth());
            assertEquals(7, gate.run(() -> 7), "capacity is back once the work is done");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
