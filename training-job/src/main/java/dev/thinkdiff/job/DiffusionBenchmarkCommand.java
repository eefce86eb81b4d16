package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.DiffusionBenchmark;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.DrawingReference;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-diffusion", mixinStandardHelpOptions = true,
        description = "Measure text-to-image speed at the default sampler steps: seconds per image alone and in a "
                + "batch, the denoiser's forward FLOPs, the FLOP/s achieved and the FLOP floor (FLOPs per image / "
                + "the engine's fp32 matmul peak measured here, same threads) with the ratio to it.")
public class DiffusionBenchmarkCommand implements Callable<Integer> {

    @Option(names = "--version", description = "Published diffusion version (default: LATEST).")
    String version;

    @Option(names = "--batch", defaultValue = "16", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs; the median is printed "
            + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed one-image runs first, so that the JVM "
            + "has compiled the sampling loop (the peer's Python needs no compiling); the batch then warms up once, "
            + "as the peer does (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--write-drawings", paramLabel = "FILE", description = "Instead of timing: draw the fixed "
            + "reference set (24 images of fixed prompts and seeds, batches of 1, 16 and 7) and write its latents and "
            + "pixels to FILE.")
    Path writeDrawings;

    @Option(names = "--compare-drawings", paramLabel = "FILE", description = "Instead of timing: draw the reference "
            + "set and print how far it is from the one in FILE (written by --write-drawings, e.g. by another "
            + "build); exit 1 if a pixel channel differs by more than " + MAX_LEVELS + " level.")
    Path compareDrawings;

    /** Float rounding may move a pixel across a rounding boundary, never further. */
    private static final int MAX_LEVELS = 1;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("--batch and --repeats must be at least 1, --warmup at least 0");
        }
        LoadedModel model = version == null ? cache.fetchLatest(Components.FAMILY, Components.DIFFUSION)
                : cache.fetch(new ModelRef(Components.FAMILY, Components.DIFFUSION, version));
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                DiffusionPipeline pipeline = DiffusionPipeline.load(model, cache, encoder)) {
            System.out.println(model.ref() + ", " + pipeline.defaultSettings());
            if (writeDrawings == null && compareDrawings == null) {
                System.out.println(DiffusionBenchmark.run(pipeline, encoder, batch, warmup, repeats).summary());
                return 0;
            }
            return drawings(DrawingReference.draw(pipeline, encoder));
        }
    }

    private int drawings(DrawingReference drawn) throws IOException {
        if (writeDrawings != null) {
            drawn.write(writeDrawings);
            System.out.println("reference drawings written to " + writeDrawings);
        }
        if (compareDrawings == null) {
            return 0;
        }
        DrawingReference.Difference difference = drawn.against(DrawingReference.read(compareDrawings));
        System.out.println("against " + compareDrawings + ": " + difference.summary());
        return difference.maxChannelDifference() > MAX_LEVELS ? 1 : 0;
    }
}
