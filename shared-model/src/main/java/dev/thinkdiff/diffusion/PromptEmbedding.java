package dev.thinkdiff.diffusion;

import dev.thinkdiff.text.EncodedPrompts;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of prompt embeddings for the diffusion decoder: token states [B, T, D] with a [B, T] mask (1 = real token),
 * flat and row-major. ANY embedding in the prompt encoder's space fits: the encoder's own states of a text, or aligned
 * VLM features fed in directly (ThinkDiff's inference path).
 */
public record PromptEmbedding(float[] states, float[] mask, int batchSize, int length, int dimension) {

    public PromptEmbedding {
        if (batchSize < 1 || length < 1 || mask.length != batchSize * length
                || states.length != mask.length * dimension) {
            throw new IllegalArgumentException("prompt arrays do not match [" + batchSize + ", " + length + ", "
                    + dimension + "]");
        }
    }

    public static PromptEmbedding of(EncodedPrompts prompts) {
        return new PromptEmbedding(prompts.states(), prompts.mask(), prompts.batchSize(), prompts.sequenceLength(),
                prompts.dimension());
    }

    /** One unpadded embedding of {@code states.length / dimension} tokens. */
    public static PromptEmbedding single(float[] states, int dimension) {
        int tokens = states.length / dimension;
        float[] mask = new float[tokens];
        Arrays.fill(mask, 1f);
        return new PromptEmbedding(states, mask, 1, tokens, dimension);
    }

    /** Unpadded embeddings (flat [T_i × dimension] each) as one batch, right-padded to the longest with mask 0. */
    public static PromptEmbedding stack(List<float[]> sequences, int dimension) {
        int length = sequences.stream().mapToInt(s -> s.length / dimension).max().orElse(0);
        if (length == 0) {
            throw new IllegalArgumentException("no prompt tokens to stack");
        }
        float[] states = new float[sequences.size() * length * dimension];
        float[] mask = new float[sequences.size() * length];
        for (int b = 0; b < sequences.size(); b++) {
            float[] sequence = sequences.get(b);
            System.arraycopy(sequence, 0, states, b * length * dimension, sequence.length);
            Arrays.fill(mask, b * length, b * length + sequence.length / dimension, 1f);
        }
        return new PromptEmbedding(states, mask, sequences.size(), length, dimension);
    }

    /**
     * One-example embeddings as one batch, each right-padded to the longest with mask 0 (its own mask kept), so that
     * requests with different prompts are sampled together.
     */
    public static PromptEmbedding batch(List<PromptEmbedding> examples) {
        int length = examples.stream().mapToInt(PromptEmbedding::length).max().orElse(0);
        int dimension = examples.isEmpty() ? 0 : examples.get(0).dimension();
        if (length == 0) {
            throw new IllegalArgumentException("no prompt tokens to batch");
        }
        float[] states = new float[examples.size() * length * dimension];
        float[] mask = new float[examples.size() * length];
        for (int b = 0; b < examples.size(); b++) {
            PromptEmbedding example = examples.get(b);
            if (example.batchSize() != 1 || example.dimension() != dimension) {
                throw new IllegalArgumentException("examples must be single [T, " + dimension + "] embeddings");
            }
            System.arraycopy(example.states(), 0, states, b * length * dimension, example.states().length);
            System.arraycopy(example.mask(), 0, mask, b * length, example.length());
        }
        return new PromptEmbedding(states, mask, examples.size(), length, dimension);
    }

    /** A batch of {@code copies} copies of this one-example batch (one image per seed from the same prompt). */
    public PromptEmbedding repeat(int copies) {
        if (batchSize != 1 || copies < 1) {
            throw new IllegalArgumentException("repeat needs one example and copies ≥ 1, got " + batchSize + ", "
                    + copies);
        }
        float[] s = new float[states.length * copies];
        float[] m = new float[mask.length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(states, 0, s, i * states.length, states.length);
            System.arraycopy(mask, 0, m, i * mask.length, mask.length);
        }
        return new PromptEmbedding(s, m, copies, length, dimension);
    }

    /** Examples {@code from .. to-1} as their own batch (padding kept). */
    public PromptEmbedding slice(int from, int to) {
        return new PromptEmbedding(Arrays.copyOfRange(states, from * length * dimension, to * length * dimension),
                Arrays.copyOfRange(mask, from * length, to * length), to - from, length, dimension);
    }
}
