package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.world.SeedRange;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prompt", mixinStandardHelpOptions = true,
        description = "Print a benchmark prompt (task, shots, index) with its expected answer.")
public class PromptCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, description = "1..10, C-I..T-II or COLOR_I..TEXTURE_II.")
    String task;

    @Option(names = "--shots", defaultValue = "2", description = "Demos: 1..8 (ft_test: 1..4).")
    int shots;

    @Option(names = "--index", defaultValue = "0", description = "Prompt index 0..999.")
    int index;

    @Option(names = "--split", defaultValue = "DEFAULT", description = "${COMPLETION-CANDIDATES}.")
    PromptSplit split;

    @Option(names = "--images", description = "Also write the prompt's images to this folder.")
    Path images;

    @Override
    public Integer call() throws Exception {
        PromptPrinter.print(Episode.of(Task.parse(task), shots, index, split), images, SeedRange.BENCHMARK.seed(0));
        return 0;
    }
}
