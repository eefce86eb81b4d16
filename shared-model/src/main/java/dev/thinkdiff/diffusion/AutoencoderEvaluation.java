package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The judge's verdict on autoencoder reconstructions of fresh benchmark-range renders (image i shows cell i mod 500
 * with seed {@code BENCHMARK.seed(i)}), next to its verdict on the originals: {@code original.both},
 * {@code original.<theme>.both}, {@code reconstruction.both}, {@code reconstruction.<theme>.both}. Acceptance:
 * reconstruction both-correct ≥ 0.97 per theme.
 */
public final class AutoencoderEvaluation {

    static final int CELLS = Theme.values().length * ItemList.SIZE * ItemList.SIZE;
    private static final int CHUNK = 250;

    public record Result(int images, Map<String, Double> metrics) {

        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-11s %9s %15s%n", "theme",
                    "original", "reconstruction"));
            for (String row : rows()) {
                String key = row.isEmpty() ? "" : "." + row;
                out.append(String.format(Locale.ROOT, "%-11s %9.4f %15.4f%n", row.isEmpty() ? "overall" : row,
                        metrics.get("original" + key + ".both"), metrics.get("reconstruction" + key + ".both")));
            }
            return out.append("(judge both-correct, ").append(images).append(" benchmark-range renders)").toString();
        }

        private static List<String> rows() {
            List<String> rows = new ArrayList<>();
            for (Theme theme : Theme.values()) {
                rows.add(theme.id());
            }
            rows.add("");
            return rows;
        }
    }

    private AutoencoderEvaluation() {
    }

    public static Result run(ImageAutoencoder autoencoder, Judge judge, int images) {
        BothCorrectTally originals = new BothCorrectTally();
        BothCorrectTally reconstructions = new BothCorrectTally();
        WorldRenderer renderer = new WorldRenderer();
        for (int from = 0; from < images; from += CHUNK) {
            int n = Math.min(CHUNK, images - from);
            List<Cell> cells = new ArrayList<>();
            List<int[]> pixels = new ArrayList<>();
            for (int i = from; i < from + n; i++) {
                cells.add(cellOf(i));
                pixels.add(renderer.renderPixels(cellOf(i), SeedRange.BENCHMARK.seed(i)).clone());
            }
            List<Theme> themes = cells.stream().map(Cell::theme).toList();
            originals.addAll(cells, judge.answerAll(pixels, themes));
            reconstructions.addAll(cells, judge.answerAll(autoencoder.reconstruct(pixels), themes));
        }
        Map<String, Double> metrics = new LinkedHashMap<>(originals.metrics("original"));
        metrics.putAll(reconstructions.metrics("reconstruction"));
        return new Result(images, metrics);
    }

    static Cell cellOf(int index) {
        int cell = index % CELLS;
        return new Cell(Theme.values()[cell / 100], cell / 10 % 10, cell % 10);
    }

    /** Benchmark renders {@code from .. from+n-1} as [n, 3, 64, 64] floats in [-1, 1]. */
    static float[] benchmarkImages(WorldRenderer renderer, int from, int n) {
        float[] images = new float[n * ImageTensors.FLOATS_PER_IMAGE];
        for (int i = 0; i < n; i++) {
            ImageTensors.put(renderer.renderPixels(cellOf(from + i), SeedRange.BENCHMARK.seed(from + i)), images, i);
        }
        return images;
    }
}
