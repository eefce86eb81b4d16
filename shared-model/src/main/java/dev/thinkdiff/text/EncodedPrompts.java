package dev.thinkdiff.text;

import java.util.Arrays;

/**
 * Per-token encoder states of a batch of texts, right-padded to the batch's longest text.
 *
 * <p>All arrays are flat and row-major so that DJL code turns them into NDArrays with one copy and no reshaping loop:
 * {@code manager.create(states, new Shape(batchSize, sequenceLength, dimension))},
 * {@code manager.create(mask, new Shape(batchSize, sequenceLength))} and likewise for {@code tokenIds}.
 *
 * @param states         [B, T, D] token states; zero at padding positions
 * @param mask           [B, T] 1 at real tokens (special tokens included), 0 at padding; float so it can scale states
 * @param tokenIds       [B, T] tokenizer ids, the padding id at padding positions
 * @param batchSize      B
 * @param sequenceLength T, the longest text's token count in this batch
 * @param dimension      D
 */
public record EncodedPrompts(float[] states, float[] mask, long[] tokenIds, int batchSize, int sequenceLength,
                             int dimension) {

    public EncodedPrompts {
        int tokens = Math.multiplyExact(batchSize, sequenceLength);
        if (states.length != Math.multiplyExact(tokens, dimension) || mask.length != tokens
                || tokenIds.length != tokens) {
            throw new IllegalArgumentException("arrays do not match shape [" + batchSize + ", " + sequenceLength
                    + ", " + dimension + "]");
        }
    }

    /** Number of real (unpadded) tokens of text {@code i}. */
    public int length(int i) {
        int offset = i * sequenceLength;
        int length = 0;
        while (length < sequenceLength && mask[offset + length] != 0) {
            length++;
        }
        return length;
    }

    /** The states of text {@code i}'s real tokens only, [length(i), D] flat: a prompt embedding without padding. */
    public float[] tokenStates(int i) {
        int from = i * sequenceLength * dimension;
        return Arrays.copyOfRange(states, from, from + length(i) * dimension);
    }

    /** The token ids of text {@code i}'s real tokens only. */
    public long[] tokenIds(int i) {
        int from = i * sequenceLength;
        return Arrays.copyOfRange(tokenIds, from, from + length(i));
    }

    /** Mean of text {@code i}'s real token states: a sentence embedding, as MiniLM is pooled for similarity. */
    public float[] meanPooled(int i) {
        int length = length(i);
        float[] mean = new float[dimension];
        float[] tokens = tokenStates(i);
        for (int t = 0; t < length; t++) {
            for (int d = 0; d < dimension; d++) {
                mean[d] += tokens[t * dimension + d] / length;
            }
        }
        return mean;
    }
}
