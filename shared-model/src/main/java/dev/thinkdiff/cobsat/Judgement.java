package dev.thinkdiff.cobsat;

/**
 * The benchmark's verdict on one prompt's output: the judge's two answers as option numbers (1..10; anything else is
 * wrong, 0 for no answer), scored against the expected cell.
 *
 * @param textual the x dimension is right (the item the text named)
 * @param visual the θ dimension is right (the latent shared by the demo images)
 */
public record Judgement(Task task, Cell expected, int attributeAnswer, int subjectAnswer, boolean textual,
        boolean visual) {

    public static Judgement of(Task task, Cell expected, int attributeAnswer, int subjectAnswer) {
        boolean attributeRight = JudgeQuestion.ATTRIBUTE.isRight(expected, attributeAnswer);
        boolean subjectRight = JudgeQuestion.SUBJECT.isRight(expected, subjectAnswer);
        boolean textual = task.isTypeOne() ? attributeRight : subjectRight;
        boolean visual = task.isTypeOne() ? subjectRight : attributeRight;
        return new Judgement(task, expected, attributeAnswer, subjectAnswer, textual, visual);
    }

    /** A prompt with no output counts as wrong on both questions. */
    public static Judgement missing(Task task, Cell expected) {
        return of(task, expected, 0, 0);
    }

    /** Both answers right ({@link JudgeQuestion#bothRight}): the benchmark's accuracy counts only these. */
    public boolean correct() {
        return JudgeQuestion.bothRight(expected, attributeAnswer, subjectAnswer);
    }
}
