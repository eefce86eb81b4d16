package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
