package dev.thinkdiff.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.Captions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static MiniLmTokenizer tokenizer;
    private static Vocabulary vocabulary;

    @BeforeAll
    static void build() {
        tokenizer = MiniLmTokenizer.load();
        vocabulary = Vocabulary.ofWorld(tokenizer);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void everyCaptionPhrasingOfEveryCellRoundTrips() {
        List<String> texts = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    Cell cell = new Cell(theme, subject, attribute);
                    for (int phrasing = 0; phrasing < Captions.phrasings(theme); phrasing++) {
                        texts.add(Captions.caption(cell, phrasing));
                    }
                    texts.add(TextCorpus.answer(cell));
                }
            }
        }
        texts.addAll(TextCorpus.INSTRUCTIONS);
        SplittableRandom random = new SplittableRandom(99); // another sample than the vocabulary's own
        for (int i = 0; i < 2000; i++) {
            texts.add(TextCorpus.sentence(random));
        }
        for (String text : texts) {
            int[] indices = vocabulary.encode(tokenizer, text);
            for (int index : indices) {
                assertTrue(index != vocabulary.unknownIndex(), text + " has a word piece outside the vocabulary");
            }
            assertEquals(text, vocabulary.decode(indices));
        }
    }

    @Test
    void isCompactSortedByMiniLmIdAndSurvivesItsFile(@TempDir Path dir) throws Exception {
        assertTrue(vocabulary.size() < 400, vocabulary.size() + " entries");
        assertEquals(0, vocabulary.padIndex());
        assertEquals(MiniLmTokenizer.SEP, vocabulary.miniLmId(vocabulary.endIndex()));
        for (int i = 1; i < vocabulary.size(); i++) {
            assertTrue(vocabulary.miniLmId(i) > vocabulary.miniLmId(i - 1));
        }
        Path file = dir.resolve(Vocabulary.FILE_NAME);
        vocabulary.write(file);
        Vocabulary read = Vocabulary.read(file);
        assertEquals(vocabulary.size(), read.size());
        int[] indices = vocabulary.encode(tokenizer, "a sequined zebra in watercolor style");
        assertEquals("a sequined zebra in watercolor style", read.decode(indices));
        assertEquals(vocabulary.unknownIndex(), vocabulary.index(30_000)); // a rare piece outside the world's text
    }
}
