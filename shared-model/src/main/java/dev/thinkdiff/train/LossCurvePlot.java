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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Java2D line plots of losses per step: a bias-corrected exponential moving average (it does not lag at the start like
 * a plain one seeded with the first value) over the raw values of one run, or the smoothed curves of several runs on
 * shared axes with a legend (the paper's Fig. 7). Axes labelled.
 */
public final class LossCurvePlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 40;
    private static final int MARGIN_BOTTOM = 50;
    private static final int PLOT_WIDTH = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    private static final int TICKS = 5;
    private static final Color RAW = new Color(120, 160, 220);
    private static final List<Color> SERIES = List.of(new Color(200, 40, 30), new Color(30, 110, 200),
            new Color(40, 150, 60), new Color(150, 70, 170), new Color(230, 140, 20));

    private LossCurvePlot() {
    }

    /** One run: raw losses faint, the smoothed curve on top. */
    public static void write(List<Double> losses, String title, double smoothing, Path png) throws IOException {
        Axes axes = Axes.of(List.of(losses));
        draw(title, axes, png, g -> {
            g.setColor(RAW);
            g.draw(axes.path(losses));
            g.setColor(SERIES.get(0));
            g.setStroke(new BasicStroke(2f));
            g.draw(axes.path(smoothed(losses, smoothing)));
        });
    }

    /** Several runs (name → losses, in legend order, at most five): each one's smoothed curve, on shared axes. */
    public static void compare(Map<String, List<Double>> runs, String title, double smoothing, Path png)
            throws IOException {
        if (runs.isEmpty() || runs.size() > SERIES.size()) {
            throw new IllegalArgumentException("compare 1.." + SERIES.size() + " runs, got " + runs.size());
        }
        List<List<Double>> curves = runs.values().stream().map(losses -> smoothed(losses, smoothing)).toList();
        Axes axes = Axes.of(curves);
        List<String> names = new ArrayList<>(runs.keySet());
        draw(title, axes, png, g -> {
            g.setStroke(new BasicStroke(2f));
            for (int i = 0; i < curves.size(); i++) {
                g.setColor(SERIES.get(i));
                g.draw(axes.path(curves.get(i)));
            }
            g.setClip(null);
            int labelWidth = names.stream().mapToInt(g.getFontMetrics()::stringWidth).max().orElse(0);
            int left = WIDTH - MARGIN_RIGHT - labelWidth - 34;
            for (int i = 0; i < names.size(); i++) {
                int y = MARGIN_TOP + 20 + 18 * i;
                g.setColor(SERIES.get(i));
                g.fillRect(left, y - 9, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), left + 24, y - 3);
            }
        });
    }

    static List<Double> smoothed(List<Double> losses, double smoothing) {
        List<Double> out = new ArrayList<>(losses.size());
        double average = 0;
        for (int i = 0; i < losses.size(); i++) {
            average = smoothing * average + (1 - smoothing) * losses.get(i);
            out.add(average / (1 - Math.pow(smoothing, i + 1)));
        }
        return out;
    }

    private interface Curves {
        void draw(Graphics2D g);
    }

    /** The value range (0 included, non-finite values ignored) and step count the curves share. */
    private record Axes(double min, double range, int steps) {

        static Axes of(Collection<List<Double>> curves) {
            double max = curves.stream().flatMap(List::stream).mapToDouble(Double::doubleValue)
                    .filter(Double::isFinite).max().orElse(1);
            double min = Math.min(0, curves.stream().flatMap(List::stream).mapToDouble(Double::doubleValue)
                    .filter(Double::isFinite).min().orElse(0));
            int steps = Math.max(1, curves.stream().mapToInt(List::size).max().orElse(1) - 1);
            return new Axes(min, max > min ? max - min : 1, steps);
        }

        Path2D path(List<Double> values) {
            Path2D path = new Path2D.Double();
            for (int i = 0; i < values.size(); i++) {
                double x = MARGIN_LEFT + (double) i * PLOT_WIDTH / steps;
                double y = MARGIN_TOP + PLOT_HEIGHT - (values.get(i) - min) / range * PLOT_HEIGHT;
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            return path;
        }
    }

    private static void draw(String title, Axes axes, Path png, Curves curves) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawRect(MARGIN_LEFT, MARGIN_TOP, PLOT_WIDTH, PLOT_HEIGHT);
            for (int t = 0; t <= TICKS; t++) {
                int y = MARGIN_TOP + PLOT_HEIGHT - t * PLOT_HEIGHT / TICKS;
                g.drawString(String.format(Locale.ROOT, "%.3g", axes.min() + axes.range() * t / TICKS), 8, y + 4);
                int x = MARGIN_LEFT + t * PLOT_WIDTH / TICKS;
                g.drawString(Integer.toString(axes.steps() * t / TICKS + 1), x - 10, MARGIN_TOP + PLOT_HEIGHT + 18);
            }
            g.drawString("step", MARGIN_LEFT + PLOT_WIDTH / 2 - 12, HEIGHT - 12);
            g.drawString("loss", 8, MARGIN_TOP - 12);
            g.drawString(title, MARGIN_LEFT + 60, MARGIN_TOP - 12);
            g.setClip(MARGIN_LEFT, MARGIN_TOP, PLOT_WIDTH + 1, PLOT_HEIGHT + 1);
            curves.draw(g);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }
}
