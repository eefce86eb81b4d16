package dev.thinkdiff.cobsat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The benchmark's two multiple-choice questions about an image of a theme. Options are the list's ten items in list
 * order, numbered 1..10; an answer that is not a number from 1 to 10 counts as wrong.
 */
public enum JudgeQuestion {
    /** "What is the {theme} of the main object in this image?" over the theme's attribute list. */
    ATTRIBUTE,
    /** "What is the main object in this image?" over the theme's subject list (objects or animals). */
    SUBJECT;

    public ItemList options(Theme theme) {
        return this == ATTRIBUTE ? theme.attributes() : theme.subjects();
    }

    public String text(Theme theme) {
        String question = this == ATTRIBUTE
                ? "What is the " + theme.id() + " of the main object in this image?"
                : "What is the main object in this image?";
        ItemList options = options(theme);
        return question + " Answer from the following options: " + IntStream.range(0, ItemList.SIZE)
                .mapToObj(i -> "(" + (i + 1) + ")" + options.display(i)).collect(Collectors.joining(" "));
    }

    /** The option number (1..10) of a correct answer for the cell. */
    public int correctOption(Cell cell) {
        return (this == ATTRIBUTE ? cell.attribute() : cell.subject()) + 1;
    }

    /** Whether answer {@code option} to this question is right for the expected cell. */
    public boolean isRight(Cell expected, int option) {
        return option == correctOption(expected);
    }

    /**
     * The benchmark's scoring rule, said once: an output (an image the judge read, or a text answer) is correct only
     * when both of its theme's questions are answered right. Every "both" figure counts this.
     */
    public static boolean bothRight(Cell expected, int attributeOption, int subjectOption) {
        return ATTRIBUTE.isRight(expected, attributeOption) && SUBJECT.isRight(expected, subjectOption);
    }

    public static List<JudgeQuestion> both() {
        return List.of(ATTRIBUTE, SUBJECT);
    }
}
