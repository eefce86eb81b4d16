package dev.thinkdiff.serving;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** CoBSAT names in requests (task, items, benchmark prompts) resolved to the protocol's types, or refused by field. */
public final class CobsatInputs {

    private CobsatInputs() {
    }

    /** "C-I", "1", 1 or "COLOR_I". */
    public static Task task(String field, TaskName value) {
        Fields.required(field, value);
        try {
            return Task.parse(value.value());
        } catch (IllegalArgumentException e) {
            throw RequestException.badInput(field, e.getMessage());
        }
    }

    /** An item of {@code list} by its id ("park") or the word shown to models ("amusement park"), any case. */
    public static int item(String field, ItemList list, String value) {
        Fields.required(field, value);
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (int i = 0; i < ItemList.SIZE; i++) {
            if (list.item(i).equals(wanted) || list.display(i).equals(wanted)) {
                return i;
            }
        }
        throw RequestException.badInput(field, "'" + value + "' is not in the " + list.id() + " list "
                + list.items());
    }

    /** The cell showing x (the text's item) with θ (the demos' latent) for the task. */
    public static Cell cell(String field, Task task, String x, String theta) {
        return task.cell(item(field + ".x", task.xList(), x), item(field + ".theta", task.thetaList(), theta));
    }

    /**
     * Benchmark prompt {@code index} with {@code shots} demos of a split ("default" when absent).
     *
     * @param maxShots the configured shot limit; the split's own limit applies as well
     */
    public static Episode episode(String field, Task task, Integer index, Integer shots, String split,
            int maxShots) {
        PromptSplit promptSplit = split(field + ".split", split);
        int count = promptSplit.prompts().size();
        int i = Fields.intInRange(field + ".index", Fields.required(field + ".index", index), 0, 0, count - 1);
        int k = Fields.intInRange(field + ".shots", Fields.required(field + ".shots", shots), 0, 1,
                Math.min(maxShots, promptSplit.maxShots()));
        return Episode.of(task, k, i, promptSplit);
    }

    /** Benchmark prompt {@code index} of {@code task} exactly as the CoBSAT evaluation hands it to the VLM. */
    public static List<VlmItem> vlmPrompt(String field, TaskName task, Integer index, Integer shots, String split,
            int maxShots) {
        Episode episode = episode(field, task(field + ".task", task), index, shots, split, maxShots);
        return VlmPrompts.episode(episode, BenchmarkImages::render, VlmPrompts.EPISODE_INSTRUCTION);
    }

    private static PromptSplit split(String field, String value) {
        if (value == null) {
            return PromptSplit.DEFAULT;
        }
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(PromptSplit.values()).filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> RequestException.badInput(field, "unknown split '" + value + "'; expected one of "
                        + Arrays.toString(PromptSplit.values()).toLowerCase(Locale.ROOT)));
    }
}
