package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-render", mixinStandardHelpOptions = true,
        description = "Measure rendering speed on one thread (images/second over all themes).")
public class RenderBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "20000", description = "Images to time (default: ${DEFAULT-VALUE}).")
    int images;

    @Override
    public Integer call() {
        WorldRenderer renderer = new WorldRenderer();
        renderAll(renderer, images / 4, 0);
        long start = System.nanoTime();
        int checksum = renderAll(renderer, images, SeedRange.BENCHMARK.first());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("rendered %d images in %.2f s on one thread: %.0f images/s (checksum %08x)%n", images,
                seconds, images / seconds, checksum);
        return 0;
    }

    private static int renderAll(WorldRenderer renderer, int count, long firstSeed) {
        int checksum = 0;
        int themes = Theme.values().length;
        for (int i = 0; i < count; i++) {
            Cell cell = new Cell(Theme.values()[i % themes], (i / themes) % ItemList.SIZE,
                    (i / (themes * ItemList.SIZE)) % ItemList.SIZE);
            checksum = 31 * checksum + renderer.renderPixels(cell, firstSeed + i)[2080];
        }
        return checksum;
    }
}
