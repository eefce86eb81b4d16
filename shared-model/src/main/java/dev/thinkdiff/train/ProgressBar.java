package dev.thinkdiff.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One updating status line on stderr ({@code \r}) with step/total, loss, steps/s and ETA. When stderr is not a
 * terminal (CI, nohup logs) it prints a plain line every ~10% instead, so logs stay readable. A console display, not a
 * log: a status line redrawn in place cannot go through a logger (everything else the training prints is logged).
 */
public final class ProgressBar {

    private static final long REDRAW_NANOS = 250_000_000L;

    private final String label;
    private final int total;
    private final int firstStep;
    private final boolean terminal;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastDecile = -1;

    /** @param firstStep the step the run starts (or resumes) at, so the rate counts only steps done here */
    public ProgressBar(String label, int total, int firstStep) {
        this(label, total, firstStep, System.console() != null, System.err);
    }

    ProgressBar(String label, int total, int firstStep, boolean terminal, PrintStream out) {
        this.label = label;
        this.total = total;
        this.firstStep = firstStep;
        this.terminal = terminal;
        this.out = out;
        this.lastDecile = firstStep * 10 / Math.max(1, total);
    }

    /** Reports that {@code step} steps are done, the last with {@code loss}. */
    public void update(int step, double loss) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDrawNanos >= REDRAW_NANOS || step == total) {
                lastDrawNanos = now;
                out.print("\r" + line(step, loss, now) + "   ");
                out.flush();
            }
        } else {
            int decile = step * 10 / Math.max(1, total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(step, loss, now));
            }
        }
    }

    /** Ends the line (terminal mode). */
    public void finish() {
        if (terminal) {
            out.println();
        }
    }

    private String line(int step, double loss, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (step - firstStep) / seconds : 0;
        String eta = rate > 0 ? formatDuration((total - step) / rate) : "?";
        return String.format(Locale.ROOT, "%s %d/%d (%3.0f%%) loss %.4f  %.2f steps/s  ETA %s", label, step, total,
                100.0 * step / total, loss, rate, eta);
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
