package dev.thinkdiff.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    @Test
    void plainPhraseNamesAttributeAndSubject() {
        assertEquals("a green car", Captions.caption(new Cell(Theme.COLOR, 4, 6)));
        assertEquals("an orange apple", Captions.caption(new Cell(Theme.COLOR, 9, 5)));
        assertEquals("a wireframe car", Captions.caption(new Cell(Theme.STYLE, 4, 8)));
        assertEquals("a zebra in an amusement park", Captions.caption(new Cell(Theme.BACKGROUND, 0, 4)));
        assertEquals("a cat flying", Captions.caption(new Cell(Theme.ACTION, 8, 5)));
        assertEquals("a denim hat", Captions.caption(new Cell(Theme.TEXTURE, 1, 8)));
    }

    @Test
    void everyThemeHasAtLeastThreeDistinctPhrasingsThatNameBothWords() {
        for (Theme theme : Theme.values()) {
            assertTrue(Captions.phrasings(theme) >= 3, theme.toString());
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    Cell cell = new Cell(theme, subject, attribute);
                    Set<String> distinct = new HashSet<>();
                    for (int p = 0; p < Captions.phrasings(theme); p++) {
                        String caption = Captions.caption(cell, p);
                        distinct.add(caption);
                        assertTrue(caption.contains(theme.subjects().display(subject)), caption);
                        assertTrue(!caption.contains(" 3d ") && !caption.matches(".*\\bpark\\b.*")
                                || caption.contains("amusement park"), caption);
                    }
                    assertEquals(Captions.phrasings(theme), distinct.size(), cell.toString());
                }
            }
        }
    }
}
