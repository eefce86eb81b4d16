package dev.thinkdiff.cobsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextAnswersTest {

    private final Cell orangeCar = new Cell(Theme.COLOR, 4, 5);

    @Test
    void aPlainAnswerNamesBothOptions() {
        Judgement judgement = TextAnswers.judge("Create an image of an orange car.", Task.COLOR_I, orangeCar);
        assertTrue(judgement.correct());
        assertEquals(6, judgement.attributeAnswer());
        assertEquals(5, judgement.subjectAnswer());
    }

    @Test
    void namingSeveralOptionsOrNoneIsWrong() {
        Judgement several = TextAnswers.judge("an orange or red car", Task.COLOR_I, orangeCar);
        assertEquals(0, several.attributeAnswer());
        assertFalse(several.textual());
        assertTrue(several.visual());
        assertEquals(0, TextAnswers.option("a shiny vehicle", Theme.COLOR, JudgeQuestion.SUBJECT));
    }

    @Test
    void actionsCountInTheFormsASentencePutsThemIn() {
        for (int cell = 0; cell < 100; cell++) {
            Cell acting = new Cell(Theme.ACTION, cell / 10, cell % 10);
            for (int phrasing = 0; phrasing < dev.thinkdiff.world.Captions.phrasings(Theme.ACTION); phrasing++) {
                String caption = dev.thinkdiff.world.Captions.caption(acting, phrasing);
                assertTrue(TextAnswers.judge(caption, Task.ACTION_I, acting).correct(), caption);
            }
        }
        assertEquals(2, TextAnswers.option("a dog that is asleep", Theme.ACTION, JudgeQuestion.ATTRIBUTE));
        assertEquals(0, TextAnswers.option("a dog running and eating", Theme.ACTION, JudgeQuestion.ATTRIBUTE));
    }

    @Test
    void everyCaptionOfEveryCellIsScoredCorrect() {
        for (Theme theme : Theme.values()) {
            Task task = java.util.Arrays.stream(Task.values()).filter(t -> t.theme() == theme).findFirst().get();
            for (int cell = 0; cell < 100; cell++) {
                Cell expected = new Cell(theme, cell / 10, cell % 10);
                for (int p = 0; p < dev.thinkdiff.world.Captions.phrasings(theme); p++) {
                    String caption = dev.thinkdiff.world.Captions.caption(expected, p);
                    assertTrue(TextAnswers.judge(caption, task, expected).correct(), caption);
                }
            }
        }
    }

    @Test
    void wordsMatchWholeAndDisplayWordsCount() {
        assertEquals(0, TextAnswers.option("a cartoon scatter", Theme.ACTION, JudgeQuestion.SUBJECT));
        assertEquals(9, TextAnswers.option("A CAT that is flying", Theme.ACTION, JudgeQuestion.SUBJECT));
        int wireframe = ItemList.STYLE.indexOf("3d") + 1;
        assertEquals(wireframe, TextAnswers.option("a wireframe car", Theme.STYLE, JudgeQuestion.ATTRIBUTE));
        assertEquals(wireframe, TextAnswers.option("a 3d car", Theme.STYLE, JudgeQuestion.ATTRIBUTE));
        int park = ItemList.BACKGROUND.indexOf("park") + 1;
        assertEquals(park, TextAnswers.option("a dog in an amusement park", Theme.BACKGROUND, JudgeQuestion.ATTRIBUTE));
        assertEquals(0, TextAnswers.option("a golden car", Theme.STYLE, JudgeQuestion.ATTRIBUTE));
    }
}
