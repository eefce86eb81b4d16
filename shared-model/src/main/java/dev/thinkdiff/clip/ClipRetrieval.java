package dev.thinkdiff.clip;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.Captions;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Image → text retrieval of the CLIP vision encoder on benchmark-range renders: each render's embedding against the
 * sentence embeddings of the plain captions of its theme's 100 cells; top-1 accuracy per theme (chance 0.01), and
 * how often the retrieved caption names the right attribute and the right subject.
 *
 * @param top1 per theme: the retrieved caption is the image's cell
 * @param attribute per theme: it names the image's attribute
 * @param subject per theme: it names the image's subject
 */
public record ClipRetrieval(Map<Theme, Double> top1, Map<Theme, Double> attribute, Map<Theme, Double> subject,
                            int imagesPerCell) {

    private static final long RENDER_STREAM = 7;

    /** Measures {@code imagesPerCell} fresh benchmark-range renders of every cell. */
    public static ClipRetrieval run(ClipVision vision, PromptEncoder encoder, int imagesPerCell, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, RENDER_STREAM));
        WorldRenderer renderer = new WorldRenderer();
        Map<Theme, Double> top1 = new LinkedHashMap<>();
        Map<Theme, Double> attributes = new LinkedHashMap<>();
        Map<Theme, Double> subjects = new LinkedHashMap<>();
        for (Theme theme : Theme.values()) {
            List<Cell> cells = new ArrayList<>();
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    cells.add(new Cell(theme, subject, attribute));
                }
            }
            float[][] captions = Arrays.stream(ClipTraining.sentenceEmbeddings(encoder, cells.stream()
                    .map(cell -> List.of(Captions.caption(cell))).toList())).map(texts -> texts[0])
                    .toArray(float[][]::new);
            List<int[]> images = new ArrayList<>();
            List<Cell> truth = new ArrayList<>();
            for (Cell cell : cells) {
                for (int i = 0; i < imagesPerCell; i++) {
                    images.add(renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(
                            random.nextLong(SeedRange.BENCHMARK.size()))).clone());
                    truth.add(cell);
                }
            }
            float[][] embeddings = vision.embeddings(images);
            int right = 0;
            int rightAttribute = 0;
            int rightSubject = 0;
            for (int i = 0; i < images.size(); i++) {
                Cell retrieved = cells.get(nearest(embeddings[i], captions));
                right += retrieved.equals(truth.get(i)) ? 1 : 0;
                rightAttribute += retrieved.attribute() == truth.get(i).attribute() ? 1 : 0;
                rightSubject += retrieved.subject() == truth.get(i).subject() ? 1 : 0;
            }
            top1.put(theme, right / (double) images.size());
            attributes.put(theme, rightAttribute / (double) images.size());
            subjects.put(theme, rightSubject / (double) images.size());
        }
        return new ClipRetrieval(top1, attributes, subjects, imagesPerCell);
    }

    private static int nearest(float[] query, float[][] keys) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < keys.length; k++) {
            double score = 0;
            for (int d = 0; d < query.length; d++) {
                score += query[d] * keys[k][d];
            }
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    public double meanTop1() {
        return top1.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** For the manifest: {@code retrieval.top1.<theme>}, {@code retrieval.top1.mean}, and the same for the items. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        top1.forEach((theme, value) -> metrics.put("retrieval.top1." + theme.id(), value));
        metrics.put("retrieval.top1.mean", meanTop1());
        attribute.forEach((theme, value) -> metrics.put("retrieval.attribute." + theme.id(), value));
        subject.forEach((theme, value) -> metrics.put("retrieval.subject." + theme.id(), value));
        return metrics;
    }

    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "image → text retrieval among a theme's 100 captions, %d benchmark-range render(s) per cell%n",
                imagesPerCell));
        out.append("| theme | top-1 (cell) | attribute | subject |\n|---|---|---|---|\n");
        for (Theme theme : top1.keySet()) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", theme.id(), top1.get(theme),
                    attribute.get(theme), subject.get(theme)));
        }
        out.append(String.format(Locale.ROOT, "| mean | %.3f | | |%n", meanTop1()));
        return out.toString();
    }
}
