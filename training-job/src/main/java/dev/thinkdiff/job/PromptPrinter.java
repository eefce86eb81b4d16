package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.world.Captions;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Prints a benchmark prompt, its expected answer and the judge's questions; optionally writes its images. */
final class PromptPrinter {

    private PromptPrinter() {
    }

    static void print(Episode episode, Path imageFolder, long seed) throws IOException {
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
            Files.createDirectories(imageFolder);
            WorldRenderer renderer = new WorldRenderer();
            for (int j = 0; j < episode.shots(); j++) {
                Path file = imageFolder.resolve("demo-" + (j + 1) + ".png");
                ImageIO.write(renderer.render(episode.demoCell(j), seed + j), "png", file.toFile());
            }
            ImageIO.write(renderer.render(expected, seed), "png", imageFolder.resolve("expected.png").toFile());
            System.out.println("images:   " + imageFolder + "/demo-*.png, expected.png");
        }
    }
}
