package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.store.RunArchive;
import dev.thinkdiff.store.S3BlobStore;
import dev.thinkdiff.store.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job as a cloud product: the packaged job in its own JVM against a real S3 server. A run keeps every
 * checkpoint in the store; a run killed like a preempted node resumes from the store on a fresh machine and ends
 * bit-identical to an unbroken one; a store outage mid-run is ridden out, and no half-published version is ever seen.
 */
class CloudTrainingTest {

    private static final String FAMILY = "pocket";
    private static final String JUDGE = "judge";
    /** Long enough (several seconds) to be killed, or to meet an outage, between two checkpoints. */
    private static final int STEPS = 120;
    private static final int INTERVAL = 10;
    private static final long OUTAGE_MILLIS = 4000;
    private static final long POLL_MILLIS = 20;

    @TempDir
    static Path dir;

    private static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3Server(dir.resolve("s3"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void aRunKeepsEveryCheckpointAndItsResultsInTheStore() throws Exception {
        TrainingJobProcess job = train("a", "a", List.of(), 30, "--run-id", "tiny");
        assertEquals(0, job.waitFor(), job.log());
        try (S3BlobStore blobs = s3.client("a")) {
            ModelStore store = new ModelStore(blobs);
            String run = FAMILY + "/" + JUDGE + "/runs/tiny/";
            List<String> keys = blobs.list(run);
            for (int step = INTERVAL; step <= 30; step += INTERVAL) {
                for (String file : List.of("parameters.params", "optimizer.ndlist", "state.json", "COMPLETE")) {
                    assertTrue(keys.contains(run + "checkpoints/step-" + step + "/" + file), keys.toString());
                }
            }
            for (String file : List.of("metrics.json", "loss-curve.png", "manifest.json", "summary.json")) {
                assertTrue(keys.contains(run + file), keys.toString());
            }
            // the job's thread settings reached PyTorch (its default here is one per core)
            String summary = new String(store.run(FAMILY, JUDGE, "tiny").get("summary.json").orElseThrow());
            assertTrue(summary.contains("\"intra_op_threads\" : 1,") && summary.contains("\"inter_op_threads\" : 1,"),
                    summary);
            String version = store.latest(FAMILY, JUDGE).orElseThrow();
            assertTrue(job.stdout().contains("published " + FAMILY + "/" + JUDGE + "/" + version), job.log());
            Manifest manifest = store.manifest(new ModelRef(FAMILY, JUDGE, version));
            assertEquals(30, manifest.steps());
            Path last = Files.createDirectories(dir.resolve("a-last-checkpoint"));
            store.run(FAMILY, JUDGE, "tiny").download(30, last);
            assertEquals(manifest.files().get("judge.params"),
                    Sha256.of(Files.readAllBytes(last.resolve("parameters.params"))));
        }
    }

    @Test
    void aKilledRunResumesFromTheStoreOnAFreshMachineAndEndsLikeAnUnbrokenOne() throws Exception {
        TrainingJobProcess unbroken = train("b", "b-unbroken", List.of(), STEPS, "--run-id", "unbroken");
        assertEquals(0, unbroken.waitFor(), unbroken.log());
        try (S3BlobStore blobs = s3.client("b")) {
            ModelStore store = new ModelStore(blobs);
            String unbrokenVersion = store.latest(FAMILY, JUDGE).orElseThrow();
            RunArchive archive = store.run(FAMILY, JUDGE, "broken");

            TrainingJobProcess preempted = train("b", "b-node-1", List.of(), STEPS, "--run-id", "broken");
            awaitStoredCheckpoint(archive, preempted);
            preempted.kill();
            int stored = archive.latestStep().orElseThrow();
            assertTrue(stored < STEPS, "the run ended before it was killed: " + preempted.log());
            assertEquals(List.of(unbrokenVersion), store.versions(FAMILY, JUDGE));
            assertEquals(Optional.of(unbrokenVersion), store.latest(FAMILY, JUDGE));

            // Another machine: an empty run directory, the same run id.
            TrainingJobProcess resumed = train("b", "b-node-2", List.of(), STEPS, "--run-id", "broken", "--resume");
            List<String> latestBeforeTheRunsResults = new ArrayList<>();
            while (resumed.isAlive()) {
                Optional<String> latest = store.latest(FAMILY, JUDGE);
                if (archive.get("summary.json").isEmpty()) {
                    latestBeforeTheRunsResults.add(latest.orElse("none"));
                }
                Thread.sleep(POLL_MILLIS);
            }
            assertEquals(0, resumed.waitFor(), resumed.log());
            assertTrue(resumed.stderr().contains("fetched checkpoint step-" + stored), resumed.log());
            assertTrue(latestBeforeTheRunsResults.stream().allMatch(unbrokenVersion::equals),
                    latestBeforeTheRunsResults.toString());

            String resumedVersion = store.latest(FAMILY, JUDGE).orElseThrow();
            assertNotEquals(unbrokenVersion, resumedVersion);
            Manifest expected = store.manifest(new ModelRef(FAMILY, JUDGE, unbrokenVersion));
            Manifest actual = store.manifest(new ModelRef(FAMILY, JUDGE, resumedVersion));
            assertEquals(expected.files(), actual.files(), "the weights differ");
            assertEquals(withoutTime(expected.metrics()), withoutTime(actual.metrics()));
            assertEquals(expected.config(), actual.config());
        }
    }

    @Test
    void aStoreOutageMidRunIsRiddenOutAndNoHalfPublishedVersionIsEverSeen() throws Exception {
        List<String> patientRetries = List.of("-Dthinkdiff.store.s3.retry.attempts=40",
                "-Dthinkdiff.store.s3.retry.initial-backoff-ms=100", "-Dthinkdiff.store.s3.retry.max-backoff-ms=1000");
        TrainingJobProcess job = train("c", "c", patientRetries, STEPS, "--run-id", "outage");
        try (S3BlobStore blobs = s3.client("c")) {
            ModelStore store = new ModelStore(blobs);
            RunArchive archive = store.run(FAMILY, JUDGE, "outage");
            awaitStoredCheckpoint(archive, job);
            s3.stop();
            Thread.sleep(OUTAGE_MILLIS);
            assertTrue(job.isAlive(), "the job gave up during the outage: " + job.log());
            s3.start();

            List<String> halfPublished = new ArrayList<>();
            while (job.isAlive()) {
                for (String version : store.versions(FAMILY, JUDGE)) {
                    Manifest manifest = store.manifest(new ModelRef(FAMILY, JUDGE, version));
                    manifest.files().keySet().stream()
                            .filter(file -> !blobs.exists(FAMILY + "/" + JUDGE + "/" + version + "/" + file))
                            .forEach(file -> halfPublished.add(version + "/" + file));
                }
                Thread.sleep(POLL_MILLIS);
            }
            assertEquals(0, job.waitFor(), job.log());
            assertTrue(job.stderr().contains("retrying"), "no request met the outage: " + job.log());
            assertEquals(List.of(), halfPublished);

            String version = store.latest(FAMILY, JUDGE).orElseThrow();
            assertEquals(List.of(version), store.versions(FAMILY, JUDGE));
            assertEquals(STEPS, store.manifest(new ModelRef(FAMILY, JUDGE, version)).steps());
            new ModelCache(store, dir.resolve("c-cache")).fetch(new ModelRef(FAMILY, JUDGE, version));
            // the newest three checkpoints are kept, whole; the older ones are gone
            List<String> kept = new ArrayList<>();
            for (int step = STEPS - 2 * INTERVAL; step <= STEPS; step += INTERVAL) {
                archive.download(step, Files.createDirectories(dir.resolve("c-checkpoints/step-" + step)));
                kept.add("step-" + step);
            }
            String checkpoints = FAMILY + "/" + JUDGE + "/runs/outage/checkpoints/";
            assertEquals(kept, blobs.list(checkpoints).stream()
                    .map(key -> key.substring(checkpoints.length(), key.indexOf('/', checkpoints.length())))
                    .distinct().toList());
        }
    }

    /** {@code train judge} on a tiny config, in its own JVM, against the S3 server under key prefix {@code prefix}. */
    private static TrainingJobProcess train(String prefix, String name, List<String> jvmOptions, int steps,
            String... args) throws Exception {
        List<String> jvm = new ArrayList<>(s3.storeProperties(prefix));
        jvm.add("-Dthinkdiff.store.cache-dir=" + dir.resolve("cache"));
        jvm.addAll(jvmOptions);
        List<String> command = new ArrayList<>(List.of("train", JUDGE, "--run", dir.resolve(name).toString(),
                "--set", "channels=8,16", "--set", "batch_size=16", "--set", "steps=" + steps,
                "--set", "warmup_steps=2", "--set", "checkpoint_interval=" + INTERVAL, "--set", "eval_images=40"));
        command.addAll(List.of(args));
        return TrainingJobProcess.start(dir.resolve("logs"), name, jvm, command);
    }

    private static void awaitStoredCheckpoint(RunArchive archive, TrainingJobProcess job) throws Exception {
        while (archive.latestStep().isEmpty()) {
            assertTrue(job.isAlive(), "the job ended without a stored checkpoint: " + job.log());
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static Map<String, Double> withoutTime(Map<String, Double> metrics) {
        Map<String, Double> copy = new TreeMap<>(metrics);
        copy.remove("train_seconds");
        return copy;
    }
}
