package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.pipeline.CobsatResult;
import dev.thinkdiff.world.BenchmarkImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryFigureTest {

    @Test
    void oneRowPerTaskAndShotCountWithTheChosenMethodsImagesAndVerdicts(@TempDir Path dir) throws Exception {
        List<CobsatResult.Sample> samples = List.of(sample(Task.COLOR_I, 4, 0, true),
                sample(Task.COLOR_I, 2, 0, true), sample(Task.COLOR_I, 2, 1, false), sample(Task.STYLE_II, 2, 0, false));
        Path png = dir.resolve(GalleryFigure.FILE);
        assertTrue(GalleryFigure.write(samples, List.of("thinkdiff", "two-stage"), png));
        BufferedImage figure = ImageIO.read(png.toFile());
        BufferedImage twoRows = render(dir, List.of(samples.get(1), samples.get(3)));
        assertTrue(figure.getHeight() > twoRows.getHeight() * 4 / 3, "three rows (C-I 2-shot once), not two");
        assertTrue(figure.getWidth() > twoRows.getWidth(), "room for four demos");
        assertFalse(GalleryFigure.write(List.of(), List.of("thinkdiff"), dir.resolve("none.png")));
    }

    private static BufferedImage render(Path dir, List<CobsatResult.Sample> samples) throws Exception {
        Path png = dir.resolve("two.png");
        GalleryFigure.write(samples, List.of("thinkdiff", "two-stage"), png);
        return ImageIO.read(png.toFile());
    }

    /** A sample whose methods "drew" the expected cell's benchmark image, judged right or wrong on both answers. */
    private static CobsatResult.Sample sample(Task task, int shots, int index, boolean right) {
        Episode episode = Episode.of(task, shots, index);
        Cell expected = episode.expected();
        int attribute = right ? JudgeQuestion.ATTRIBUTE.correctOption(expected) : 0;
        int subject = right ? JudgeQuestion.SUBJECT.correctOption(expected) : 0;
        Map<String, int[]> images = new LinkedHashMap<>();
        Map<String, Judgement> verdicts = new LinkedHashMap<>();
        for (String method : List.of("thinkdiff", "two-stage", "faithful")) {
            images.put(method, BenchmarkImages.render(expected));
            verdicts.put(method, Judgement.of(task, expected, attribute, subject));
        }
        return new CobsatResult.Sample(episode, "create an image of " + expected, images, verdicts);
    }
}
