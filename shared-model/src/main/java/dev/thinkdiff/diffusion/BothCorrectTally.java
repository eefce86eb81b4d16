package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.judge.JudgeAnswer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts the judge's both-correct verdicts per theme (the CoBSAT image metric: attribute AND subject right). */
final class BothCorrectTally {

    private final int[] right = new int[Theme.values().length];
    private final int[] seen = new int[Theme.values().length];

    void addAll(List<Cell> cells, List<JudgeAnswer> answers) {
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            seen[cell.theme().ordinal()]++;
            if (answers.get(i).bothRight(cell)) {
                right[cell.theme().ordinal()]++;
            }
        }
    }

    /** {@code <prefix>.both} overall and {@code <prefix>.<theme>.both} per theme. */
    Map<String, Double> metrics(String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        int allRight = 0;
        int allSeen = 0;
        for (Theme theme : Theme.values()) {
            allRight += right[theme.ordinal()];
            allSeen += seen[theme.ordinal()];
        }
        metrics.put(prefix + ".both", allSeen == 0 ? 0 : (double) allRight / allSeen);
        for (Theme theme : Theme.values()) {
            int n = seen[theme.ordinal()];
            metrics.put(prefix + "." + theme.id() + ".both", n == 0 ? 0 : (double) right[theme.ordinal()] / n);
        }
        return metrics;
    }
}
