package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.ContactSheet;
import dev.thinkdiff.world.SeedRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job on the embedded default: draw the world and show one benchmark prompt with its images. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Render the world's contact sheet and print a benchmark prompt with its images.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--task", defaultValue = "C-I", description = "Task id or column (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--shots", defaultValue = "2", description = "Demos in the prompt (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--index", defaultValue = "0", description = "Prompt index 0..999 (default: ${DEFAULT-VALUE}).")
    int index;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path sheet = out.resolve("contact-sheet.png");
        ImageIO.write(ContactSheet.draw(List.of(Theme.values()), SeedRange.BENCHMARK.seed(0)), "png", sheet.toFile());
        System.out.println("contact sheet of all 500 cells: " + sheet);
        Episode episode = Episode.of(Task.parse(task), shots, index, PromptSplit.DEFAULT);
        PromptPrinter.print(episode, out.resolve("prompt"), SeedRange.BENCHMARK.seed(0));
        return 0;
    }
}
