package dev.thinkdiff.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldRendererTest {

    private final WorldRenderer renderer = new WorldRenderer();

    @Test
    void sameSeedGivesIdenticalPixelsAcrossRenderers() {
        for (Theme theme : Theme.values()) {
            Cell cell = new Cell(theme, 3, 7);
            int[] first = renderer.renderPixels(cell, 42).clone();
            renderer.renderPixels(new Cell(theme, 0, 0), 5);
            assertArrayEquals(first, renderer.renderPixels(cell, 42), theme + " re-render");
            assertArrayEquals(first, new WorldRenderer().renderPixels(cell, 42), theme + " fresh renderer");
        }
    }

    @Test
    void aRenderDoesNotDependOnWhatWasRenderedBefore() {
        Cell cell = new Cell(Theme.BACKGROUND, 1, 2);
        int[] fresh = new WorldRenderer().renderPixels(cell, 11).clone();
        for (Theme theme : Theme.values()) {
            renderer.renderPixels(new Cell(theme, 9, 9), 3);
            assertArrayEquals(fresh, renderer.renderPixels(cell, 11), "after a " + theme + " render");
        }
    }

    @Test
    void differentSeedsGiveDifferentPixels() {
        for (Theme theme : Theme.values()) {
            Cell cell = new Cell(theme, 5, 2);
            int[] a = renderer.renderPixels(cell, 1).clone();
            int[] b = renderer.renderPixels(cell, 2).clone();
            assertFalse(Arrays.equals(a, b), theme + ": seeds 1 and 2 rendered the same image");
        }
    }

    @Test
    void everyCellIsAPictureAndDiffersFromItsThemeNeighbours() {
        for (Theme theme : Theme.values()) {
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                int[][] images = new int[ItemList.SIZE][];
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    images[attribute] = renderer.renderPixels(new Cell(theme, subject, attribute), 7).clone();
                    assertTrue(Arrays.stream(images[attribute]).distinct().count() > 6,
                            "cell " + new Cell(theme, subject, attribute) + " is nearly uniform");
                }
                for (int a = 0; a < ItemList.SIZE; a++) {
                    for (int b = a + 1; b < ItemList.SIZE; b++) {
                        assertTrue(meanAbsoluteDifference(images[a], images[b]) > 4,
                                theme + " subject " + subject + ": attributes " + a + " and " + b + " look alike");
                    }
                }
            }
        }
    }

    @Test
    void seedRangesAreDisjointAndCoverTheirPurpose() {
        assertEquals(SeedRange.JUDGE_TRAINING, SeedRange.of(SeedRange.JUDGE_TRAINING.seed(0)));
        assertEquals(SeedRange.MODEL_TRAINING, SeedRange.of(SeedRange.MODEL_TRAINING.seed(5)));
        assertEquals(SeedRange.BENCHMARK, SeedRange.of(SeedRange.BENCHMARK.seed(SeedRange.BENCHMARK.size() - 1)));
        for (SeedRange a : SeedRange.values()) {
            for (SeedRange b : SeedRange.values()) {
                assertEquals(a == b, b.contains(a.first()));
            }
        }
    }

    @Test
    void aDevelopmentSetHasTheBenchmarksLayoutButNoneOfItsImages() {
        Map<Cell, int[]> benchmark = BenchmarkImages.render();
        Map<Cell, int[]> development = BenchmarkImages.render(SeedRange.MODEL_TRAINING);
        assertEquals(benchmark.keySet(), development.keySet());
        assertEquals(500, development.size());
        assertEquals(0, development.keySet().stream()
                .filter(cell -> Arrays.equals(benchmark.get(cell), development.get(cell))).count());
        Cell cell = BenchmarkImages.allCells().get(7);
        assertArrayEquals(BenchmarkImages.render(cell), benchmark.get(cell));
    }

    @Test
    void exportWritesTheBenchmarkLayout(@TempDir Path root) throws Exception {
        List<Path> files = DatasetExporter.export(root, List.of(SeedRange.BENCHMARK.seed(0)));
        assertEquals(500, files.size());
        Path greenCar = root.resolve("color_car/green_car.png");
        assertTrue(Files.exists(greenCar));
        assertTrue(Files.exists(root.resolve("style_apple/3d_apple.png")));
        assertTrue(Files.exists(root.resolve("background_zebra/park_zebra.png")));
        int[] expected = Arrays.stream(renderer.renderPixels(new Cell(Theme.COLOR, 4, 6), SeedRange.BENCHMARK.seed(0)))
                .map(rgb -> rgb & 0xFFFFFF).toArray();
        int[] read = Arrays.stream(ImageIO.read(greenCar.toFile()).getRGB(0, 0, 64, 64, null, 0, 64))
                .map(argb -> argb & 0xFFFFFF).toArray();
        assertArrayEquals(expected, read, "exported PNG is lossless");
    }

    private static double meanAbsoluteDifference(int[] a, int[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs(((a[i] >> shift) & 255) - ((b[i] >> shift) & 255));
            }
        }
        return sum / (3.0 * a.length);
    }
}
