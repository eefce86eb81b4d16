package dev.thinkdiff.diffusion;

import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.world.WorldRenderer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The images a speed change must leave alone: fixed prompts and seeds drawn at the default settings in batches of 1,
 * 16 and 7 (so that both the single-image and the batched paths, and a batch that is neither, are covered), kept as
 * the sampled latents and the decoded pixels. Written by one build and compared by another, it shows whether the
 * shipped images changed, and by how much.
 */
public record DrawingReference(float[] latents, int[] pixels) {

    private static final List<String> PROMPTS = List.of("create an image of a green car", "a photo of a red hat",
            "a photo of a ball on the beach", "a watercolor painting of a cup", "a photo of a chair in the snow",
            "a photo of a yellow book", "create an image of a box with a striped texture",
            "a pixel art image of a leaf");
    private static final int[] BATCHES = {1, 16, 7};

    /** Draws the reference set: 24 images, prompt i % 8 with seed 100 + i. */
    public static DrawingReference draw(DiffusionPipeline pipeline, PromptEncoder encoder) {
        FlowSampler.Settings settings = pipeline.defaultSettings();
        FloatBuffer latents = FloatBuffer.allocate(IntStream.of(BATCHES).sum() * pipeline.config().latentFloats());
        List<int[]> pixels = new ArrayList<>();
        int image = 0;
        for (int batch : BATCHES) {
            List<String> texts = new ArrayList<>();
            long[] seeds = new long[batch];
            for (int i = 0; i < batch; i++, image++) {
                texts.add(PROMPTS.get(image % PROMPTS.size()));
                seeds[i] = 100 + image;
            }
            float[] sampled = pipeline.sample(PromptEmbedding.of(encoder.encode(texts)), seeds, settings);
            latents.put(sampled);
            pixels.addAll(pipeline.decode(sampled, batch));
        }
        return new DrawingReference(latents.array(), pixels.stream().flatMapToInt(IntStream::of).toArray());
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); DataOutputStream data = new DataOutputStream(out)) {
            data.writeInt(latents.length);
            for (float v : latents) {
                data.writeFloat(v);
            }
            data.writeInt(pixels.length);
            for (int p : pixels) {
                data.writeInt(p);
            }
        }
    }

    public static DrawingReference read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            float[] latents = new float[data.readInt()];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = data.readFloat();
            }
            int[] pixels = new int[data.readInt()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = data.readInt();
            }
            return new DrawingReference(latents, pixels);
        }
    }

    /** How far this set is from {@code before}: latents' max abs difference, pixel channels that differ. */
    public Difference against(DrawingReference before) {
        if (before.latents.length != latents.length || before.pixels.length != pixels.length) {
            throw new IllegalArgumentException("the reference sets differ in size");
        }
        double latentMax = 0;
        for (int i = 0; i < latents.length; i++) {
            latentMax = Math.max(latentMax, Math.abs(latents[i] - before.latents[i]));
        }
        int channelMax = 0;
        int channelsDiffering = 0;
        for (int i = 0; i < pixels.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs(((pixels[i] >> shift) & 0xff) - ((before.pixels[i] >> shift) & 0xff));
                channelMax = Math.max(channelMax, d);
                channelsDiffering += d > 0 ? 1 : 0;
            }
        }
        return new Difference(pixels.length / (WorldRenderer.SIZE * WorldRenderer.SIZE), latentMax, channelMax,
                channelsDiffering, 3 * pixels.length);
    }

    /** @param maxChannelDifference in levels of 0..255 */
    public record Difference(int images, double maxLatentDifference, int maxChannelDifference,
                             int channelsDiffering, int channels) {

        public String summary() {
            return String.format(Locale.ROOT, "%d images: latents max abs difference %.3g; pixels: %d of %d channel "
                    + "values differ (%.4f %%), by at most %d levels", images, maxLatentDifference, channelsDiffering,
                    channels, 100.0 * channelsDiffering / channels, maxChannelDifference);
        }
    }
}
