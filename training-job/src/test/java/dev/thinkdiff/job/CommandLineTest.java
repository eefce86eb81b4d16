package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.world.BenchmarkImages;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusMainTest
class CommandLineTest {

    @Test
    @Launch({"prompt", "--task", "C-I", "--shots", "2", "--index", "0"})
    void printsTheWorkedExample(LaunchResult result) {
        String out = result.getOutput();
        assertTrue(out.contains("prompt:   \"blue: \" [blue car] \"brown: \" [brown car] \"orange: \""), out);
        assertTrue(out.contains("expected: an orange car  (color_car/orange_car.png)"), out);
    }

    @Test
    @Launch({"prompt", "--task", "A-II", "--shots", "4", "--index", "5", "--split", "FT_TEST"})
    void printsAnFtTestPrompt(LaunchResult result) {
        assertTrue(result.getOutput().contains("4-shot, prompt 5 of the FT_TEST split"), result.getOutput());
    }

    @Test
    void promptImagesAreTheBenchmarksOwnImages(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        LaunchResult result = launcher.launch("prompt", "--task", "B-II", "--shots", "4", "--index", "7", "--images",
                dir.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        Episode episode = Episode.of(Task.BACKGROUND_II, 4, 7);
        for (int j = 0; j < 4; j++) {
            assertArrayEquals(rgb(BenchmarkImages.render(episode.demoCell(j))), pixels(dir.resolve("demo-" + (j + 1)
                    + ".png")), "demo " + (j + 1));
        }
        assertArrayEquals(rgb(BenchmarkImages.render(episode.expected())), pixels(dir.resolve("expected.png")));
    }

    private static int[] pixels(Path png) throws Exception {
        java.awt.image.BufferedImage image = ImageIO.read(png.toFile());
        return rgb(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
    }

    /** Packed pixels without the alpha byte. */
    private static int[] rgb(int[] pixels) {
        return java.util.Arrays.stream(pixels).map(p -> p & 0xFFFFFF).toArray();
    }

    @Test
    void rejectsAnUnknownTaskWithAClearMessage(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("prompt", "--task", "Z-IX");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.getErrorOutput().contains("unknown task 'Z-IX'"), result.getErrorOutput());
    }

    @Test
    void sheetDrawsOneThemeBlock(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.png");
        LaunchResult result = launcher.launch("sheet", "--theme", "action", "--out", sheet.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(Files.size(sheet) > 10_000);
        assertEquals(64 + 10 * 66, ImageIO.read(sheet.toFile()).getWidth());
    }
}
