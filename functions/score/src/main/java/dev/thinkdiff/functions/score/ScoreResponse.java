package dev.thinkdiff.functions.score;

import java.util.Map;

/**
 * The judge's verdict. {@code textual}: the x dimension is right; {@code visual}: the θ dimension is right;
 * {@code correct}: both (what CoBSAT's accuracy counts).
 */
public record ScoreResponse(String requestId, String task, ExpectedCell expected, Answer attribute, Answer subject,
        boolean textual, boolean visual, boolean correct, Map<String, String> models,
        Map<String, Double> timingsMillis, long billedMillis) {

    /** The cell the image should show, with its theme's item names. */
    public record ExpectedCell(String theme, String subject, String attribute, String x, String theta) {
    }

    /** One of the theme's two questions: the judge's option (1..10), its item, its probability, and whether right. */
    public record Answer(String question, int option, String answer, double probability, boolean right) {
    }
}
