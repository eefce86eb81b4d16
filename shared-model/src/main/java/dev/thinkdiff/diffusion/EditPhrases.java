package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Theme;
import java.util.List;

/**
 * The drawing model's own composition data: short phrases that ask for another attribute of a theme ("change the
 * color to blue", "now at the beach"; a description followed by one draws the description's subject with the
 * phrase's attribute, {@link DiffusionConfig#editProbability}), and phrases that say which of two descriptions gives
 * the subject and which the attribute, by kind, never by item ("object from the first, color from the second",
 * {@link DiffusionConfig#pairProbability}). The wordings are disjoint from the ones ThinkDiff-CLIP's evaluation asks
 * with ({@code ClipEvaluation.phrase}: the bare word, "make it red", "on the beach", …; {@code ClipEvaluation.roles}),
 * which stay held out from every training run.
 */
public final class EditPhrases {

    /** Wordings per theme. */
    public static final int WORDINGS = 4;

    private EditPhrases() {
    }

    /** Wording {@code wording} of "change the theme's attribute to {@code attribute}". */
    public static String phrase(Theme theme, int attribute, int wording) {
        String w = theme.attributes().display(attribute);
        List<String> wordings = switch (theme) {
            case COLOR -> List.of("now " + w, "change the color to " + w, "turn it " + w, "but " + w);
            case BACKGROUND -> List.of("now at the " + w, "change the background to the " + w,
                    "place it at the " + w, "but with the " + w + " behind it");
            case STYLE -> List.of("now " + w, "change the style to " + w, "as " + w + " art", "but " + w);
            case ACTION -> List.of("now " + w, "change the action to " + w, "have it " + w, "but " + w);
            case TEXTURE -> List.of("now " + w, "change the texture to " + w, "covered in " + w, "but " + w);
        };
        return wordings.get(wording);
    }

    /** Wording {@code wording} of "the subject from one description, the attribute from the other". */
    public static String roles(Theme theme, boolean subjectFromFirst, int wording) {
        String subject = theme.subjects().id();
        String attribute = theme.attributes().id();
        String first = subjectFromFirst ? subject : attribute;
        String second = subjectFromFirst ? attribute : subject;
        return List.of(first + " from the first, " + second + " from the second",
                "use the " + first + " of the first one and the " + second + " of the second one",
                "keep the " + first + " of the first and the " + second + " of the second",
                "the first gives the " + first + ", the second gives the " + second).get(wording);
    }
}
