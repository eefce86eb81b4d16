package dev.thinkdiff.judge;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores a judge on fresh renders from {@link SeedRange#BENCHMARK} (never trained on): image i shows cell i mod 500
 * with seed {@code BENCHMARK.seed(seedOffset + i)}, so every cell gets the same number of images. Reports accuracy per
 * (theme, question), both-correct per theme and overall, under stable names ({@code color.attribute},
 * {@code color.subject}, {@code color.both}, …, {@code overall.both}).
 */
public final class JudgeEvaluation {

    private static final int CELLS = Theme.values().length * ItemList.SIZE * ItemList.SIZE;
    private static final int RENDER_CHUNK = 250;

    public record Result(int images, Map<String, Double> metrics) {

        /** A printable table: one row per theme, columns attribute / subject / both. */
        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-11s %9s %9s %9s%n", "theme",
                    "attribute", "subject", "both"));
            List<String> rows = new ArrayList<>();
            for (Theme theme : Theme.values()) {
                rows.add(theme.id());
            }
            rows.add("overall");
            for (String row : rows) {
                out.append(String.format(Locale.ROOT, "%-11s %9.4f %9.4f %9.4f%n", row,
                        metrics.get(row + ".attribute"), metrics.get(row + ".subject"), metrics.get(row + ".both")));
            }
            return out.append("(").append(images).append(" benchmark-range renders)").toString();
        }
    }

    private JudgeEvaluation() {
    }

    public static Result run(Judge judge, int images, long seedOffset) {
        Map<Theme, int[][][]> confusion = new LinkedHashMap<>();
        for (Theme theme : Theme.values()) {
            confusion.put(theme, new int[2][ItemList.SIZE][ItemList.SIZE]);
        }
        int[] bothRight = new int[Theme.values().length];
        int[] seen = new int[Theme.values().length];
        WorldRenderer renderer = new WorldRenderer();
        for (int from = 0; from < images; from += RENDER_CHUNK) {
            int to = Math.min(images, from + RENDER_CHUNK);
            List<Cell> cells = new ArrayList<>();
            List<int[]> pixels = new ArrayList<>();
            List<Theme> themes = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Cell cell = cellOf(i);
                cells.add(cell);
                pixels.add(renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(seedOffset + i)).clone());
                themes.add(cell.theme());
            }
            List<JudgeAnswer> answers = judge.answerAll(pixels, themes);
            for (int k = 0; k < cells.size(); k++) {
                Cell cell = cells.get(k);
                JudgeAnswer answer = answers.get(k);
                int[][][] counts = confusion.get(cell.theme());
                for (JudgeQuestion question : JudgeQuestion.values()) {
                    counts[question.ordinal()][question.correctOption(cell) - 1][answer.option(question) - 1]++;
                }
                seen[cell.theme().ordinal()]++;
                if (answer.bothRight(cell)) {
                    bothRight[cell.theme().ordinal()]++;
                }
            }
        }
        return new Result(images, metrics(confusion, bothRight, seen));
    }

    static Cell cellOf(int imageIndex) {
        int cell = imageIndex % CELLS;
        return new Cell(Theme.values()[cell / 100], cell / 10 % 10, cell % 10);
    }

    private static Map<String, Double> metrics(Map<Theme, int[][][]> confusion, int[] bothRight, int[] seen) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        long[] overallRight = new long[2];
        long overallSeen = 0;
        long overallBoth = 0;
        for (Theme theme : Theme.values()) {
            int n = seen[theme.ordinal()];
            for (JudgeQuestion question : JudgeQuestion.values()) {
                int right = trace(confusion.get(theme)[question.ordinal()]);
                overallRight[question.ordinal()] += right;
                metrics.put(theme.id() + "." + name(question), ratio(right, n));
            }
            metrics.put(theme.id() + ".both", ratio(bothRight[theme.ordinal()], n));
            overallSeen += n;
            overallBoth += bothRight[theme.ordinal()];
        }
        for (JudgeQuestion question : JudgeQuestion.values()) {
            metrics.put("overall." + name(question), ratio(overallRight[question.ordinal()], overallSeen));
        }
        metrics.put("overall.both", ratio(overallBoth, overallSeen));
        return metrics;
    }

    private static String name(JudgeQuestion question) {
        return question.name().toLowerCase(Locale.ROOT);
    }

    private static int trace(int[][] counts) {
        int sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i][i];
        }
        return sum;
    }

    private static double ratio(long right, long total) {
        return total == 0 ? 0 : (double) right / total;
    }
}
