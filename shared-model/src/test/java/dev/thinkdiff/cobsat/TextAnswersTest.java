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
