package dev.thinkdiff.diffusion;

import dev.thinkdiff.text.PromptEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Speed of text → image at the default sampler settings: seconds per image for one image and for a batch, the
 * denoiser's analytic forward FLOPs (see {@link DiffusionConfig#forwardFlops}) and the FLOP/s that achieves over the
 * whole generation (denoiser passes only in the numerator: the autoencoder decode and the prompt encoding count as
 * overhead). Each figure is the median of a few timed repeats after one warm-up.
 */
public final class DiffusionBenchmark {

    private static final String PROMPT = "create an image of a green car";

    /**
     * @param forwardGflops one denoiser pass for one image
     * @param passesPerImage denoiser passes per image: steps × (2 with guidance, 1 without)
     */
    public record Result(double secondsPerImageSingle, double secondsPerImageBatched, int batchSize,
                         double forwardGflops, int passesPerImage, double gflopsPerSecondSingle,
                         double gflopsPerSecondBatched) {

        public String summary() {
            return String.format(Locale.ROOT, "1 image: %.3f s (%.1f GFLOP/s); batch of %d: %.3f s per image "
                    + "(%.1f GFLOP/s); denoiser forward %.3f GFLOP × %d passes per image", secondsPerImageSingle,
                    gflopsPerSecondSingle, batchSize, secondsPerImageBatched, gflopsPerSecondBatched, forwardGflops,
                    passesPerImage);
        }
    }

    private DiffusionBenchmark() {
    }

    public static Result run(DiffusionPipeline pipeline, PromptEncoder encoder, int batchSize, int repeats) {
        FlowEulerSampler.Settings settings = pipeline.defaultSettings();
        PromptEmbedding one = PromptEmbedding.of(encoder.encode(PROMPT));
        PromptEmbedding batch = PromptEmbedding.of(encoder.encode(Collections.nCopies(batchSize, PROMPT)));
        double single = medianSeconds(() -> pipeline.generate(one, new long[] {1}, settings), repeats);
        long[] seeds = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            seeds[i] = i;
        }
        double batched = medianSeconds(() -> pipeline.generate(batch, seeds, settings), repeats) / batchSize;
        double forwardGflops = pipeline.config().forwardFlops(one.length()) / 1e9;
        int passes = settings.steps() * (settings.guidanceScale() == 1.0 ? 1 : 2);
        return new Result(single, batched, batchSize, forwardGflops, passes, forwardGflops * passes / single,
                forwardGflops * passes / batched);
    }

    private static double medianSeconds(Runnable work, int repeats) {
        work.run(); // warm-up: first-call allocations and kernel selection
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long started = System.nanoTime();
            work.run();
            seconds.add((System.nanoTime() - started) / 1e9);
        }
        Collections.sort(seconds);
        return seconds.get(seconds.size() / 2);
    }
}
