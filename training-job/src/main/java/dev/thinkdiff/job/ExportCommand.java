package dev.thinkdiff.job;

import dev.thinkdiff.world.DatasetExporter;
import dev.thinkdiff.world.SeedRange;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the world as a dataset folder in the benchmark's layout "
                + "({theme}_{subject}/{attr}_{subject}.png; several seeds: one folder per seed).")
public class ExportCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/dataset", description = "Dataset folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--range", defaultValue = "BENCHMARK",
            description = "Seed range: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SeedRange range;

    @Option(names = "--seeds", defaultValue = "1", description = "How many seeds of the range (default: 1).")
    int count;

    @Override
    public Integer call() throws Exception {
        List<Long> seeds = LongStream.range(0, count).map(range::seed).boxed().toList();
        int files = DatasetExporter.export(out, seeds).size();
        System.out.println("wrote " + files + " images to " + out + " (" + range + " seeds " + seeds + ")");
        return 0;
    }
}
