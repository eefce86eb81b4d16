package dev.thinkdiff.cobsat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark prompt made concrete: k demos (text "x: " then an image of (x, θ)), then the query text. The model must
 * produce an image of {@link #expected()}.
 *
 * @param demoX x index of each demo, in order
 * @param queryX x index of the query
 * @param theta θ index shared by every demo image and by the expected output
 */
public record Episode(Task task, PromptSplit split, int promptIndex, List<Integer> demoX, int queryX, int theta) {

    /** One element of the interleaved prompt: either a text item or an image cell. */
    public sealed interface Item permits Text, Image {
    }

    public record Text(String text) implements Item {
    }

    public record Image(Cell cell) implements Item {
    }

    public Episode {
        demoX = List.copyOf(demoX);
    }

    /**
     * A random training episode, not one of a benchmark prompt file (no split, no prompt index): a task (type I with
     * probability {@code typeOneShare}, by redrawing type-II tasks; no extra draws at 0.5), 1..{@code maxShots} demos
     * and the query at distinct x, a random θ.
     */
    public static Episode random(SplittableRandom random, double typeOneShare, int maxShots) {
        Task task = Task.values()[random.nextInt(Task.values().length)];
        double keepTypeTwo = (1 - typeOneShare) / typeOneShare;
        while (!task.isTypeOne() && keepTypeTwo < 1 && random.nextDouble() >= keepTypeTwo) {
            task = Task.values()[random.nextInt(Task.values().length)];
        }
        int shots = 1 + random.nextInt(maxShots);
        int[] order = new int[ItemList.SIZE];
        for (int i = 0; i < order.length; i++) {
            int j = random.nextInt(i + 1); // inside-out Fisher–Yates
            order[i] = order[j];
            order[j] = i;
        }
        List<Integer> demos = new ArrayList<>();
        for (int j = 0; j < shots; j++) {
            demos.add(order[j]);
        }
        return new Episode(task, null, -1, demos, order[shots], random.nextInt(ItemList.SIZE));
    }

    /** Builds prompt {@code index} of {@code split} for {@code task} with {@code shots} demos (docs/design.md §4, exact). */
    public static Episode of(Task task, int shots, int index, PromptSplit split) {
        if (shots < 1 || shots > split.maxShots()) {
            throw new IllegalArgumentException("shots must be 1.." + split.maxShots() + " for the " + split
                    + " prompts, got " + shots);
        }
        PromptSplit.Prompt prompt = split.prompt(index);
        List<Integer> demos = prompt.x_list().subList(0, shots);
        return new Episode(task, split, index, demos, prompt.x_list().get(shots),
                prompt.theta_list().get(split.thetaPosition(shots)));
    }

    public static Episode of(Task task, int shots, int index) {
        return of(task, shots, index, PromptSplit.DEFAULT);
    }

    public int shots() {
        return demoX.size();
    }

    /** The image cell of demo {@code j}. */
    public Cell demoCell(int j) {
        return task.cell(demoX.get(j), theta);
    }

    /** The cell the output must show: the query's x combined with θ. */
    public Cell expected() {
        return task.cell(queryX, theta);
    }

    /** The benchmark's text item for an x index: {@code "{x}: "} with the display word. */
    public String textItem(int xIndex) {
        return task.xList().display(xIndex) + ": ";
    }

    /** The interleaved prompt: "x1: " [img1] "x2: " [img2] … "xq: ". */
    public List<Item> items() {
        List<Item> items = new ArrayList<>();
        for (int j = 0; j < shots(); j++) {
            items.add(new Text(textItem(demoX.get(j))));
            items.add(new Image(demoCell(j)));
        }
        items.add(new Text(textItem(queryX)));
        return items;
    }

    /** Human-readable form, images shown as [attribute subject]. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Item item : items()) {
            if (item instanceof Text text) {
                out.append('"').append(text.text()).append('"');
            } else if (item instanceof Image image) {
                Cell cell = image.cell();
                out.append(" [").append(cell.theme().attributes().display(cell.attribute())).append(' ')
                        .append(cell.subjectId()).append("] ");
            }
        }
        return out.toString().trim();
    }
}
