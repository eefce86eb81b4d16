package dev.thinkdiff.diffusion;

import java.util.SplittableRandom;

/**
 * Perturbations of prompt states that teach the diffusion decoder to read the prompt space robustly instead of the
 * exact codes of its training texts (docs/design.md §3, finding 3): Gaussian noise relative to the example's state RMS,
 * and hiding random tokens from cross-attention through the mask. Only real tokens are touched. Norm changes need no
 * augmentation: the network RMS-normalises every prompt token. Pure functions of the random state.
 */
public final class PromptAugmentation {

    private PromptAugmentation() {
    }

    /** Adds N(0, (fraction × RMS)²) to example {@code i}'s real token states ([B, T, D] flat, mask [B, T]). */
    static void addNoise(float[] states, float[] mask, int i, int length, int dimension, double fraction,
            SplittableRandom random) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < length; t++) {
            if (mask[i * length + t] != 0) {
                int offset = (i * length + t) * dimension;
                for (int d = 0; d < dimension; d++) {
                    sum += (double) states[offset + d] * states[offset + d];
                }
                count += dimension;
            }
        }
        double sigma = count == 0 ? 0 : fraction * Math.sqrt(sum / count);
        for (int t = 0; t < length; t++) {
            if (mask[i * length + t] != 0) {
                int offset = (i * length + t) * dimension;
                for (int d = 0; d < dimension; d++) {
                    states[offset + d] += (float) (random.nextGaussian() * sigma);
                }
            }
        }
    }

    /** Hides each real token of example {@code i} with probability {@code p}, always keeping at least one. */
    public static void dropTokens(float[] mask, int i, int length, double p, SplittableRandom random) {
        int kept = 0;
        int firstDropped = -1;
        for (int t = 0; t < length; t++) {
            if (mask[i * length + t] != 0) {
                if (random.nextDouble() < p) {
                    mask[i * length + t] = 0;
                    firstDropped = firstDropped < 0 ? t : firstDropped;
                } else {
                    kept++;
                }
            }
        }
        if (kept == 0 && firstDropped >= 0) {
            mask[i * length + firstDropped] = 1;
        }
    }
}
