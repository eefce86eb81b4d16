package dev.thinkdiff.cobsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JudgingTest {

    @Test
    void questionsListTheThemesOptionsInOrder() {
        assertEquals("What is the color of the main object in this image? Answer from the following options: "
                + "(1)yellow (2)white (3)red (4)purple (5)pink (6)orange (7)green (8)brown (9)blue (10)black",
                JudgeQuestion.ATTRIBUTE.text(Theme.COLOR));
        assertTrue(JudgeQuestion.SUBJECT.text(Theme.ACTION).startsWith(
                "What is the main object in this image? Answer from the following options: (1)zebra (2)tiger"));
        assertTrue(JudgeQuestion.ATTRIBUTE.text(Theme.STYLE).contains("(9)wireframe (10)old"));
        assertTrue(JudgeQuestion.ATTRIBUTE.text(Theme.BACKGROUND).contains("(5)amusement park"));
    }

    @Test
    void textualAndVisualFollowTheTaskType() {
        Cell greenCar = new Cell(Theme.COLOR, 4, 6);
        Judgement wrongColour = Judgement.of(Task.COLOR_I, greenCar, 3, 5);
        assertFalse(wrongColour.textual());
        assertTrue(wrongColour.visual());
        assertFalse(wrongColour.correct());
        Judgement wrongColourTypeTwo = Judgement.of(Task.COLOR_II, greenCar, 3, 5);
        assertTrue(wrongColourTypeTwo.textual());
        assertFalse(wrongColourTypeTwo.visual());
        assertTrue(Judgement.of(Task.COLOR_I, greenCar, 7, 5).correct());
        assertFalse(Judgement.missing(Task.COLOR_I, greenCar).correct());
        assertFalse(Judgement.of(Task.COLOR_I, greenCar, 11, 5).correct());
    }

    @Test
    void bothRightIsTheOneRuleEveryVerdictCounts() {
        Cell greenCar = new Cell(Theme.COLOR, 4, 6);
        assertTrue(JudgeQuestion.bothRight(greenCar, 7, 5));
        assertFalse(JudgeQuestion.bothRight(greenCar, 7, 4));
        assertFalse(JudgeQuestion.bothRight(greenCar, 3, 5));
        assertFalse(JudgeQuestion.bothRight(greenCar, 0, 0));
        for (Task task : Task.values()) {
            for (int attribute = 0; attribute <= 11; attribute++) {
                for (int subject = 0; subject <= 11; subject++) {
                    Judgement verdict = Judgement.of(task, greenCar, attribute, subject);
                    assertEquals(verdict.textual() && verdict.visual(), verdict.correct());
                    assertEquals(JudgeQuestion.bothRight(greenCar, attribute, subject), verdict.correct());
                }
            }
        }
    }

    @Test
    void tableHasThePapersColumnsAndAverages() {
        AccuracyTable table = new AccuracyTable();
        Cell cell = new Cell(Theme.COLOR, 0, 0);
        table.add(2, Judgement.of(Task.COLOR_I, cell, 1, 1));
        table.add(2, Judgement.of(Task.COLOR_I, cell, 2, 1));
        table.add(2, Judgement.of(Task.COLOR_II, cell, 1, 1));
        AccuracyTable other = new AccuracyTable();
        other.add(4, Judgement.missing(Task.TEXTURE_II, new Cell(Theme.TEXTURE, 0, 0)));
        table.addAll(other);
        assertEquals(0.5, table.value(2, Task.COLOR_I, AccuracyTable.Metric.BOTH));
        assertEquals(1.0, table.value(2, Task.COLOR_I, AccuracyTable.Metric.VISUAL));
        assertEquals(0.75, table.average(2, AccuracyTable.Metric.BOTH));
        String formatted = table.format(AccuracyTable.Metric.BOTH);
        assertTrue(formatted.startsWith("| shots | C-I | B-I | S-I | A-I | T-I | C-II | B-II | S-II | A-II | T-II | avg |"),
                formatted);
        assertTrue(formatted.contains("| 2 | 0.500 | - | - | - | - | 1.000 | - | - | - | - | 0.750 |"), formatted);
        assertTrue(formatted.contains("| 4 | - | - | - | - | - | - | - | - | - | 0.000 | 0.000 |"), formatted);
    }
}
