package dev.thinkdiff.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.EditPhrases;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClipEvaluationTest {

    @Test
    void aPhraseNamesTheNewAttributeInSeveralWordings() {
        SplittableRandom random = new SplittableRandom(1);
        for (Theme theme : Theme.values()) {
            Set<String> wordings = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                int attribute = random.nextInt(ItemList.SIZE);
                String phrase = ClipEvaluation.phrase(theme, attribute, random);
                assertTrue(phrase.endsWith(theme.attributes().display(attribute))
                        || phrase.contains(theme.attributes().display(attribute) + " "), phrase);
                wordings.add(phrase.replace(theme.attributes().display(attribute), "_"));
            }
            assertTrue(wordings.size() >= 3, theme + ": " + wordings);
        }
    }

    /** The drawing model trains on edit phrases; the evaluation asks in other wordings, held out from it. */
    @Test
    void theDrawingModelsCompositionWordingsAreNotTheEvaluations() {
        SplittableRandom random = new SplittableRandom(2);
        for (Theme theme : Theme.values()) {
            String word = theme.attributes().display(0);
            Set<String> evaluated = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                evaluated.add(ClipEvaluation.phrase(theme, 0, random).replace(word, "_"));
            }
            Set<String> evaluatedRoles = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                evaluatedRoles.add(ClipEvaluation.roles(theme, random.nextBoolean(), random));
            }
            for (int w = 0; w < EditPhrases.WORDINGS; w++) {
                String trained = EditPhrases.phrase(theme, 0, w).replace(word, "_");
                assertTrue(trained.contains("_"), trained);
                assertFalse(evaluated.contains(trained), theme + ": " + trained + " is an evaluation wording");
                for (boolean subjectFromFirst : new boolean[] {true, false}) {
                    String roles = EditPhrases.roles(theme, subjectFromFirst, w);
                    assertFalse(evaluatedRoles.contains(roles), roles + " is an evaluation wording");
                }
            }
        }
    }

    /** The two-image phrase says which image gives which kind of item, never an item: only the images name them. */
    @Test
    void theRolePhraseNamesKindsNotItems() {
        SplittableRandom random = new SplittableRandom(2);
        for (Theme theme : Theme.values()) {
            for (boolean subjectFromFirst : List.of(true, false)) {
                String phrase = ClipEvaluation.roles(theme, subjectFromFirst, random);
                String first = subjectFromFirst ? theme.subjects().id() : theme.attributes().id();
                assertTrue(phrase.indexOf(first) < phrase.indexOf(subjectFromFirst ? theme.attributes().id()
                        : theme.subjects().id()), phrase);
                for (int i = 0; i < ItemList.SIZE; i++) {
                    assertFalse(List.of(phrase.split(" ")).contains(theme.subjects().display(i)), phrase);
                    assertFalse(List.of(phrase.split(" ")).contains(theme.attributes().display(i)), phrase);
                }
            }
        }
    }
}
