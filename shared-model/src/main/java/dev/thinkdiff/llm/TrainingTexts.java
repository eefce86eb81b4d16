package dev.thinkdiff.llm;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.Captions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The decoder's training texts by source, each as (encoder input, decoder target) pairs: reconstruction pairs
 * (input = target) and continuation pairs (a text split at a random word: prefix → rest). Held-out captions
 * ({@link LlmDecoderEvaluation#heldOutCaptions}) never appear, not even as corpus sentences equal to them.
 */
record TrainingTexts(List<TextPair> corpus, List<TextPair> captions, List<TextPair> answers) {

    /** What the encoder reads and what the decoder must write; {@code continuation} if target ≠ input. */
    record TextPair(String input, String target, boolean continuation) {
    }

    private static final long POOL_STREAM = 2;
    /** Sentences drawn per distinct corpus sentence wanted before giving up (the corpus is finite). */
    private static final int CORPUS_ATTEMPTS_PER_TEXT = 50;

    TrainingTexts {
        corpus = List.copyOf(corpus);
        captions = List.copyOf(captions);
        answers = List.copyOf(answers);
    }

    /** The full pool: every training caption phrasing and VLM answer, plus {@code corpusTexts} corpus sentences. */
    static TrainingTexts of(LlmDecoderConfig config) {
        Set<String> heldOut = new HashSet<>(LlmDecoderEvaluation.heldOutCaptions(config.heldOutCellsPerTheme()));
        SplittableRandom random = new SplittableRandom(Seeds.mix(config.seed(), POOL_STREAM));
        List<String> captionTexts = new ArrayList<>();
        List<String> answerTexts = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    Cell cell = new Cell(theme, subject, attribute);
                    for (int phrasing = 0; phrasing < Captions.phrasings(theme); phrasing++) {
                        captionTexts.add(Captions.caption(cell, phrasing));
                    }
                    answerTexts.add(TextCorpus.answer(cell));
                }
            }
        }
        captionTexts.removeAll(heldOut);
        Set<String> corpusTexts = new LinkedHashSet<>();
        long attempts = (long) CORPUS_ATTEMPTS_PER_TEXT * config.corpusTexts();
        for (long i = 0; i < attempts && corpusTexts.size() < config.corpusTexts(); i++) {
            String sentence = TextCorpus.sentence(random);
            if (!heldOut.contains(sentence)) {
                corpusTexts.add(sentence);
            }
        }
        return new TrainingTexts(pairs(corpusTexts, random), pairs(captionTexts, random), pairs(answerTexts, random));
    }

    /** Reconstruction pairs only, all from one list of captions: for small experiments and tests. */
    static TrainingTexts captionsOnly(List<String> captions) {
        return new TrainingTexts(List.of(), captions.stream().map(c -> new TextPair(c, c, false)).toList(), List.of());
    }

    /** Each text once as reconstruction, and once split at a random word into prefix → continuation. */
    private static List<TextPair> pairs(Iterable<String> texts, SplittableRandom random) {
        List<TextPair> pairs = new ArrayList<>();
        for (String text : texts) {
            pairs.add(new TextPair(text, text, false));
            String[] words = text.split(" ");
            if (words.length >= 2) {
                int split = 1 + random.nextInt(words.length - 1);
                pairs.add(new TextPair(String.join(" ", Arrays.copyOfRange(words, 0, split)),
                        String.join(" ", Arrays.copyOfRange(words, split, words.length)), true));
            }
        }
        return pairs;
    }
}
