package dev.thinkdiff.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Java2D line plot of a loss per step: raw values faint, a bias-corrected exponential moving average on top (it does
 * not lag at the start like a plain one seeded with the first value), axes labelled.
 */
public final class LossCurvePlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 40;
    private static final int MARGIN_BOTTOM = 50;
    private static final int TICKS = 5;

    private LossCurvePlot() {
    }

    public static void write(List<Double> losses, String title, double smoothing, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int plotWidth = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
            int plotHeight = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
            double max = losses.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(1);
            double min = Math.min(0, losses.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).min()
                    .orElse(0));
            double range = max > min ? max - min : 1;
            int steps = Math.max(1, losses.size() - 1);

            g.setColor(Color.BLACK);
            g.drawRect(MARGIN_LEFT, MARGIN_TOP, plotWidth, plotHeight);
            for (int t = 0; t <= TICKS; t++) {
                int y = MARGIN_TOP + plotHeight - t * plotHeight / TICKS;
                g.drawString(String.format(Locale.ROOT, "%.3g", min + range * t / TICKS), 8, y + 4);
                int x = MARGIN_LEFT + t * plotWidth / TICKS;
                g.drawString(Integer.toString(steps * t / TICKS + 1), x - 10, MARGIN_TOP + plotHeight + 18);
            }
            g.drawString("step", MARGIN_LEFT + plotWidth / 2 - 12, HEIGHT - 12);
            g.drawString("loss", 8, MARGIN_TOP - 12);
            g.drawString(title, MARGIN_LEFT + 60, MARGIN_TOP - 12);

            Path2D raw = new Path2D.Double();
            Path2D smooth = new Path2D.Double();
            double average = 0;
            for (int i = 0; i < losses.size(); i++) {
                double loss = losses.get(i);
                average = smoothing * average + (1 - smoothing) * loss;
                double smoothed = average / (1 - Math.pow(smoothing, i + 1));
                double x = MARGIN_LEFT + (double) i * plotWidth / steps;
                double yRaw = MARGIN_TOP + plotHeight - (loss - min) / range * plotHeight;
                double ySmooth = MARGIN_TOP + plotHeight - (smoothed - min) / range * plotHeight;
                if (i == 0) {
                    raw.moveTo(x, yRaw);
                    smooth.moveTo(x, ySmooth);
                } else {
                    raw.lineTo(x, yRaw);
                    smooth.lineTo(x, ySmooth);
                }
            }
            g.setClip(MARGIN_LEFT, MARGIN_TOP, plotWidth + 1, plotHeight + 1);
            g.setColor(new Color(120, 160, 220));
            g.draw(raw);
            g.setColor(new Color(200, 40, 30));
            g.setStroke(new BasicStroke(2f));
            g.draw(smooth);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
