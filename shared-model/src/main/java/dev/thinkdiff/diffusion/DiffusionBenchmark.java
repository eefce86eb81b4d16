package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.thinkdiff.text.PromptEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Speed of text → image at the default sampler settings: seconds per image for one image and for a batch, the
 * denoiser's analytic forward FLOPs (see {@link DiffusionConfig#forwardFlops}) and the FLOP/s that achieves over the
 * whole generation (denoiser passes only in the numerator: the autoencoder decode and the prompt encoding count as
 * overhead), and the FLOP floor: FLOPs per image ÷ this machine's fp32 matmul peak through the same engine and
 * threads, measured before and after the timings (the higher kept). Each time is the median of the timed repeats
 * after the warm-up runs.
 */
public final class DiffusionBenchmark {

    private static final String PROMPT = "create an image of a green car";
    /** Square sgemm size for the peak: large enough that the kernel, not the call, sets the rate. */
    private static final int PEAK_SIZE = 2048;
    private static final int PEAK_CALLS = 10;

    /**
     * @param forwardGflops one denoiser pass for one image
     * @param passesPerImage denoiser passes per image: steps × (2 with guidance, 1 without)
     * @param peakGflopsPerSecond the engine's best fp32 matmul rate here
     * @param threads the engine's intra-op threads
     */
    public record Result(double secondsPerImageSingle, double secondsPerImageBatched, int batchSize,
                         double forwardGflops, int passesPerImage, double peakGflopsPerSecond, int threads,
                         int warmupRuns, int repeats) {

        public double gflopPerImage() {
            return forwardGflops * passesPerImage;
        }

        /** Seconds per image if every FLOP ran at the matmul peak. */
        public double floorSeconds() {
            return gflopPerImage() / peakGflopsPerSecond;
        }

        public String summary() {
            return String.format(Locale.ROOT, "1 image: %.3f s (%.1f GFLOP/s, %.1f x the floor); batch of %d: %.3f s "
                    + "per image (%.1f GFLOP/s, %.1f x the floor); denoiser forward %.3f GFLOP x %d passes = %.2f "
                    + "GFLOP per image; FLOP floor %.4f s per image at the fp32 matmul peak %.1f GFLOP/s (engine "
                    + "sgemm %d x %d, best of %d calls before and %d after the timings, %d threads); medians of %d "
                    + "runs after %d warm-up runs (batch: 1)",
                    secondsPerImageSingle, gflopPerImage() / secondsPerImageSingle,
                    secondsPerImageSingle / floorSeconds(), batchSize, secondsPerImageBatched,
                    gflopPerImage() / secondsPerImageBatched, secondsPerImageBatched / floorSeconds(), forwardGflops,
                    passesPerImage, gflopPerImage(), floorSeconds(), peakGflopsPerSecond, PEAK_SIZE, PEAK_SIZE,
                    PEAK_CALLS, PEAK_CALLS, threads, repeats, warmupRuns);
        }
    }

    private DiffusionBenchmark() {
    }

    /**
     * @param warmupRuns untimed one-image runs first: the JVM compiles the host side of the loop only after many
     *     calls, where the peer (Python calling the same kernels) is as fast at its second run; the batch, whose host
     *     code is the same, then warms up once (first-call allocations of its sizes), as the peer does
     */
    public static Result run(DiffusionPipeline pipeline, PromptEncoder encoder, int batchSize, int warmupRuns,
            int repeats) {
        FlowSampler.Settings settings = pipeline.defaultSettings();
        // before and after the timings, the higher kept: a peak measured while the machine is busy elsewhere comes
        // out low and would flatter every ratio to the floor (2-thread peaks of 140-242 GFLOP/s within one session)
        double peakBefore = matmulPeakGflopsPerSecond();
        double single = secondsPerImage(pipeline, encoder, 1, warmupRuns, repeats);
        double batched = secondsPerImage(pipeline, encoder, batchSize, 1, repeats);
        double peak = Math.max(peakBefore, matmulPeakGflopsPerSecond());
        double forwardGflops = pipeline.config().forwardFlops(PromptEmbedding.of(encoder.encode(PROMPT)).length())
                / 1e9;
        int passes = settings.steps() * (settings.guidanceScale() == 1.0 ? 1 : 2);
        return new Result(single, batched, batchSize, forwardGflops, passes, peak,
                JniUtils.getNumThreads(), warmupRuns, repeats);
    }

    /**
     * Seconds per image of {@code batchSize} images of the benchmark's prompt at the default settings in one call
     * (seeds 1, 2, …): the median of {@code repeats} timed calls after {@code warmupRuns} untimed ones.
     */
    public static double secondsPerImage(DiffusionPipeline pipeline, PromptEncoder encoder, int batchSize,
            int warmupRuns, int repeats) {
        FlowSampler.Settings settings = pipeline.defaultSettings();
        PromptEmbedding prompts = PromptEmbedding.of(encoder.encode(Collections.nCopies(batchSize, PROMPT)));
        long[] seeds = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            seeds[i] = i + 1;
        }
        return medianSeconds(() -> pipeline.generate(prompts, seeds, settings), warmupRuns, repeats) / batchSize;
    }

    /** The engine's best fp32 GEMM rate: C = A·B on square random matrices, the best of a few calls. */
    public static double matmulPeakGflopsPerSecond() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(PEAK_SIZE, PEAK_SIZE));
            NDArray b = manager.randomNormal(new Shape(PEAK_SIZE, PEAK_SIZE));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < PEAK_CALLS + 2; i++) {
                try (NDManager call = manager.newSubManager()) {
                    long started = System.nanoTime();
                    a.matMul(b).attach(call);
                    if (i >= 2) { // the first calls size the kernel's buffers
                        best = Math.min(best, (System.nanoTime() - started) / 1e9);
                    }
                }
            }
            return 2.0 * PEAK_SIZE * PEAK_SIZE * PEAK_SIZE / best / 1e9;
        }
    }

    private static double medianSeconds(Runnable work, int warmupRuns, int repeats) {
        for (int i = 0; i < warmupRuns; i++) {
            work.run();
        }
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
