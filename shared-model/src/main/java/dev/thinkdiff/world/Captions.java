package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import java.util.List;
import java.util.function.BiFunction;

/**
 * English captions of a cell in several phrasings per theme, always with the display words ("wireframe",
 * "amusement park"). Phrasing 0 is the plain noun phrase ("a green car") that models answer with.
 */
public final class Captions {

    private static final String[] BACKGROUND_PLACES = {
        "on the beach", "in the desert", "on a glacier", "near a volcano", "in an amusement park", "in a gym",
        "by a waterfall", "in space", "in a cave", "on the seafloor"
    };
    private static final String[] ACTION_PARTICIPLES = {
        "swimming", "sleeping", "singing", "running", "reading", "flying", "eating", "drinking", "crying",
        "looking angry"
    };
    private static final String[] ACTION_STATES = {
        "swimming", "asleep", "singing", "running", "reading a book", "flying", "eating", "drinking", "crying", "angry"
    };

    /** Phrasings per theme as (attribute word, subject word) → caption; every list starts with the plain phrase. */
    private static final List<BiFunction<Integer, Integer, String>> COLOR = List.of(
            (a, s) -> withArticle(word(Theme.COLOR, a) + " " + subject(Theme.COLOR, s)),
            (a, s) -> withArticle(subject(Theme.COLOR, s)) + " painted " + word(Theme.COLOR, a),
            (a, s) -> "a photo of " + withArticle(word(Theme.COLOR, a) + " " + subject(Theme.COLOR, s)),
            (a, s) -> withArticle(subject(Theme.COLOR, s)) + " that is " + word(Theme.COLOR, a));
    private static final List<BiFunction<Integer, Integer, String>> BACKGROUND = List.of(
            (a, s) -> withArticle(subject(Theme.BACKGROUND, s)) + " " + BACKGROUND_PLACES[a],
            (a, s) -> "a photo of " + withArticle(subject(Theme.BACKGROUND, s)) + " " + BACKGROUND_PLACES[a],
            (a, s) -> withArticle(word(Theme.BACKGROUND, a)) + " scene with " + withArticle(subject(Theme.BACKGROUND, s)),
            (a, s) -> withArticle(subject(Theme.BACKGROUND, s)) + " standing " + BACKGROUND_PLACES[a]);
    private static final List<BiFunction<Integer, Integer, String>> STYLE = List.of(
            (a, s) -> withArticle(word(Theme.STYLE, a) + " " + subject(Theme.STYLE, s)),
            (a, s) -> withArticle(subject(Theme.STYLE, s)) + " in " + word(Theme.STYLE, a) + " style",
            (a, s) -> withArticle(word(Theme.STYLE, a)) + " picture of " + withArticle(subject(Theme.STYLE, s)),
            (a, s) -> withArticle(subject(Theme.STYLE, s)) + " drawn in a " + word(Theme.STYLE, a) + " style");
    private static final List<BiFunction<Integer, Integer, String>> ACTION = List.of(
            (a, s) -> withArticle(subject(Theme.ACTION, s)) + " " + ACTION_PARTICIPLES[a],
            (a, s) -> "a photo of " + withArticle(subject(Theme.ACTION, s)) + " " + ACTION_PARTICIPLES[a],
            (a, s) -> withArticle(subject(Theme.ACTION, s)) + " that is " + ACTION_STATES[a],
            (a, s) -> "a picture of " + withArticle(subject(Theme.ACTION, s)) + " " + ACTION_PARTICIPLES[a]);
    private static final List<BiFunction<Integer, Integer, String>> TEXTURE = List.of(
            (a, s) -> withArticle(word(Theme.TEXTURE, a) + " " + subject(Theme.TEXTURE, s)),
            (a, s) -> withArticle(subject(Theme.TEXTURE, s)) + " made of " + word(Theme.TEXTURE, a),
            (a, s) -> "a photo of " + withArticle(subject(Theme.TEXTURE, s)) + " with a " + word(Theme.TEXTURE, a)
                    + " texture",
            (a, s) -> withArticle(word(Theme.TEXTURE, a) + " " + subject(Theme.TEXTURE, s)) + " on a plain background");

    private Captions() {
    }

    public static int phrasings(Theme theme) {
        return templates(theme).size();
    }

    public static String caption(Cell cell, int phrasing) {
        List<BiFunction<Integer, Integer, String>> templates = templates(cell.theme());
        if (phrasing < 0 || phrasing >= templates.size()) {
            throw new IllegalArgumentException("phrasing " + phrasing + " outside 0.." + (templates.size() - 1));
        }
        return templates.get(phrasing).apply(cell.attribute(), cell.subject());
    }

    /** The plain noun phrase ("a green car", "a dog in space"). */
    public static String caption(Cell cell) {
        return caption(cell, 0);
    }

    /** "a" or "an" by the first letter of the next word (enough for the world's vocabulary). */
    public static String withArticle(String phrase) {
        return ("aeiou".indexOf(Character.toLowerCase(phrase.charAt(0))) >= 0 ? "an " : "a ") + phrase;
    }

    private static String word(Theme theme, int attribute) {
        return theme.attributes().display(attribute);
    }

    private static String subject(Theme theme, int subject) {
        return theme.subjects().display(subject);
    }

    private static List<BiFunction<Integer, Integer, String>> templates(Theme theme) {
        return switch (theme) {
            case COLOR -> COLOR;
            case BACKGROUND -> BACKGROUND;
            case STYLE -> STYLE;
            case ACTION -> ACTION;
            case TEXTURE -> TEXTURE;
        };
    }
}
