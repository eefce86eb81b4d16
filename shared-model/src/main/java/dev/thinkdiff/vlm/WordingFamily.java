package dev.thinkdiff.vlm;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.vlm.Wording.Label;
import dev.thinkdiff.vlm.Wording.LetterCase;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The space of wordings the VLM must read, as families: each draws its instruction, label, separator, letter case and
 * captioning instruction uniformly from its own lists. {@link #BENCHMARK} is the benchmark's wording exactly; three
 * families are trained on ({@link #training()}); the held-out families use instructions, labels, separators and a
 * letter case that no training family contains, and nothing is tuned on them.
 *
 * <p>The VLM reads text through MiniLM's uncased WordPiece tokenizer restricted to its fixed vocabulary: letter case
 * and whitespace (spaces, newlines, blank lines) are not tokens, so they reach the VLM as nothing; a word piece outside
 * the vocabulary ("write", "=", "|", ")") reaches it as [UNK]. The training families contain [UNK] only in labels
 * ({@link Label#LABEL_KEY}) and a few instructions, never as separators.
 */
public enum WordingFamily {

    BENCHMARK("benchmark", false, List.of(VlmPrompts.EPISODE_INSTRUCTION), List.of(Label.COLON), List.of(""),
            List.of(LetterCase.LOWER), List.of(VlmPrompts.CAPTION_INSTRUCTION), List.of(true)),
    PLAIN("plain", false, Arrays.asList((String) null), List.of(Label.BARE, Label.COLON), List.of("", "\n"),
            List.of(LetterCase.LOWER, LetterCase.UPPER), VlmPrompts.CAPTION_INSTRUCTIONS, List.of(true, false)),
    TASK_NUMBERED("task-numbered", false, Instructions.TASK, List.of(Label.NUMBER_DOT, Label.NUMBER_COLON,
            Label.WORD_NUMBER), List.of("\n", ". ", ""), List.of(LetterCase.LOWER, LetterCase.SENTENCE),
            VlmPrompts.CAPTION_INSTRUCTIONS, List.of(true, false)),
    REQUEST_KEYED("request-keyed", false, Instructions.REQUEST, List.of(Label.WORD_KEY, Label.LABEL_KEY,
            Label.COLON), List.of(", ", "\n", ""), List.of(LetterCase.LOWER, LetterCase.UPPER, LetterCase.SENTENCE),
            VlmPrompts.CAPTION_INSTRUCTIONS, List.of(true, false)),
    /** The wording of the report: a task sentence, numbered labels, blank lines between items. */
    HELD_OUT_NUMBERED("held-out-numbered", true, Instructions.HELD_OUT_TASK, List.of(Label.NUMBER_PARENTHESIS,
            Label.ITEM_NUMBER), List.of("\n\n"), List.of(LetterCase.TITLE, LetterCase.LOWER),
            Instructions.HELD_OUT_CAPTION, List.of(true, false)),
    HELD_OUT_KEYED("held-out-keyed", true, Instructions.HELD_OUT_REQUEST, List.of(Label.WORD_EQUALS,
            Label.TEXT_KEY), List.of("; ", " | ", " - "), List.of(LetterCase.TITLE, LetterCase.UPPER),
            Instructions.HELD_OUT_CAPTION, List.of(true, false));

    private final String id;
    private final boolean heldOut;
    private final List<String> instructions;
    private final List<Label> labels;
    private final List<String> separators;
    private final List<LetterCase> cases;
    private final List<String> captionInstructions;
    private final List<Boolean> imageFirst;

    WordingFamily(String id, boolean heldOut, List<String> instructions, List<Label> labels, List<String> separators,
            List<LetterCase> cases, List<String> captionInstructions, List<Boolean> imageFirst) {
        this.id = id;
        this.heldOut = heldOut;
        this.instructions = instructions;
        this.labels = labels;
        this.separators = separators;
        this.cases = cases;
        this.captionInstructions = captionInstructions;
        this.imageFirst = imageFirst;
    }

    public String id() {
        return id;
    }

    /** Whether the family is kept out of training (and of every choice of settings). */
    public boolean heldOut() {
        return heldOut;
    }

    /** One wording of this family; the same random state always gives the same wording. */
    public Wording sample(SplittableRandom random) {
        return new Wording(pick(random, instructions), pick(random, labels), pick(random, separators),
                pick(random, cases), pick(random, captionInstructions), pick(random, imageFirst));
    }

    /** The wording an evaluation gives this episode: a function of (family, task, shots, prompt index). */
    public Wording forEpisode(Episode episode) {
        long seed = Seeds.mix(Seeds.mix(Seeds.mix(ordinal(), episode.task().ordinal()), episode.shots()),
                episode.promptIndex());
        return sample(new SplittableRandom(seed));
    }

    /** The wording an evaluation gives caption {@code index}. */
    public Wording forCaption(long index) {
        return sample(new SplittableRandom(Seeds.mix(Seeds.mix(ordinal(), -1), index)));
    }

    /** The families training draws from besides the benchmark's wording. */
    public static List<WordingFamily> training() {
        return Arrays.stream(values()).filter(f -> !f.heldOut && f != BENCHMARK).toList();
    }

    public static WordingFamily byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown wording family '" + id + "'; known: "
                        + Arrays.stream(values()).map(WordingFamily::id).toList()));
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static final class Instructions {

        static final List<String> TASK = List.of(
                "analyse the pattern of the texts and images and decide what the next picture is.",
                "decide what the next picture is.",
                "the texts and images show a pattern. what is the next picture?",
                "what is the next picture?");
        static final List<String> REQUEST = List.of(
                VlmPrompts.EPISODE_INSTRUCTION,
                "give me a detailed diffusion prompt for the next picture",
                "then give me a detailed diffusion prompt to generate the next picture. start the answer with"
                        + " create an image",
                "generate a prompt for the next picture.",
                "please draw the next picture",
                "the next picture is");
        static final List<String> HELD_OUT_TASK = List.of(
                "find the rule linking each word to its picture, and say what picture comes next.",
                "each word is shown with an image. which image should follow the last word?",
                "look at the words and the images: they follow a pattern. what picture comes next?");
        static final List<String> HELD_OUT_REQUEST = Arrays.asList(
                "write a prompt that would draw the picture for the last word.",
                "please make a detailed prompt to create the next image.",
                "continue the sequence: write the diffusion prompt for the final picture.",
                null);
        static final List<String> HELD_OUT_CAPTION = List.of(
                "write a prompt that can draw this picture",
                "what does this photo show?",
                "please describe the picture.",
                "make a prompt for this image:");

        private Instructions() {
        }
    }
}
