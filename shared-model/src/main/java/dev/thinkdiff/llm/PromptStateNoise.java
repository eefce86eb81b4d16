package dev.thinkdiff.llm;

import java.util.SplittableRandom;

/**
 * Perturbations of prompt states [B, T, D] (flat, with a [B, T] mask) that teach the decoder to read robust
 * semantic directions instead of the exact codes of its training texts: Gaussian noise relative to each example's
 * state RMS, random rescaling, and hiding random tokens from cross-attention. Only real tokens are touched; padding
 * stays zero. Pure functions of the random state, so training batches stay reproducible.
 */
final class PromptStateNoise {

    private PromptStateNoise() {
    }

    /** Root-mean-square of example {@code i}'s real token states. */
    static double rms(float[] states, float[] mask, int i, int tokens, int dimension) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[i * tokens + t] == 0) {
                continue;
            }
            int offset = (i * tokens + t) * dimension;
            for (int d = 0; d < dimension; d++) {
                sum += (double) states[offset + d] * states[offset + d];
            }
            count += dimension;
        }
        return count == 0 ? 0 : Math.sqrt(sum / count);
    }

    /** Adds N(0, (fraction × RMS)²) to example {@code i}'s real token states. */
    static void addNoise(float[] states, float[] mask, int i, int tokens, int dimension, double fraction,
            SplittableRandom random) {
        double sigma = fraction * rms(states, mask, i, tokens, dimension);
        for (int t = 0; t < tokens; t++) {
            if (mask[i * tokens + t] == 0) {
                continue;
            }
            int offset = (i * tokens + t) * dimension;
            for (int d = 0; d < dimension; d++) {
                states[offset + d] += (float) (random.nextGaussian() * sigma);
            }
        }
    }

    static void scale(float[] states, int i, int tokens, int dimension, double factor) {
        for (int k = i * tokens * dimension; k < (i + 1) * tokens * dimension; k++) {
            states[k] *= (float) factor;
        }
    }

    /** Masks each real token of example {@code i} with probability {@code p}, keeping at least one visible. */
    static void dropKeys(float[] mask, int i, int tokens, double p, SplittableRandom random) {
        int real = 0;
        int kept = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[i * tokens + t] != 0) {
                real++;
                if (random.nextDouble() < p) {
                    mask[i * tokens + t] = -1; // dropped, restored below if nothing else is left
                } else {
                    kept++;
                }
            }
        }
        int restore = kept == 0 && real > 0 ? random.nextInt(real) : -1;
        int seen = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[i * tokens + t] == -1) {
                mask[i * tokens + t] = seen++ == restore ? 1 : 0;
            }
        }
    }
}
