package dev.thinkdiff.cobsat;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates judgements per (shots, task) into the paper's table: one row per shot count, columns C-I … T-II and avg,
 * for both-correct accuracy (the benchmark's figure) and for textual and visual accuracy. Not thread-safe: merge
 * per-thread tables with {@link #addAll}.
 */
public final class AccuracyTable {

    /** Running counts of one (shots, task) cell. */
    public static final class Counts {
        private long total;
        private long correct;
        private long textual;
        private long visual;

        void add(Judgement judgement) {
            total++;
            correct += judgement.correct() ? 1 : 0;
            textual += judgement.textual() ? 1 : 0;
            visual += judgement.visual() ? 1 : 0;
        }

        void add(Counts other) {
            total += other.total;
            correct += other.correct;
            textual += other.textual;
            visual += other.visual;
        }

        public long total() {
            return total;
        }

        public double accuracy() {
            return ratio(correct);
        }

        public double textualAccuracy() {
            return ratio(textual);
        }

        public double visualAccuracy() {
            return ratio(visual);
        }

        private double ratio(long count) {
            return total == 0 ? Double.NaN : (double) count / total;
        }
    }

    public enum Metric { BOTH, TEXTUAL, VISUAL }

    private final Map<Integer, Map<Task, Counts>> rows = new TreeMap<>();

    public void add(int shots, Judgement judgement) {
        counts(shots, judgement.task()).add(judgement);
    }

    public void addAll(AccuracyTable other) {
        other.rows.forEach((shots, row) -> row.forEach((task, counts) -> counts(shots, task).add(counts)));
    }

    public Counts counts(int shots, Task task) {
        return rows.computeIfAbsent(shots, s -> new EnumMap<>(Task.class)).computeIfAbsent(task, t -> new Counts());
    }

    public double value(int shots, Task task, Metric metric) {
        Counts counts = counts(shots, task);
        return switch (metric) {
            case BOTH -> counts.accuracy();
            case TEXTUAL -> counts.textualAccuracy();
            case VISUAL -> counts.visualAccuracy();
        };
    }

    /** Mean over the tasks that have judgements at this shot count (the paper's "avg" column). */
    public double average(int shots, Metric metric) {
        Map<Task, Counts> row = rows.getOrDefault(shots, Map.of());
        return row.keySet().stream().mapToDouble(task -> value(shots, task, metric)).average().orElse(Double.NaN);
    }

    public Iterable<Integer> shotCounts() {
        return rows.keySet();
    }

    /** The paper-style table for one metric: "shots | C-I … T-II | avg", three decimals, "-" where nothing ran. */
    public String format(Metric metric) {
        StringBuilder out = new StringBuilder("| shots |");
        for (Task task : Task.paperOrder()) {
            out.append(' ').append(task.column()).append(" |");
        }
        out.append(" avg |\n|---|");
        out.append("---|".repeat(Task.values().length + 1)).append('\n');
        for (int shots : rows.keySet()) {
            out.append("| ").append(shots).append(" |");
            for (Task task : Task.paperOrder()) {
                Counts counts = rows.get(shots).get(task);
                out.append(' ').append(counts == null ? "-" : decimal(value(shots, task, metric))).append(" |");
            }
            out.append(' ').append(decimal(average(shots, metric))).append(" |\n");
        }
        return out.toString();
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
