package dev.thinkdiff.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.WorldRenderer;
import java.util.List;

/** A batch of 64×64 images as the network reads them: planar RGB floats in [0, 1], plus each image's theme. */
final class JudgeImages {

    static final int SIZE = WorldRenderer.SIZE;
    static final int PIXELS = SIZE * SIZE;
    static final int FLOATS_PER_IMAGE = 3 * PIXELS;

    final float[] chw;
    final int[] themes;

    JudgeImages(int batchSize) {
        chw = new float[batchSize * FLOATS_PER_IMAGE];
        themes = new int[batchSize];
    }

    int size() {
        return themes.length;
    }

    /** Stores image {@code index}: packed 0xRRGGBB pixels (top byte ignored), row-major 64×64. */
    void set(int index, int[] rgb, Theme theme) {
        if (rgb.length != PIXELS) {
            throw new IllegalArgumentException("expected " + PIXELS + " pixels (64×64), got " + rgb.length);
        }
        int base = index * FLOATS_PER_IMAGE;
        for (int p = 0; p < PIXELS; p++) {
            int pixel = rgb[p];
            chw[base + p] = ((pixel >> 16) & 0xFF) / 255f;
            chw[base + PIXELS + p] = ((pixel >> 8) & 0xFF) / 255f;
            chw[base + 2 * PIXELS + p] = (pixel & 0xFF) / 255f;
        }
        themes[index] = theme.ordinal();
    }

    NDList inputs(NDManager manager) {
        NDArray images = manager.create(chw, new Shape(size(), 3, SIZE, SIZE));
        NDArray themeArray = manager.create(themes);
        return new NDList(images, themeArray);
    }

    static JudgeImages of(List<int[]> images, List<Theme> themes) {
        if (images.size() != themes.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + themes.size() + " themes");
        }
        JudgeImages batch = new JudgeImages(images.size());
        for (int i = 0; i < images.size(); i++) {
            batch.set(i, images.get(i), themes.get(i));
        }
        return batch;
    }
}
