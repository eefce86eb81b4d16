package dev.thinkdiff.vlm;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A right-padded batch of token sequences as {@link VlmNet} reads it: tokens, image rows and types [B, L] and the
 * images [N, 3, 64, 64] (planar RGB in [0, 1]) in sequence order.
 */
record VlmInputs(int[] tokens, int[] imageRows, int[] types, float[] images, int batchSize, int length,
                 int imageCount) {

    private static final int PIXELS = WorldRenderer.SIZE * WorldRenderer.SIZE;

    static VlmInputs of(List<TokenSequence> sequences, int padIndex, int imageTokens) {
        return of(sequences, padIndex, imageTokens, false);
    }

    /**
     * @param shareImages encode each distinct image once (identical pixels share image rows): episodes of one task
     *     show the same few demo images again and again. Training keeps one image per occurrence, in order.
     */
    static VlmInputs of(List<TokenSequence> sequences, int padIndex, int imageTokens, boolean shareImages) {
        int length = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        int batch = sequences.size();
        int[] tokens = new int[batch * length];
        int[] imageRows = new int[batch * length];
        int[] types = new int[batch * length];
        Arrays.fill(tokens, padIndex);
        Map<ImageKey, Integer> indexOf = new HashMap<>();
        List<int[]> distinct = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            TokenSequence sequence = sequences.get(b);
            int row = b * length;
            System.arraycopy(sequence.tokens(), 0, tokens, row, sequence.length());
            System.arraycopy(sequence.types(), 0, types, row, sequence.length());
            int nextImage = 0;
            int slot = 0;
            int base = 0;
            for (int t = 0; t < sequence.length(); t++) {
                if (sequence.types()[t] != VlmNet.IMAGE_TYPE) {
                    continue;
                }
                if (slot == 0) {
                    int[] rgb = sequence.images().get(nextImage++);
                    Integer index = shareImages ? indexOf.get(new ImageKey(rgb)) : null;
                    if (index == null) {
                        index = distinct.size();
                        distinct.add(rgb);
                        if (shareImages) {
                            indexOf.put(new ImageKey(rgb), index);
                        }
                    }
                    base = index * imageTokens;
                }
                imageRows[row + t] = 1 + base + slot;
                slot = (slot + 1) % imageTokens;
            }
        }
        float[] images = new float[distinct.size() * 3 * PIXELS];
        for (int i = 0; i < distinct.size(); i++) {
            int[] rgb = distinct.get(i);
            int base = i * 3 * PIXELS;
            for (int p = 0; p < PIXELS; p++) {
                int pixel = rgb[p];
                images[base + p] = ((pixel >> 16) & 0xFF) / 255f;
                images[base + PIXELS + p] = ((pixel >> 8) & 0xFF) / 255f;
                images[base + 2 * PIXELS + p] = (pixel & 0xFF) / 255f;
            }
        }
        return new VlmInputs(tokens, imageRows, types, images, batch, length, distinct.size());
    }

    /** Pixel arrays compared by content. */
    private record ImageKey(int[] rgb) {

        @Override
        public boolean equals(Object other) {
            return other instanceof ImageKey key && Arrays.equals(rgb, key.rgb);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(rgb);
        }
    }

    NDList arrays(NDManager manager) {
        Shape shape = new Shape(batchSize, length);
        return new NDList(manager.create(tokens, shape), manager.create(imageRows, shape), manager.create(types, shape),
                manager.create(images, new Shape(imageCount, 3, WorldRenderer.SIZE, WorldRenderer.SIZE)));
    }
}
