package dev.thinkdiff.cobsat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scores a model that answers in words, the way the benchmark scores a description: each question's answer is the one
 * option the text names; a text that names none or several of a question's options answers it wrongly. An option is
 * named by its display word, its id ("wireframe" or "3d", "amusement park" or "park") or, for actions, the forms a
 * sentence puts them in ("a cat crying", "a dog that is asleep") — the benchmark asks a language model, which reads
 * those as the option — as whole words, any case.
 */
public final class TextAnswers {

    /** Other words that name an action option in a sentence. */
    private static final Map<String, List<String>> ACTION_FORMS = Map.of(
            "swim", List.of("swimming", "swims"), "sleep", List.of("sleeping", "asleep", "sleeps"),
            "sing", List.of("singing", "sings"), "run", List.of("running", "runs"),
            "read", List.of("reading", "reads"), "fly", List.of("flying", "flies"),
            "eat", List.of("eating", "eats"), "drink", List.of("drinking", "drinks"),
            "cry", List.of("crying", "cries"), "angry", List.of("angrily"));

    private TextAnswers() {
    }

    /** The option number (1..10) the text names for the question, or 0 when it names none or several. */
    public static int option(String text, Theme theme, JudgeQuestion question) {
        ItemList options = question.options(theme);
        String lower = text.toLowerCase(Locale.ROOT);
        int found = 0;
        for (int i = 0; i < ItemList.SIZE; i++) {
            if (namesOption(lower, options, i)) {
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

    private static boolean namesOption(String lowerText, ItemList options, int index) {
        if (names(lowerText, options.display(index)) || names(lowerText, options.item(index))) {
            return true;
        }
        return options == ItemList.ACTION
                && ACTION_FORMS.get(options.item(index)).stream().anyMatch(form -> names(lowerText, form));
    }

    private static boolean names(String lowerText, String word) {
        return Pattern.compile("(?<![a-z0-9])" + Pattern.quote(word) + "(?![a-z0-9])").matcher(lowerText).find();
    }
}
