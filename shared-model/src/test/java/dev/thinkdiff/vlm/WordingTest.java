package dev.thinkdiff.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.text.Vocabulary;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordingTest {

    private static final Function<Cell, int[]> BLANK = cell -> new int[VlmItem.PIXELS];

    private static MiniLmTokenizer miniLm;
    private static VlmTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        DjlRuntime.configure();
        miniLm = MiniLmTokenizer.load();
        tokenizer = new VlmTokenizer(miniLm, Vocabulary.ofWorld(miniLm), VlmConfig.defaults().imageTokens());
    }

    @AfterAll
    static void closeTokenizer() {
        miniLm.close();
    }

    @Test
    void theBenchmarkFamilyIsTheBenchmarksWordingExactly() {
        for (Task task : Task.values()) {
            Episode episode = Episode.of(task, 4, 17);
            Wording wording = WordingFamily.BENCHMARK.forEpisode(episode);
            assertEquals(texts(VlmPrompts.episode(episode, BLANK, VlmPrompts.EPISODE_INSTRUCTION)),
                    texts(wording.episode(episode, BLANK)));
        }
        Wording caption = WordingFamily.BENCHMARK.forCaption(3);
        assertEquals(texts(VlmPrompts.caption(new int[VlmItem.PIXELS], VlmPrompts.CAPTION_INSTRUCTION, true)),
                texts(caption.caption(new int[VlmItem.PIXELS])));
        assertTrue(caption.imageFirst());
    }

    @Test
    void heldOutFamiliesShareNoInstructionLabelOrSeparatorWithTraining() {
        List<WordingFamily> seen = new java.util.ArrayList<>(WordingFamily.training());
        seen.add(WordingFamily.BENCHMARK);
        Set<Object> trained = parts(seen);
        List<WordingFamily> heldOut = Arrays.stream(WordingFamily.values()).filter(WordingFamily::heldOut).toList();
        assertEquals(2, heldOut.size());
        Set<Object> overlap = parts(heldOut);
        overlap.retainAll(trained);
        assertEquals(Set.of(), overlap);
        assertTrue(WordingFamily.training().stream().noneMatch(WordingFamily::heldOut));
    }

    /** The instructions, labels, separators and caption instructions a family's wordings use (none: not counted). */
    private static Set<Object> parts(List<WordingFamily> families) {
        Set<Object> parts = new HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (WordingFamily family : families) {
            for (int i = 0; i < 2000; i++) {
                Wording wording = family.sample(random);
                if (wording.instruction() != null) {
                    parts.add("instruction " + wording.instruction());
                }
                parts.add(wording.label());
                parts.add("separator [" + wording.separator() + "]");
                parts.add("caption " + wording.captionInstruction());
            }
        }
        return parts;
    }

    @Test
    void everyWordingOfTheLongestEpisodeFitsTheVlm() {
        Episode longest = Episode.of(Task.ACTION_II, 5, 0, dev.thinkdiff.cobsat.PromptSplit.DEFAULT);
        Episode training = new Episode(Task.ACTION_II, null, -1, List.of(0, 1, 2, 3, 4, 5, 6, 7), 8, 0);
        String answer = TextCorpus.answer(training.expected());
        SplittableRandom random = new SplittableRandom(2);
        int max = 0;
        for (WordingFamily family : WordingFamily.values()) {
            for (int i = 0; i < 300; i++) {
                Wording wording = family.sample(random);
                for (Episode episode : List.of(longest, training)) {
                    max = Math.max(max, tokenizer.withAnswer(wording.episode(episode, BLANK), answer).tokens().length);
                }
            }
        }
        assertTrue(max <= VlmConfig.defaults().maxPositions(), "longest sequence " + max);
    }

    @Test
    void letterCaseAndWhitespaceAreNotTokensButUnknownPiecesAre() {
        Episode episode = Episode.of(Task.COLOR_I, 2, 5);
        Wording lower = new Wording("what is the next picture?", Wording.Label.NUMBER_DOT, "\n",
                Wording.LetterCase.LOWER, VlmPrompts.CAPTION_INSTRUCTION, true);
        Wording title = new Wording("what is the next picture?", Wording.Label.NUMBER_DOT, "\n\n",
                Wording.LetterCase.TITLE, VlmPrompts.CAPTION_INSTRUCTION, true);
        assertArrayEquals(tokenizer.prompt(lower.episode(episode, BLANK)).tokens(),
                tokenizer.prompt(title.episode(episode, BLANK)).tokens());
        Wording piped = new Wording(null, Wording.Label.WORD_EQUALS, " | ", Wording.LetterCase.UPPER,
                VlmPrompts.CAPTION_INSTRUCTION, true);
        int[] tokens = tokenizer.prompt(piped.episode(episode, BLANK)).tokens();
        int unknown = tokenizer.vocabulary().unknownIndex();
        assertEquals(5, Arrays.stream(tokens).filter(t -> t == unknown).count(), "= three times, | twice");
        assertNotEquals(texts(lower.episode(episode, BLANK)), texts(title.episode(episode, BLANK)));
    }

    @Test
    void evaluationWordingsAreAFunctionOfTheEpisode() {
        Episode episode = Episode.of(Task.STYLE_II, 2, 9);
        for (WordingFamily family : WordingFamily.values()) {
            assertEquals(family.forEpisode(episode), family.forEpisode(Episode.of(Task.STYLE_II, 2, 9)));
            assertEquals(family, WordingFamily.byId(family.id()));
        }
        Set<Wording> distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> WordingFamily.HELD_OUT_KEYED.forEpisode(Episode.of(Task.STYLE_II, 2, i)))
                .collect(Collectors.toSet());
        assertTrue(distinct.size() > 10, distinct.size() + " distinct wordings");
    }

    private static List<String> texts(List<VlmItem> items) {
        return items.stream().map(item -> item instanceof VlmItem.Text text ? text.text() : "[image]").toList();
    }
}
