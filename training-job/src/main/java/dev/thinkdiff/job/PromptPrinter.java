package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.world.Captions;
import dev.thinkdiff.world.BenchmarkImages;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Prints a benchmark prompt, its expected answer and the judge's questions; optionally writes its images, exactly the
 * ones the benchmark shows ({@link BenchmarkImages#write}).
 */
final class PromptPrinter {

    private PromptPrinter() {
    }

    static void print(Episode episode, Path imageFolder) throws IOException {
        System.out.printf("task %d %s (%s), %d-shot, prompt %d of the %s split%n", episode.task().id(),
                episode.task().column(), episode.task(), episode.shots(), episode.promptIndex(), episode.split());
        System.out.println("prompt:   " + episode.describe());
        Cell expected = episode.expected();
        System.out.println("expected: " + Captions.caption(expected) + "  (" + expected.datasetPath() + ")");
        for (JudgeQuestion question : JudgeQuestion.both()) {
            System.out.println("judge:    " + question.text(expected.theme()) + "  -> ("
                    + question.correctOption(expected) + ")");
        }
        if (imageFolder != null) {
            BenchmarkImages.write(episode, imageFolder);
            System.out.println("images:   " + imageFolder + "/demo-*.png, expected.png");
        }
    }
}
