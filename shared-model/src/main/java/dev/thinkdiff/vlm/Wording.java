package dev.thinkdiff.vlm;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One way of wording a prompt around its images, for in-context episodes and captioning alike: the instruction before
 * an episode (or none), the label in front of each text item's word, what separates an image from the next text item,
 * the letter case, and the captioning instruction with its side of the image. The words themselves (the benchmark's
 * x values) and the answer's phrasing never change; the VLM reads the wording, nothing rewrites it. Families of
 * wordings, the benchmark's among them, are {@link WordingFamily}.
 *
 * @param instruction text before an episode's first item, or null for none
 * @param separator put before every text item that follows an image ("" in the benchmark)
 * @param imageFirst whether a caption prompt shows the image before its instruction
 */
public record Wording(String instruction, Label label, String separator, LetterCase letterCase,
                      String captionInstruction, boolean imageFirst) {

    /** The label around a text item's word; {@code position} counts text items from 1. */
    public enum Label {
        /** The benchmark's {@code "green: "}. */
        COLON("%w: "),
        BARE("%w "),
        WORD_KEY("word: %w "),
        WORD_NUMBER("word %n: %w "),
        NUMBER_DOT("%n. %w "),
        NUMBER_COLON("%n: %w "),
        /** A key outside the VLM's vocabulary (read as [UNK]). */
        LABEL_KEY("label: %w "),
        NUMBER_PARENTHESIS("%n) %w "),
        ITEM_NUMBER("item %n: %w "),
        WORD_EQUALS("word = %w "),
        TEXT_KEY("text: %w ");

        private final String pattern;

        Label(String pattern) {
            this.pattern = pattern;
        }

        String around(String word, int position) {
            return pattern.replace("%n", Integer.toString(position)).replace("%w", word);
        }
    }

    /** Letter case of every text; MiniLM's tokenizer is uncased, so the VLM sees the same tokens in every case. */
    public enum LetterCase {
        LOWER, UPPER, TITLE, SENTENCE;

        String apply(String text) {
            return switch (this) {
                case LOWER -> text;
                case UPPER -> text.toUpperCase(Locale.ROOT);
                case TITLE -> capitalised(text, true);
                case SENTENCE -> capitalised(text, false);
            };
        }

        private static String capitalised(String text, boolean everyWord) {
            StringBuilder out = new StringBuilder(text.length());
            boolean start = true;
            for (char c : text.toCharArray()) {
                out.append(start && Character.isLetter(c) ? Character.toUpperCase(c) : c);
                if (Character.isLetter(c)) {
                    start = false;
                } else if (everyWord && Character.isWhitespace(c)) {
                    start = true;
                }
            }
            return out.toString();
        }
    }

    /** An episode's interleaved prompt in this wording, each demo image from {@code images}. */
    public List<VlmItem> episode(Episode episode, Function<Cell, int[]> images) {
        List<VlmItem> items = new ArrayList<>();
        if (instruction != null) {
            items.add(VlmItem.text(letterCase.apply(instruction)));
        }
        String separation = "";
        for (int j = 0; j <= episode.shots(); j++) {
            int x = j < episode.shots() ? episode.demoX().get(j) : episode.queryX();
            String word = episode.task().xList().display(x);
            items.add(VlmItem.text(letterCase.apply(separation + label.around(word, j + 1))));
            if (j < episode.shots()) {
                items.add(VlmItem.image(images.apply(episode.demoCell(j))));
                separation = separator;
            }
        }
        return items;
    }

    /** A captioning prompt in this wording. */
    public List<VlmItem> caption(int[] rgb) {
        return VlmPrompts.caption(rgb, letterCase.apply(captionInstruction), imageFirst);
    }
}
