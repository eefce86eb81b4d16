package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.pipeline.CobsatResult;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.WorldRenderer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The paper's Fig. 5 as one PNG small enough to keep beside the tables: for the first gallery sample of every task
 * and shot count, the interleaved prompt (each demo's text over its image), the query, the VLM's answer and what
 * the chosen methods drew, each marked with the judge's verdict.
 */
final class GalleryFigure {

    static final String FILE = "gallery.png";

    private static final int SCALE = 2;
    private static final int CELL = WorldRenderer.SIZE * SCALE;
    private static final int GAP = 8;
    private static final int LABEL_WIDTH = 80;
    private static final int QUERY_WIDTH = 230;
    private static final int TEXT_HEIGHT = 16;
    private static final int ROW_HEIGHT = TEXT_HEIGHT + CELL + TEXT_HEIGHT + GAP;

    private GalleryFigure() {
    }

    /** Writes the figure for {@code methods} (those the samples drew); false when there are no samples. */
    static boolean write(List<CobsatResult.Sample> samples, List<String> methods, Path png) throws IOException {
        Map<String, CobsatResult.Sample> firstPerRow = new LinkedHashMap<>();
        for (CobsatResult.Sample sample : samples) {
            firstPerRow.putIfAbsent(sample.episode().shots() + " " + sample.episode().task(), sample);
        }
        List<CobsatResult.Sample> rows = new ArrayList<>(firstPerRow.values());
        rows.sort((a, b) -> a.episode().shots() != b.episode().shots()
                ? Integer.compare(a.episode().shots(), b.episode().shots())
                : Integer.compare(Task.paperOrder().indexOf(a.episode().task()),
                        Task.paperOrder().indexOf(b.episode().task())));
        if (rows.isEmpty()) {
            return false;
        }
        int maxShots = rows.stream().mapToInt(sample -> sample.episode().shots()).max().orElseThrow();
        int width = LABEL_WIDTH + maxShots * (CELL + GAP) + QUERY_WIDTH + methods.size() * (CELL + GAP);
        BufferedImage image = new BufferedImage(width, rows.size() * ROW_HEIGHT + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int r = 0; r < rows.size(); r++) {
                drawRow(g, rows.get(r), methods, maxShots, GAP + r * ROW_HEIGHT);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
        return true;
    }

    private static void drawRow(Graphics2D g, CobsatResult.Sample sample, List<String> methods, int maxShots,
            int top) {
        Episode episode = sample.episode();
        int imageTop = top + TEXT_HEIGHT;
        g.setColor(Color.BLACK);
        g.drawString(episode.task().column() + ", " + episode.shots() + "-shot", 6, imageTop + 14);
        g.drawString("prompt " + episode.promptIndex(), 6, imageTop + 30);
        int x = LABEL_WIDTH;
        String pendingText = null;
        for (Episode.Item item : episode.items()) {
            if (item instanceof Episode.Text text) {
                pendingText = text.text().trim();
            } else {
                g.setColor(Color.BLACK);
                g.drawString(pendingText, x, top + 12);
                g.drawImage(scaled(BenchmarkImages.render(((Episode.Image) item).cell()), CELL), x, imageTop, null);
                x += CELL + GAP;
            }
        }
        x = LABEL_WIDTH + maxShots * (CELL + GAP);
        g.setColor(Color.BLACK);
        g.drawString(pendingText + " → ?", x, top + 12);
        g.setColor(Color.DARK_GRAY);
        g.drawString("expected: " + episode.expected(), x, imageTop + 14);
        drawWrapped(g, "VLM: " + sample.answer(), x, imageTop + 34, QUERY_WIDTH - GAP);
        x += QUERY_WIDTH;
        for (String method : methods) {
            int[] pixels = sample.images().get(method);
            Judgement verdict = sample.verdicts().get(method);
            if (pixels == null || verdict == null) {
                continue;
            }
            g.drawImage(scaled(pixels, CELL), x, imageTop, null);
            g.setColor(verdict.correct() ? new Color(0, 130, 0) : new Color(200, 0, 0));
            g.drawString((verdict.correct() ? "✓ " : "✗ ") + method, x, imageTop + CELL + 13);
            x += CELL + GAP;
        }
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && g.getFontMetrics().stringWidth(line + " " + word) > width) {
                g.drawString(line.toString(), x, y);
                y += 15;
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        g.drawString(line.toString(), x, y);
    }

    /** A 64×64 image (packed pixels) drawn {@code size} pixels wide, nearest neighbour: the figures' thumbnails. */
    static BufferedImage scaled(int[] pixels, int size) {
        BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.drawImage(DiffusionPipeline.toImage(pixels), 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }
}
