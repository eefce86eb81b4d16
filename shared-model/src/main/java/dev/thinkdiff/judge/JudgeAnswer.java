package dev.thinkdiff.judge;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.JudgeQuestion;

/**
 * The judge's answers to a theme's two questions: option numbers 1..10 (the benchmark's numbering) and the
 * probability the judge gave each.
 */
public record JudgeAnswer(int attributeOption, double attributeProbability, int subjectOption,
                          double subjectProbability) {

    public int option(JudgeQuestion question) {
        return question == JudgeQuestion.ATTRIBUTE ? attributeOption : subjectOption;
    }

    /** Both answers right for the expected cell: the benchmark's rule ({@link JudgeQuestion#bothRight}). */
    public boolean bothRight(Cell expected) {
        return JudgeQuestion.bothRight(expected, attributeOption, subjectOption);
    }

    public double probability(JudgeQuestion question) {
        return question == JudgeQuestion.ATTRIBUTE ? attributeProbability : subjectProbability;
    }
}
