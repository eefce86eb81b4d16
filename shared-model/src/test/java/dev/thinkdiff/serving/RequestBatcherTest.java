package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RequestBatcherTest {

    record Pool(int workers, int queue, int retryAfterSeconds) implements ServingConfig.Pool {
    }

    record Batch(int maxSize, long maxDelayMillis) implements ServingConfig.Batch {
    }

    /** Records each batch's inputs; answers each input with itself × 10. */
    static final class Work implements Function<List<Integer>, RequestBatcher.BatchWork<Integer>> {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch release;

        Work(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public RequestBatcher.BatchWork<Integer> apply(List<Integer> inputs) {
            batches.add(inputs);
            await(release);
            StageTimings stages = new StageTimings((stage, nanos) -> { });
            return new RequestBatcher.BatchWork<>(stages.time("work", () -> inputs.stream().map(i -> i * 10)
                    .toList()), stages);
        }
    }

    static final RequestBatcher.Observer QUIET = new RequestBatcher.Observer() {
        @Override
        public void batch(int size, int weight, long runNanos) {
        }

        @Override
        public void waited(long queueNanos) {
        }
    };

    @Test
    void requestsArrivingWithinTheDelayWithEqualKeysRunAsOneBatchUpToItsSize() throws Exception {
        Work work = new Work(new CountDownLatch(0));
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 64, 2),
                new Batch(4, 300), work, QUIET)) {
            ExecutorService clients = Executors.newFixedThreadPool(10);
            try {
                List<Future<RequestBatcher.Result<Integer>>> answers = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int input = i;
                    // keys: even and odd inputs have different settings and never share a batch
                    answers.add(clients.submit(() -> batcher.run(input % 2, input, 1)));
                }
                for (int i = 0; i < 10; i++) {
                    RequestBatcher.Result<Integer> result = answers.get(i).get(10, TimeUnit.SECONDS);
                    assertEquals(i * 10, result.value(), "each request gets its own answer");
                    assertEquals(1.0 / result.batchSize(), result.share(), 1e-12);
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(10, work.batches.stream().mapToInt(List::size).sum());
            for (List<Integer> batch : work.batches) {
                assertTrue(batch.size() <= 4, "at most max-size: " + batch);
                assertEquals(1, batch.stream().map(i -> i % 2).distinct().count(), "one key per batch: " + batch);
            }
            assertTrue(work.batches.size() <= 6, "10 requests within 300 ms in batches of ≤ 4 per key: "
                    + work.batches);
        }
    }

    @Test
    void aBatchIsFilledByWeightAndAHeavierRequestRunsAlone() throws Exception {
        Work work = new Work(new CountDownLatch(0));
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 64, 2),
                new Batch(8, 300), work, QUIET)) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            try {
                List<Future<RequestBatcher.Result<Integer>>> answers = new ArrayList<>();
                for (int weight : new int[] {5, 5, 20}) {
                    answers.add(clients.submit(() -> batcher.run("k", weight, weight)));
                }
                for (Future<RequestBatcher.Result<Integer>> answer : answers) {
                    assertEquals(1, answer.get(10, TimeUnit.SECONDS).batchSize(), "5 + 5 > 8; 20 > 8");
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @Test
    void withMaxSizeOneEveryRequestRunsAloneAndTheDelayIsNotWaited() {
        Work work = new Work(new CountDownLatch(0));
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 8, 2),
                new Batch(1, 10_000), work, QUIET)) {
            long start = System.nanoTime();
            assertEquals(70, batcher.run("k", 7, 1).value());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "a full batch does not wait");
        }
    }

    @Test
    void aLoneRequestRunsAtOnceAndOneCloseBehindAnotherWaitsForCompany() throws Exception {
        Work work = new Work(new CountDownLatch(0));
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 8, 2),
                new Batch(4, 2_000), work, QUIET)) {
            // one client: each request the first within the delay, none waits for a batch that will not come
            for (int i = 0; i < 2; i++) {
                RequestBatcher.Result<Integer> alone = batcher.run("k", i, 1);
                assertTrue(alone.queueNanos() < TimeUnit.MILLISECONDS.toNanos(1_000), "waited "
                        + alone.queueNanos() / 1e6 + " ms");
                Thread.sleep(2_100);
            }
            // a second request right behind the first: it waits (up to the delay) and they run together
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                Future<RequestBatcher.Result<Integer>> first = clients.submit(() -> batcher.run("k", 7, 1));
                Thread.sleep(20);
                RequestBatcher.Result<Integer> second = batcher.run("k", 8, 1);
                assertEquals(70, first.get(10, TimeUnit.SECONDS).value());
                // alone behind the first's batch or with it, it waited the delay for others to join
                assertTrue(second.queueNanos() > TimeUnit.MILLISECONDS.toNanos(1_000), "waited "
                        + second.queueNanos() / 1e6 + " ms");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @Test
    void afterABatchOfSeveralTheNextRequestWaitsForItsCompanyAfterABatchOfOneNot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Work work = new Work(release);
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 8, 2),
                new Batch(4, 2_000), work, QUIET)) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            try {
                // the first runs alone and holds the worker; the two behind it become one batch
                Future<RequestBatcher.Result<Integer>> first = clients.submit(() -> batcher.run("k", 1, 1));
                while (work.batches.isEmpty()) {
                    Thread.sleep(5);
                }
                Future<RequestBatcher.Result<Integer>> a = clients.submit(() -> batcher.run("k", 2, 1));
                Future<RequestBatcher.Result<Integer>> b = clients.submit(() -> batcher.run("k", 3, 1));
                while (batcher.queueDepth() < 2) {
                    Thread.sleep(5);
                }
                release.countDown();
                first.get(10, TimeUnit.SECONDS);
                assertEquals(2, a.get(10, TimeUnit.SECONDS).batchSize());
                assertEquals(2, b.get(10, TimeUnit.SECONDS).batchSize());
            } finally {
                clients.shutdownNow();
            }
            Thread.sleep(2_100);
            RequestBatcher.Result<Integer> back = batcher.run("k", 4, 1);
            assertTrue(back.queueNanos() > TimeUnit.MILLISECONDS.toNanos(1_000), "after a batch of two: waited "
                    + back.queueNanos() / 1e6 + " ms");
            Thread.sleep(2_100);
            RequestBatcher.Result<Integer> alone = batcher.run("k", 5, 1);
            assertTrue(alone.queueNanos() < TimeUnit.MILLISECONDS.toNanos(1_000), "after a batch of one: waited "
                    + alone.queueNanos() / 1e6 + " ms");
        }
    }

    @Test
    void runsAtMostWorkersBatchesAtOnceQueuesTheNextAndRefusesBeyondWithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Work work = new Work(release);
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(2, 1, 3),
                new Batch(1, 0), work, QUIET)) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            try {
                List<Future<RequestBatcher.Result<Integer>>> admitted = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int input = i;
                    admitted.add(clients.submit(() -> batcher.run("k", input, 1)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((work.batches.size() < 2 || batcher.queueDepth() < 1) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(2, work.batches.size(), "two workers run");
                assertEquals(1, batcher.queueDepth(), "the third waits");

                RequestException refused = assertThrows(RequestException.class, () -> batcher.run("k", 9, 1));
                assertEquals(503, refused.status());
                assertEquals("3", refused.headers().get("Retry-After"));

                release.countDown();
                for (int i = 0; i < 3; i++) {
                    assertEquals(i * 10, admitted.get(i).get(10, TimeUnit.SECONDS).value());
                }
                assertEquals(0, batcher.queueDepth());
                assertEquals(70, batcher.run("k", 7, 1).value(), "capacity is back once the work is done");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    @Test
    void whatABatchThrowsReachesEveryRequestOfIt() {
        try (RequestBatcher<Integer, Integer> batcher = new RequestBatcher<>("t", new Pool(1, 8, 2),
                new Batch(4, 0), inputs -> {
                    throw RequestException.badInput("x", "no");
                }, QUIET)) {
            RequestException e = assertThrows(RequestException.class, () -> batcher.run("k", 1, 1));
            assertEquals("x", e.field());
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
