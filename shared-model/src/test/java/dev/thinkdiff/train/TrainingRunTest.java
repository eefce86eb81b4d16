package dev.thinkdiff.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @Test
    void halfWrittenCheckpointsAreIgnoredAndRemoved(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Files.createDirectories(checkpoints.resolve(".tmp-step-30"));
        Files.createDirectories(checkpoints.resolve("step-40")); // no state.json: not complete
        try (TrainingRun run = TrainingRun.open(dir)) {
            assertTrue(run.latestCheckpoint().isEmpty());
            assertFalse(Files.exists(checkpoints.resolve(".tmp-step-30")));
        }
    }

    @Test
    void writesMetricsAndLossesThatRoundTrip(@TempDir Path dir) throws Exception {
        List<Double> falling = List.of(4.0, 3.0, 2.5, 1.0, 0.5);
        try (TrainingRun run = TrainingRun.open(dir)) {
            run.writeMetrics(Map.of("b", 2.0, "a", 1.0));
            run.writeLosses(falling, "test: falling");
        }
        assertEquals("{\n  \"a\" : 1.0,\n  \"b\" : 2.0\n}", Files.readString(dir.resolve("metrics.json")));
        assertEquals(falling, TrainingRun.readLosses(dir.resolve(TrainingRun.LOSSES_FILE)));
        assertEquals("test: falling\n", Files.readString(dir.resolve(TrainingRun.LOSS_TITLE_FILE)));
    }

    @Test
    void progressPrintsPlainLinesEveryTenthWithoutATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("t", 100, 0, false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int step = 1; step <= 100; step++) {
            bar.update(step, 1.0);
        }
        bar.finish();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(10, lines.size());
        assertTrue(lines.get(9).startsWith("t 100/100 (100%) loss 1.0000"), lines.get(9));
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }
}
