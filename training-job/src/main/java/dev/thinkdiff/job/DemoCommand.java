package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.ContactSheet;
import dev.thinkdiff.world.SeedRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The main job on the embedded default: draw the world and show one benchmark prompt with its images. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Render the world's contact sheet and print a benchmark prompt with its images.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    EpisodeOptions prompt;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path sheet = out.resolve("contact-sheet.png");
        ImageIO.write(ContactSheet.draw(List.of(Theme.values()), SeedRange.BENCHMARK.seed(0)), "png", sheet.toFile());
        System.out.println("contact sheet of all 500 cells: " + sheet);
        PromptPrinter.print(prompt.episode(), out.resolve("prompt"), SeedRange.BENCHMARK.seed(0));
        return 0;
    }
}
