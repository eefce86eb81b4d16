package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.FlowSampler;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How far a drawing made in a batch is from the same drawing made alone — the question dynamic batching in the
 * decode function raises, since libtorch's CPU kernels need not give a row the same bits whatever the batch's size.
 */
@Command(name = "bench-batching", mixinStandardHelpOptions = true,
        description = "Draw the same prompts and seeds alone and in batches of mixed prompts (the decode function's "
                + "dynamic batching) and print how often and how much the images differ: identical PNGs, largest "
                + "channel difference, share of pixels that differ; and seconds per image alone and per batch size.")
public class BatchingBenchmarkCommand implements Callable<Integer> {

    private static final List<String> PROMPTS = List.of("a red car", "a dog swimming",
            "create an image of a lion reading", "a small blue boat on a lake at night", "a cup", "a green apple");

    @Option(names = "--images", defaultValue = "32", description = "Images compared per batch size "
            + "(default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch-sizes", defaultValue = "2,4,8,16,32", split = ",", description = "Batch sizes "
            + "(default: ${DEFAULT-VALUE}).")
    int[] batchSizes;

    @Option(names = "--steps", description = "Sampler steps (default: the model's).")
    Integer steps;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() {
        LoadedModel model = cache.fetchLatest(Components.FAMILY, Components.DIFFUSION);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                DiffusionPipeline pipeline = DiffusionPipeline.load(model, cache, encoder)) {
            FlowSampler.Settings settings = steps == null ? pipeline.defaultSettings()
                    : new FlowSampler.Settings(steps, pipeline.defaultSettings().guidanceScale());
            System.out.println(model.ref() + ", " + settings + ", " + images + " images per batch size");
            List<PromptEmbedding> prompts = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                prompts.add(PromptEmbedding.of(encoder.encode(List.of(PROMPTS.get(i % PROMPTS.size())))));
            }
            long started = System.nanoTime();
            List<int[]> alone = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                alone.add(pipeline.generate(prompts.get(i), new long[] {1000 + i}, settings).get(0));
            }
            double aloneSeconds = (System.nanoTime() - started) / 1e9 / images;
            System.out.printf(Locale.ROOT, "alone: %.3f s per image%n", aloneSeconds);
            for (int size : batchSizes) {
                started = System.nanoTime();
                List<int[]> batched = new ArrayList<>();
                for (int from = 0; from < images; from += size) {
                    int to = Math.min(images, from + size);
                    long[] seeds = new long[to - from];
                    Arrays.setAll(seeds, j -> 1000 + j);
                    for (int j = 0; j < seeds.length; j++) {
                        seeds[j] += from;
                    }
                    batched.addAll(pipeline.generate(PromptEmbedding.batch(prompts.subList(from, to)), seeds,
                            settings));
                }
                double seconds = (System.nanoTime() - started) / 1e9 / images;
                System.out.println(String.format(Locale.ROOT, "batch %2d: %.3f s per image (%.2fx alone); ", size,
                        seconds, aloneSeconds / seconds) + compare(alone, batched));
            }
        }
        return 0;
    }

    /** Identical PNGs, largest channel difference, and the share of pixels with any difference. */
    private static String compare(List<int[]> alone, List<int[]> batched) {
        int identical = 0;
        int largest = 0;
        long differing = 0;
        long pixels = 0;
        for (int i = 0; i < alone.size(); i++) {
            int[] a = alone.get(i);
            int[] b = batched.get(i);
            if (Arrays.equals(ImageInput.png(DiffusionPipeline.toImage(a)),
                    ImageInput.png(DiffusionPipeline.toImage(b)))) {
                identical++;
            }
            for (int p = 0; p < a.length; p++) {
                int d = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    d = Math.max(d, Math.abs(((a[p] >> shift) & 0xff) - ((b[p] >> shift) & 0xff)));
                }
                largest = Math.max(largest, d);
                differing += d > 0 ? 1 : 0;
            }
            pixels += a.length;
        }
        return String.format(Locale.ROOT, "identical PNGs %d/%d, largest channel difference %d/255, pixels "
                + "differing %.4f%%", identical, alone.size(), largest, 100.0 * differing / pixels);
    }
}
