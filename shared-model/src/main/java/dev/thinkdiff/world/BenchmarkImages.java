package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The benchmark's images: like CoBSAT's 500 photographs, ONE render per cell (seed {@code BENCHMARK.seed(0)}), used
 * as the demo images of every episode.
 */
public final class BenchmarkImages {

    private BenchmarkImages() {
    }

    /** Every cell of the world, theme by theme, subject-major. */
    public static List<Cell> allCells() {
        List<Cell> cells = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    cells.add(new Cell(theme, subject, attribute));
                }
            }
        }
        return cells;
    }

    /** The one image of a cell, packed 0xRRGGBB. */
    public static int[] render(Cell cell) {
        return new WorldRenderer().renderPixels(cell, SeedRange.BENCHMARK.seed(0)).clone();
    }

    /**
     * Writes an episode's images as the benchmark shows them, {@code demo-1.png} … {@code demo-k.png} (the one image
     * of each demo's cell) and {@code expected.png} (the one image of the expected cell), into {@code folder}.
     *
     * @return the demo files in prompt order
     */
    public static List<Path> write(Episode episode, Path folder) throws IOException {
        Files.createDirectories(folder);
        WorldRenderer renderer = new WorldRenderer();
        List<Path> demos = new ArrayList<>();
        for (int j = 0; j < episode.shots(); j++) {
            Path file = folder.resolve("demo-" + (j + 1) + ".png");
            ImageIO.write(renderer.render(episode.demoCell(j), SeedRange.BENCHMARK.seed(0)), "png", file.toFile());
            demos.add(file);
        }
        ImageIO.write(renderer.render(episode.expected(), SeedRange.BENCHMARK.seed(0)), "png",
                folder.resolve("expected.png").toFile());
        return demos;
    }

    /** The one image of every cell, packed 0xRRGGBB. */
    public static Map<Cell, int[]> render() {
        return render(SeedRange.BENCHMARK);
    }

    /**
     * One image per cell rendered from {@code range}'s first seed: BENCHMARK gives the benchmark's images,
     * MODEL_TRAINING a development set of the same layout for choosing settings without touching them.
     */
    public static Map<Cell, int[]> render(SeedRange range) {
        WorldRenderer renderer = new WorldRenderer();
        Map<Cell, int[]> images = new LinkedHashMap<>();
        for (Cell cell : allCells()) {
            images.put(cell, renderer.renderPixels(cell, range.seed(0)).clone());
        }
        return images;
    }
}
