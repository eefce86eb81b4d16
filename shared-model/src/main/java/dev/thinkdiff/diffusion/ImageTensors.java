package dev.thinkdiff.diffusion;

import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between packed 0xRRGGBB pixels (row-major 64×64, as the renderer and the judge use them) and flat
 * channel-first floats in [-1, 1] ([B, 3, 64, 64] row-major), the autoencoder's input and output range.
 */
public final class ImageTensors {

    public static final int SIZE = WorldRenderer.SIZE;
    public static final int PIXELS = SIZE * SIZE;
    public static final int FLOATS_PER_IMAGE = 3 * PIXELS;

    private ImageTensors() {
    }

    /** Writes image {@code pixels} as the {@code index}-th [3, 64, 64] block of {@code out}. */
    public static void put(int[] pixels, float[] out, int index) {
        int base = index * FLOATS_PER_IMAGE;
        for (int p = 0; p < PIXELS; p++) {
            int rgb = pixels[p];
            out[base + p] = ((rgb >> 16) & 0xFF) / 127.5f - 1f;
            out[base + PIXELS + p] = ((rgb >> 8) & 0xFF) / 127.5f - 1f;
            out[base + 2 * PIXELS + p] = (rgb & 0xFF) / 127.5f - 1f;
        }
    }

    public static float[] of(List<int[]> images) {
        float[] out = new float[images.size() * FLOATS_PER_IMAGE];
        for (int i = 0; i < images.size(); i++) {
            put(images.get(i), out, i);
        }
        return out;
    }

    /** The inverse of {@link #of}, clamping to [0, 255]. */
    public static List<int[]> pixels(float[] values, int count) {
        List<int[]> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int base = i * FLOATS_PER_IMAGE;
            int[] pixels = new int[PIXELS];
            for (int p = 0; p < PIXELS; p++) {
                pixels[p] = channel(values[base + p]) << 16 | channel(values[base + PIXELS + p]) << 8
                        | channel(values[base + 2 * PIXELS + p]);
            }
            images.add(pixels);
        }
        return images;
    }

    private static int channel(float value) {
        return Math.max(0, Math.min(255, Math.round((value + 1f) * 127.5f)));
    }
}
