package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.train.TrainingRun;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurveChartTest {

    private static final List<Double> FALLING = List.of(4.0, 3.0, 2.5, 1.0, 0.5);

    @Test
    void aRunsLossesBecomeItsChart(@TempDir Path dir) throws Exception {
        assertFalse(LossCurveChart.writeFor(dir), "no losses written: no chart");
        try (TrainingRun run = TrainingRun.open(dir)) {
            run.writeLosses(FALLING, "test: falling");
        }
        assertTrue(LossCurveChart.writeFor(dir));
        BufferedImage chart = ImageIO.read(dir.resolve(LossCurveChart.FILE).toFile());
        assertEquals(800, chart.getWidth());
        assertTrue(colours(chart).contains(LossCurveChart.SERIES.get(0).getRGB()), "the smoothed curve");
    }

    @Test
    void severalRunsShareOneChartWithTheirOwnColours(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("compare.png");
        LossCurveChart.compare(new LinkedHashMap<>(Map.of("falling", FALLING)), "one", png);
        Set<Integer> oneRun = colours(ImageIO.read(png.toFile()));
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        runs.put("falling", FALLING);
        runs.put("flat", List.of(2.0, 2.0, 2.0, 2.0, 2.0));
        LossCurveChart.compare(runs, "two", png);
        Set<Integer> twoRuns = colours(ImageIO.read(png.toFile()));
        int first = LossCurveChart.SERIES.get(0).getRGB();
        int second = LossCurveChart.SERIES.get(1).getRGB();
        assertTrue(oneRun.contains(first) && !oneRun.contains(second), "one run, one colour");
        assertTrue(twoRuns.contains(first) && twoRuns.contains(second), "the second run adds its colour");
    }

    /** Bias-corrected: the first smoothed value is the first loss, not a fraction of it. */
    @Test
    void smoothingDoesNotLagAtTheStart() {
        List<Double> smoothed = LossCurveChart.smoothed(FALLING);
        assertEquals(4.0, smoothed.get(0), 1e-12);
        assertTrue(smoothed.get(4) < 4.0 && smoothed.get(4) > 0.5);
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours;
    }
}
