package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.ContactSheet;
import dev.thinkdiff.world.SeedRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sheet", mixinStandardHelpOptions = true,
        description = "Draw a labelled contact sheet of the world (rows: subjects, columns: attributes).")
public class SheetCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/contact-sheet.png", description = "PNG to write.")
    Path out;

    @Option(names = "--seed", description = "Render seed (default: the first benchmark seed).")
    Long seed;

    @Option(names = "--theme", split = ",", description = "Themes to draw (default: all five).")
    List<String> themes;

    @Override
    public Integer call() throws Exception {
        List<Theme> selected = themes == null ? Arrays.asList(Theme.values())
                : themes.stream().map(Theme::byId).toList();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        long renderSeed = seed == null ? SeedRange.BENCHMARK.seed(0) : seed;
        ImageIO.write(ContactSheet.draw(selected, renderSeed), "png", out.toFile());
        System.out.println("wrote " + out + " (" + selected.size() * 100 + " cells, seed " + renderSeed + ")");
        return 0;
    }
}
