package dev.thinkdiff.align;

import java.util.List;

/**
 * Feature sequences of different lengths as one right-padded batch: features [B, S, W] and mask [B, S] (1 = real),
 * flat and row-major.
 */
record FeatureBatch(float[] features, float[] mask, int size, int length) {

    static FeatureBatch of(List<float[][]> sequences, int width) {
        int length = Math.max(1, sequences.stream().mapToInt(s -> s.length).max().orElse(1));
        float[] features = new float[sequences.size() * length * width];
        float[] mask = new float[sequences.size() * length];
        for (int b = 0; b < sequences.size(); b++) {
            float[][] sequence = sequences.get(b);
            for (int t = 0; t < sequence.length; t++) {
                if (sequence[t].length != width) {
                    throw new IllegalArgumentException("feature " + t + " of sequence " + b + " has width "
                            + sequence[t].length + ", the aligner reads " + width);
                }
                System.arraycopy(sequence[t], 0, features, (b * length + t) * width, width);
                mask[b * length + t] = 1f;
            }
        }
        return new FeatureBatch(features, mask, sequences.size(), length);
    }
}
