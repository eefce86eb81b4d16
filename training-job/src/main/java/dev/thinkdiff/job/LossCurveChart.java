package dev.thinkdiff.job;

import dev.thinkdiff.train.TrainingRun;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Loss-per-step line charts (JFreeChart): one run's raw losses faint under their smoothed curve, or the smoothed
 * curves of several runs on shared axes with a legend (the paper's Fig. 7). Smoothing is a bias-corrected exponential
 * moving average, which does not lag at the start as one seeded with the first value does. Non-finite losses are gaps.
 */
final class LossCurveChart {

    static final String FILE = "loss-curve.png";
    static final double SMOOTHING = 0.95;
    static final List<Color> SERIES = List.of(new Color(200, 40, 30), new Color(30, 110, 200),
            new Color(40, 150, 60), new Color(150, 70, 170), new Color(230, 140, 20));

    private static final Color RAW = new Color(120, 160, 220);
    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;

    private LossCurveChart() {
    }

    /**
     * Draws {@value #FILE} in a run directory from the losses and title its training wrote there.
     *
     * @return false if the run wrote no losses (it stopped before its last step)
     */
    static boolean writeFor(Path runDir) throws IOException {
        Path losses = runDir.resolve(TrainingRun.LOSSES_FILE);
        if (!Files.exists(losses)) {
            return false;
        }
        String title = Files.readString(runDir.resolve(TrainingRun.LOSS_TITLE_FILE)).strip();
        write(TrainingRun.readLosses(losses), title, runDir.resolve(FILE));
        return true;
    }

    /** One run: raw losses faint, the smoothed curve on top. */
    static void write(List<Double> losses, String title, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        // the plot draws its last series first: the raw losses under the smoothed curve
        data.addSeries(series("smoothed", smoothed(losses)));
        data.addSeries(series("raw", losses));
        save(title, data, List.of(SERIES.get(0), RAW), false, png);
    }

    /** Several runs (name → losses, in legend order, at most five): each one's smoothed curve, on shared axes. */
    static void compare(Map<String, List<Double>> runs, String title, Path png) throws IOException {
        if (runs.isEmpty() || runs.size() > SERIES.size()) {
            throw new IllegalArgumentException("compare 1.." + SERIES.size() + " runs, got " + runs.size());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        runs.forEach((name, losses) -> data.addSeries(series(name, smoothed(losses))));
        save(title, data, SERIES.subList(0, runs.size()), true, png);
    }

    static List<Double> smoothed(List<Double> losses) {
        List<Double> out = new ArrayList<>(losses.size());
        double average = 0;
        for (int i = 0; i < losses.size(); i++) {
            average = SMOOTHING * average + (1 - SMOOTHING) * losses.get(i);
            out.add(average / (1 - Math.pow(SMOOTHING, i + 1)));
        }
        return out;
    }

    /** Step i + 1 → loss i. */
    private static XYSeries series(String name, List<Double> values) {
        XYSeries series = new XYSeries(name, false, true);
        for (int i = 0; i < values.size(); i++) {
            double value = values.get(i);
            series.add(i + 1, Double.isFinite(value) ? value : Double.NaN);
        }
        return series;
    }

    private static void save(String title, XYSeriesCollection data, List<Color> colours, boolean legend, Path png)
            throws IOException {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "loss", data, PlotOrientation.VERTICAL,
                legend, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < colours.size(); i++) {
            renderer.setSeriesPaint(i, colours.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(i == 0 || legend ? 2f : 1f));
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
