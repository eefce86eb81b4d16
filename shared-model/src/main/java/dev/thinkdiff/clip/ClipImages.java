package dev.thinkdiff.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.world.WorldRenderer;
import java.util.List;

/** Packed 0xRRGGBB 64×64 images as planar RGB in [0, 1], [N, 3, 64, 64] row-major (the encoder's input). */
final class ClipImages {

    private static final int PIXELS = WorldRenderer.SIZE * WorldRenderer.SIZE;

    private ClipImages() {
    }

    static float[] planar(List<int[]> images) {
        float[] values = new float[images.size() * 3 * PIXELS];
        for (int i = 0; i < images.size(); i++) {
            int[] rgb = images.get(i);
            int base = i * 3 * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                values[base + p] = ((rgb[p] >> 16) & 0xFF) / 255f;
                values[base + PIXELS + p] = ((rgb[p] >> 8) & 0xFF) / 255f;
                values[base + 2 * PIXELS + p] = (rgb[p] & 0xFF) / 255f;
            }
        }
        return values;
    }

    static NDArray array(List<int[]> images, NDManager manager) {
        return manager.create(planar(images), new Shape(images.size(), 3, WorldRenderer.SIZE, WorldRenderer.SIZE));
    }
}
