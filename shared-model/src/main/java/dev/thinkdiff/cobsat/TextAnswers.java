package dev.thinkdiff.cobsat;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Scores a model that answers in words, the way the benchmark scores a description: each question's answer is the one
 * option the text names; a text that names none or several of a question's options answers it wrongly. An option is
 * named by its display word or its id ("wireframe" or "3d", "amusement park" or "park"), as whole words, any case.
 */
public final class TextAnswers {

    private TextAnswers() {
    }

    /** The option number (1..10) the text names for the question, or 0 when it names none or several. */
    public static int option(String text, Theme theme, JudgeQuestion question) {
        ItemList options = question.options(theme);
        String lower = text.toLowerCase(Locale.ROOT);
        int found = 0;
        for (int i = 0; i < ItemList.SIZE; i++) {
            if (names(lower, options.display(i)) || names(lower, options.item(i))) {
                if (found != 0) {
                    return 0;
                }
                found = i + 1;
            }
        }
        return found;
    }

    /** The benchmark's verdict on a text answer for an episode's expected cell. */
    public static Judgement judge(String text, Task task, Cell expected) {
        return Judgement.of(task, expected, option(text, expected.theme(), JudgeQuestion.ATTRIBUTE),
                option(text, expected.theme(), JudgeQuestion.SUBJECT));
    }

    private static boolean names(String lowerText, String word) {
        return Pattern.compile("(?<![a-z0-9])" + Pattern.quote(word) + "(?![a-z0-9])").matcher(lowerText).find();
    }
}
