package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training job's path for every component, on a tiny judge: train → checkpoint → publish → fetch → evaluate. */
@QuarkusMainTest
class TrainPublishEvaluateTest {

    private static final String[] TINY = {"--set", "channels=8,16", "--set", "batch_size=16", "--set", "steps=8",
        "--set", "warmup_steps=2", "--set", "checkpoint_interval=4", "--set", "eval_images=40"};

    @Test
    void trainsPublishesAndEvaluatesATinyJudge(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path run = dir.resolve("judge");
        String runId = "test-" + UUID.randomUUID();
        LaunchResult trained = launcher.launch(concat(new String[] {"train", "judge", "--run", run.toString(),
            "--run-id", runId, "--no-publish"}, TINY));
        assertEquals(0, trained.exitCode(), trained.getErrorOutput());
        assertTrue(Files.exists(run.resolve("manifest.json")));
        assertTrue(Files.exists(run.resolve("loss-curve.png")));
        assertTrue(trained.getOutput().contains("\"steps\" : 8"), trained.getOutput());
        // the run's checkpoints and results are in the store too, where another machine can resume or read them
        Path stored = Path.of("target/test-store/pocket/judge/runs", runId);
        assertTrue(Files.exists(stored.resolve("checkpoints/step-4/COMPLETE")));
        assertTrue(Files.exists(stored.resolve("checkpoints/step-8/COMPLETE")));
        assertTrue(Files.exists(stored.resolve("summary.json")));

        LaunchResult published = launcher.launch("publish", "--run", run.toString());
        assertEquals(0, published.exitCode(), published.getErrorOutput());
        String version = published.getOutput().replaceAll("(?s).*pocket/judge/(v[0-9-]+).*", "$1").trim();
        assertTrue(Files.exists(Path.of("target/test-store/pocket/judge/LATEST")));
        assertEquals(version, Files.readString(Path.of("target/test-store/pocket/judge/LATEST")).trim());

        LaunchResult evaluated = launcher.launch("evaluate", "judge", "--size", "40");
        assertEquals(0, evaluated.exitCode(), evaluated.getErrorOutput());
        assertTrue(evaluated.getOutput().contains("evaluating pocket/judge/" + version), evaluated.getOutput());
    }

    @Test
    void refusesUnknownSettingsAndComponents(QuarkusMainLauncher launcher, @TempDir Path dir) {
        LaunchResult unknownKey = launcher.launch("train", "judge", "--run", dir.toString(), "--set", "stepz=3");
        assertNotEquals(0, unknownKey.exitCode());
        assertTrue(unknownKey.getErrorOutput().contains("judge config: unknown key 'stepz'"),
                unknownKey.getErrorOutput());
        LaunchResult badValue = launcher.launch("train", "judge", "--run", dir.toString(), "--set", "steps=1.5");
        assertNotEquals(0, badValue.exitCode());
        assertTrue(badValue.getErrorOutput().contains(
                "judge config 'steps' must be an integer, got 1.5 (from --set steps=1.5)"), badValue.getErrorOutput());
        LaunchResult unknownComponent = launcher.launch("train", "painter", "--run", dir.toString());
        assertNotEquals(0, unknownComponent.exitCode());
        assertFalse(unknownComponent.getErrorOutput().isBlank());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
