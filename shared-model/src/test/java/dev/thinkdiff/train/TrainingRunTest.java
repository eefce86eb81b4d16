package dev.thinkdiff.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
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
    void writesMetricsAndALossCurve(@TempDir Path dir) throws Exception {
        try (TrainingRun run = TrainingRun.open(dir)) {
            run.writeMetrics(Map.of("b", 2.0, "a", 1.0));
            run.writeLossCurve(List.of(4.0, 3.0, 2.5, 1.0, 0.5), "test");
        }
        assertEquals("{\n  \"a\" : 1.0,\n  \"b\" : 2.0\n}", Files.readString(dir.resolve("metrics.json")));
        assertTrue(Files.size(dir.resolve("loss-curve.png")) > 1000);
    }

    @Test
    void lossesRoundTripAndSeveralRunsShareOnePlotWithTheirOwnColours(@TempDir Path dir) throws Exception {
        List<Double> falling = List.of(4.0, 3.0, 2.5, 1.0, 0.5);
        try (TrainingRun run = TrainingRun.open(dir)) {
            run.writeLossCurve(falling, "falling");
            assertEquals(falling, TrainingRun.readLosses(dir.resolve(TrainingRun.LOSSES_FILE)));
        }
        Path png = dir.resolve("compare.png");
        TrainingRun.writeLossComparison(new LinkedHashMap<>(Map.of("falling", falling)), "one", png);
        Set<Integer> oneRun = colours(png);
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        runs.put("falling", falling);
        runs.put("flat", List.of(2.0, 2.0, 2.0, 2.0, 2.0));
        TrainingRun.writeLossComparison(runs, "two", png);
        Set<Integer> twoRuns = colours(png);
        int first = new Color(200, 40, 30).getRGB();
        int second = new Color(30, 110, 200).getRGB();
        assertTrue(oneRun.contains(first) && !oneRun.contains(second), "one run, one colour");
        assertTrue(twoRuns.contains(first) && twoRuns.contains(second), "the second run adds its colour");
    }

    private static Set<Integer> colours(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours;
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
