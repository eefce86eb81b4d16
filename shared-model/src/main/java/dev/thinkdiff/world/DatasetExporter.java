package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes renders in the benchmark's dataset layout, {@code {theme}_{subject}/{attr}_{subject}.png}, so that code
 * reading a dataset folder reads the real CoBSAT images and ours the same way. One seed fills the folder itself; with
 * several seeds each gets its own complete dataset folder {@code seed_{seed}/}.
 */
public final class DatasetExporter {

    private DatasetExporter() {
    }

    /** Exports all 500 cells for each seed; returns the files written. */
    public static List<Path> export(Path root, List<Long> seeds) throws IOException {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed is needed");
        }
        WorldRenderer renderer = new WorldRenderer();
        List<Path> written = new ArrayList<>();
        for (long seed : seeds) {
            Path folder = seeds.size() == 1 ? root : root.resolve("seed_" + seed);
            for (Theme theme : Theme.values()) {
                for (int subject = 0; subject < ItemList.SIZE; subject++) {
                    for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                        Cell cell = new Cell(theme, subject, attribute);
                        Path file = folder.resolve(cell.datasetPath());
                        Files.createDirectories(file.getParent());
                        ImageIO.write(renderer.render(cell, seed), "png", file.toFile());
                        written.add(file);
                    }
                }
            }
        }
        return written;
    }
}
