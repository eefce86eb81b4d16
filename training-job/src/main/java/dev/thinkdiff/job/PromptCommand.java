package dev.thinkdiff.job;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prompt", mixinStandardHelpOptions = true,
        description = "Print a benchmark prompt (task, shots, index) with its expected answer.")
public class PromptCommand implements Callable<Integer> {

    @Mixin
    EpisodeOptions prompt;

    @Option(names = "--images", description = "Also write the prompt's images to this folder.")
    Path images;

    @Override
    public Integer call() throws Exception {
        PromptPrinter.print(prompt.episode(), images);
        return 0;
    }
}
