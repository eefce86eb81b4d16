package dev.thinkdiff.job;

import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import picocli.CommandLine.Option;

/** Command-line options that pick one benchmark prompt. */
public class EpisodeOptions {

    @Option(names = "--task", defaultValue = "C-I",
            description = "1..10, C-I..T-II or COLOR_I..TEXTURE_II (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--shots", defaultValue = "2", description = "Demos: 1..8; ft_test 1..4 (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--index", defaultValue = "0", description = "Prompt index 0..999 (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--split", defaultValue = "DEFAULT", description = "${COMPLETION-CANDIDATES} (default: DEFAULT).")
    PromptSplit split;

    Episode episode() {
        return Episode.of(Task.parse(task), shots, index, split);
    }
}
