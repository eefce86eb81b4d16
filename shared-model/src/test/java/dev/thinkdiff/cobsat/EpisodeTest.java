package dev.thinkdiff.cobsat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodeTest {

    @Test
    void workedExamplePromptZeroColorOneTwoShots() {
        Episode episode = Episode.of(Task.COLOR_I, 2, 0);
        assertEquals(List.of(
                new Episode.Text("blue: "), new Episode.Image(new Cell(Theme.COLOR, 4, 8)),
                new Episode.Text("brown: "), new Episode.Image(new Cell(Theme.COLOR, 4, 7)),
                new Episode.Text("orange: ")), episode.items());
        assertEquals(new Cell(Theme.COLOR, ItemList.OBJECT.indexOf("car"), ItemList.COLOR.indexOf("orange")),
                episode.expected());
        assertEquals("color_car/orange_car.png", episode.expected().datasetPath());
    }

    @Test
    void thetaComesFromIndexShotsPlusOne() {
        PromptSplit.Prompt prompt = PromptSplit.DEFAULT.prompt(0);
        Episode fourShot = Episode.of(Task.COLOR_II, 4, 0);
        assertEquals(prompt.theta_list().get(5), fourShot.theta());
        assertEquals(prompt.x_list().subList(0, 4), fourShot.demoX());
        assertEquals(prompt.x_list().get(4), fourShot.queryX());
        assertEquals(prompt.theta_list().get(3), Episode.of(Task.COLOR_II, 2, 0).theta());
        // Color-II: text names objects, θ is a colour shared by the demos
        Cell expected = fourShot.expected();
        assertEquals(fourShot.queryX(), expected.subject());
        assertEquals(fourShot.theta(), expected.attribute());
    }

    @Test
    void everyTaskHasTheBenchmarksLists() {
        Object[][] expected = {
            {Task.COLOR_I, ItemList.COLOR, ItemList.OBJECT}, {Task.COLOR_II, ItemList.OBJECT, ItemList.COLOR},
            {Task.BACKGROUND_I, ItemList.BACKGROUND, ItemList.ANIMAL},
            {Task.BACKGROUND_II, ItemList.ANIMAL, ItemList.BACKGROUND},
            {Task.STYLE_I, ItemList.STYLE, ItemList.OBJECT}, {Task.STYLE_II, ItemList.OBJECT, ItemList.STYLE},
            {Task.ACTION_I, ItemList.ACTION, ItemList.ANIMAL}, {Task.ACTION_II, ItemList.ANIMAL, ItemList.ACTION},
            {Task.TEXTURE_I, ItemList.TEXTURE, ItemList.OBJECT}, {Task.TEXTURE_II, ItemList.OBJECT, ItemList.TEXTURE},
        };
        for (Object[] row : expected) {
            Task task = (Task) row[0];
            assertEquals(row[1], task.xList(), task + " x list");
            assertEquals(row[2], task.thetaList(), task + " θ list");
            assertEquals(task, Task.byId(task.id()));
        }
        assertEquals(List.of("yellow", "white", "red", "purple", "pink", "orange", "green", "brown", "blue", "black"),
                ItemList.COLOR.items());
        assertEquals(List.of("swim", "sleep", "sing", "run", "read", "fly", "eat", "drink", "cry", "angry"),
                ItemList.ACTION.items());
    }

    @Test
    void displayWordsReplaceThreeDAndPark() {
        assertEquals("wireframe", ItemList.STYLE.display(ItemList.STYLE.indexOf("3d")));
        assertEquals("amusement park", ItemList.BACKGROUND.display(ItemList.BACKGROUND.indexOf("park")));
        assertEquals("style_car/3d_car.png", new Cell(Theme.STYLE, 4, 8).datasetPath());
        Episode styleOne = findEpisodeShowing(Task.STYLE_I, "3d");
        assertEquals("wireframe: ", styleOne.textItem(ItemList.STYLE.indexOf("3d")));
    }

    @Test
    void ftTestTakesThetaModuloFive() {
        PromptSplit.Prompt prompt = PromptSplit.FT_TEST.prompt(3);
        assertEquals(5, prompt.x_list().size());
        assertEquals(prompt.theta_list().get(3), Episode.of(Task.TEXTURE_I, 2, 3, PromptSplit.FT_TEST).theta());
        assertEquals(prompt.theta_list().get(0), Episode.of(Task.TEXTURE_I, 4, 3, PromptSplit.FT_TEST).theta());
        for (PromptSplit.Prompt p : PromptSplit.FT_TEST.prompts()) {
            p.x_list().forEach(x -> assertEquals(true, x >= 5 && x <= 9));
        }
        assertThrows(IllegalArgumentException.class, () -> Episode.of(Task.COLOR_I, 5, 0, PromptSplit.FT_TEST));
    }

    @Test
    void promptFilesHoldAThousandPermutations() {
        assertEquals(1000, PromptSplit.DEFAULT.prompts().size());
        assertEquals(1000, PromptSplit.FT_TEST.prompts().size());
        for (PromptSplit.Prompt p : PromptSplit.DEFAULT.prompts()) {
            assertEquals(45, p.x_list().stream().mapToInt(Integer::intValue).sum());
            assertEquals(10, p.x_list().stream().distinct().count());
            assertEquals(10, p.theta_list().stream().distinct().count());
        }
    }

    @Test
    void shotsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> Episode.of(Task.COLOR_I, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Episode.of(Task.COLOR_I, 9, 0));
        assertThrows(IllegalArgumentException.class, () -> Episode.of(Task.COLOR_I, 2, 1000));
        assertEquals(8, Episode.of(Task.ACTION_II, 8, 999).shots());
    }

    private static Episode findEpisodeShowing(Task task, String item) {
        int index = task.xList().indexOf(item);
        for (int i = 0; i < 1000; i++) {
            Episode episode = Episode.of(task, 2, i);
            if (episode.queryX() == index) {
                return episode;
            }
        }
        throw new AssertionError("no prompt queries " + item);
    }
}
