package dev.thinkdiff.vlm;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.world.WorldRenderer;
import java.util.Arrays;
import java.util.List;

/**
 * A right-padded batch of token sequences as {@link VlmNet} reads it: tokens, image rows and types [B, L] and the
 * images [N, 3, 64, 64] (planar RGB in [0, 1]) in sequence order.
 */
record VlmInputs(int[] tokens, int[] imageRows, int[] types, float[] images, int batchSize, int length,
                 int imageCount) {

    private static final int PIXELS = WorldRenderer.SIZE * WorldRenderer.SIZE;

    static VlmInputs of(List<TokenSequence> sequences, int padIndex, int imageTokens) {
        int length = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        int imageCount = sequences.stream().mapToInt(s -> s.images().size()).sum();
        int batch = sequences.size();
        int[] tokens = new int[batch * length];
        int[] imageRows = new int[batch * length];
        int[] types = new int[batch * length];
        float[] images = new float[imageCount * 3 * PIXELS];
        Arrays.fill(tokens, padIndex);
        int image = 0;
        for (int b = 0; b < batch; b++) {
            TokenSequence sequence = sequences.get(b);
            int row = b * length;
            System.arraycopy(sequence.tokens(), 0, tokens, row, sequence.length());
            System.arraycopy(sequence.types(), 0, types, row, sequence.length());
            int slot = image * imageTokens;
            for (int t = 0; t < sequence.length(); t++) {
                if (sequence.types()[t] == VlmNet.IMAGE_TYPE) {
                    imageRows[row + t] = 1 + slot++;
                }
            }
            for (int[] rgb : sequence.images()) {
                int base = image++ * 3 * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    int pixel = rgb[p];
                    images[base + p] = ((pixel >> 16) & 0xFF) / 255f;
                    images[base + PIXELS + p] = ((pixel >> 8) & 0xFF) / 255f;
                    images[base + 2 * PIXELS + p] = (pixel & 0xFF) / 255f;
                }
            }
        }
        return new VlmInputs(tokens, imageRows, types, images, batch, length, imageCount);
    }

    NDList arrays(NDManager manager) {
        Shape shape = new Shape(batchSize, length);
        return new NDList(manager.create(tokens, shape), manager.create(imageRows, shape), manager.create(types, shape),
                manager.create(images, new Shape(imageCount, 3, WorldRenderer.SIZE, WorldRenderer.SIZE)));
    }
}
