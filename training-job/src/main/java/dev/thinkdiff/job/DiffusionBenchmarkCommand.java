package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.DiffusionBenchmark;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-diffusion", mixinStandardHelpOptions = true,
        description = "Measure text-to-image speed at the default sampler steps: seconds per image alone and in a "
                + "batch, the denoiser's forward FLOPs and the FLOP/s achieved (compare with the machine's peak).")
public class DiffusionBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--version", description = "Published diffusion version (default: LATEST).")
    String version;

    @Option(names = "--batch", defaultValue = "16", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs; the median is printed "
            + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() {
        if (batch < 1 || repeats < 1) {
            throw new IllegalArgumentException("--batch and --repeats must be at least 1");
        }
        LoadedModel model = version == null ? cache.fetchLatest(Components.FAMILY, Components.DIFFUSION)
                : cache.fetch(new ModelRef(Components.FAMILY, Components.DIFFUSION, version));
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                DiffusionPipeline pipeline = DiffusionPipeline.load(model, cache, encoder)) {
            System.out.println(model.ref() + ", " + pipeline.defaultSettings());
            System.out.println(DiffusionBenchmark.run(pipeline, encoder, batch, repeats).summary());
        }
        return 0;
    }
}
