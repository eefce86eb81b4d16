package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.job.ThinkDiffCommand;
import dev.thinkdiff.world.DatasetFolder;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The training job's export, read back through the dataset-folder source the benchmark code uses. */
class DatasetRoundTripTest {

    @Test
    void exportedFolderServesEveryEpisodeImageUnchanged(@TempDir Path folder) {
        int exit = new CommandLine(new ThinkDiffCommand()).execute("export", "--out", folder.toString());
        assertEquals(0, exit);
        DatasetFolder dataset = new DatasetFolder(folder);
        WorldRenderer renderer = new WorldRenderer();
        long seed = SeedRange.BENCHMARK.seed(0);
        for (Task task : Task.values()) {
            Episode episode = Episode.of(task, 4, 17);
            for (int j = 0; j < episode.shots(); j++) {
                assertSamePixels(renderer.render(episode.demoCell(j), seed), dataset.image(episode.demoCell(j), 0));
            }
            Cell expected = episode.expected();
            assertSamePixels(renderer.render(expected, seed), dataset.image(expected, 0));
        }
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertArrayEquals(rgb(expected), rgb(actual));
    }

    private static int[] rgb(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return pixels;
    }
}
