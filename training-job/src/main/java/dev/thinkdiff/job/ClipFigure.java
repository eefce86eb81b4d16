package dev.thinkdiff.job;

import dev.thinkdiff.pipeline.ClipEvaluation;
import dev.thinkdiff.world.WorldRenderer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * ThinkDiff-CLIP's examples as one PNG: per case, the first few examples side by side, each as its input images and
 * text, then what the diffusion decoder drew, marked with the judge's verdict against the expected cell.
 */
final class ClipFigure {

    static final String FILE = "examples.png";

    private static final int PER_CASE = 4;
    private static final int SCALE = 2;
    private static final int CELL = WorldRenderer.SIZE * SCALE;
    private static final int GAP = 8;
    private static final int LABEL_WIDTH = 130;
    private static final int TEXT_HEIGHT = 16;
    private static final int EXAMPLE_WIDTH = 3 * (CELL + GAP) + 2 * GAP;
    private static final int ROW_HEIGHT = TEXT_HEIGHT + CELL + 3 * TEXT_HEIGHT + GAP;

    private ClipFigure() {
    }

    static void write(ClipEvaluation.Result result, Path png) throws IOException {
        List<ClipEvaluation.Case> cases = List.of(ClipEvaluation.Case.values());
        BufferedImage image = new BufferedImage(LABEL_WIDTH + PER_CASE * EXAMPLE_WIDTH,
                cases.size() * ROW_HEIGHT + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int r = 0; r < cases.size(); r++) {
                int top = GAP + r * ROW_HEIGHT;
                g.setColor(Color.BLACK);
                g.drawString(cases.get(r).label(), 6, top + TEXT_HEIGHT + 14);
                List<ClipEvaluation.Example> examples = result.of(cases.get(r));
                for (int e = 0; e < Math.min(PER_CASE, examples.size()); e++) {
                    drawExample(g, examples.get(e), LABEL_WIDTH + e * EXAMPLE_WIDTH, top);
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void drawExample(Graphics2D g, ClipEvaluation.Example example, int left, int top) {
        int imageTop = top + TEXT_HEIGHT;
        int x = left;
        for (int i = 0; i < example.images().size(); i++) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(example.sources().get(i).toString(), x, top + 12);
            g.drawImage(GalleryFigure.scaled(example.images().get(i), CELL), x, imageTop, null);
            x += CELL + GAP;
        }
        int line = imageTop + CELL + 13;
        if (!example.text().isEmpty()) {
            // phrases run up to ~70 characters: a line of their own under the images, cut to the example's width
            g.setColor(Color.BLACK);
            g.drawString(fit(g, "+ \"" + example.text() + "\"", EXAMPLE_WIDTH - GAP), left, line);
        }
        line += TEXT_HEIGHT;
        g.setColor(Color.BLACK);
        g.drawString("→", x, imageTop + CELL / 2);
        x += 16;
        g.drawImage(GalleryFigure.scaled(example.drawn(), CELL), x, imageTop, null);
        g.setColor(example.correct() ? new Color(0, 130, 0) : new Color(200, 0, 0));
        g.drawString((example.correct() ? "✓ " : "✗ ") + "want " + example.expected(), left, line);
        g.setColor(Color.DARK_GRAY);
        g.drawString("judge saw " + example.seen(), left, line + 15);
    }

    private static String fit(Graphics2D g, String text, int width) {
        String fitted = text;
        while (g.getFontMetrics().stringWidth(fitted) > width && fitted.length() > 4) {
            fitted = fitted.substring(0, fitted.length() - 2);
        }
        return fitted.equals(text) ? text : fitted.substring(0, fitted.length() - 1) + "…";
    }
}
