package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.TextAnswers;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped VLM answers benchmark prompts in words and exposes one feature per generated token. */
class ShippedVlmTest {

    private static final int PROMPTS_PER_TASK = 5;

    @Test
    void answersTwoShotPromptsOfEveryTaskAndReturnsItsFeatures(@TempDir Path cache) {
        LoadedModel model = ShippedModels.fetchLatest("vlm", cache);
        WorldRenderer renderer = new WorldRenderer();
        List<Episode> episodes = new ArrayList<>();
        List<List<VlmItem>> prompts = new ArrayList<>();
        for (Task task : Task.values()) {
            for (int index = 0; index < PROMPTS_PER_TASK; index++) {
                Episode episode = Episode.of(task, 2, index * 37);
                episodes.add(episode);
                prompts.add(VlmPrompts.episode(episode,
                        cell -> renderer.renderPixels(cell, SeedRange.BENCHMARK.seed(0)).clone(),
                        VlmPrompts.EPISODE_INSTRUCTION));
            }
        }
        try (Vlm vlm = Vlm.load(model)) {
            List<Generation> answers = vlm.generate(prompts, Sampling.GREEDY, vlm.config().maxNewTokens());
            int correct = 0;
            for (int i = 0; i < answers.size(); i++) {
                Generation answer = answers.get(i);
                assertEquals(answer.tokens().length, answer.features().length, "one feature per generated token");
                assertEquals(vlm.dimension(), answer.features()[0].length);
                Episode episode = episodes.get(i);
                correct += TextAnswers.judge(answer.text(), episode.task(), episode.expected()).correct() ? 1 : 0;
            }
            double accuracy = (double) correct / answers.size();
            assertTrue(accuracy >= 0.7, "2-shot text-mode accuracy " + accuracy + " on " + answers.size() + " prompts");
        }
    }
}
