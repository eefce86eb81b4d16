package dev.thinkdiff.serving;

import dev.thinkdiff.diffusion.PromptEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * One prompt embedding on the wire: {@code data} is base64 of little-endian float32 token states, {@code shape} is
 * {@code [T, D]}, {@code mask} has T entries of 0 or 1 (1 = a real token; all ones when absent). The same JSON is what
 * an object-storage reference points at.
 */
public record EmbeddingPayload(String data, List<Integer> shape, List<Integer> mask) {

    public static EmbeddingPayload of(PromptEmbedding embedding) {
        if (embedding.batchSize() != 1) {
            throw new IllegalArgumentException("one embedding per payload, got a batch of " + embedding.batchSize());
        }
        List<Integer> mask = new ArrayList<>(embedding.length());
        for (float m : embedding.mask()) {
            mask.add(m > 0 ? 1 : 0);
        }
        return new EmbeddingPayload(Float32Codec.encode(embedding.states()),
                List.of(embedding.length(), embedding.dimension()), mask);
    }

    /**
     * Checks shape, mask and data against the model's width and the token limit.
     *
     * @param field the payload's JSON path, e.g. {@code embedding}
     */
    public PromptEmbedding toPromptEmbedding(String field, int dimension, int maxTokens) {
        Fields.required(field + ".shape", shape);
        if (shape.size() != 2 || shape.get(0) == null || shape.get(1) == null) {
            throw RequestException.badInput(field + ".shape", "must be [T, " + dimension + "], got " + shape);
        }
        int tokens = shape.get(0);
        if (shape.get(1) != dimension) {
            throw RequestException.badInput(field + ".shape", "width must be " + dimension + " (the prompt "
                    + "encoder's), got " + shape.get(1));
        }
        if (tokens < 1) {
            throw RequestException.badInput(field + ".shape", "T must be at least 1, got " + tokens);
        }
        if (tokens > maxTokens) {
            throw RequestException.tooLarge(field + ".shape", "T = " + tokens + "; at most " + maxTokens);
        }
        float[] states = Float32Codec.decode(field + ".data", data, tokens * dimension);
        float[] maskValues = new float[tokens];
        if (mask == null) {
            java.util.Arrays.fill(maskValues, 1f);
        } else {
            if (mask.size() != tokens) {
                throw RequestException.badInput(field + ".mask", "needs " + tokens + " entries (T), got "
                        + mask.size());
            }
            for (int i = 0; i < tokens; i++) {
                Integer m = mask.get(i);
                if (m == null || (m != 0 && m != 1)) {
                    throw RequestException.badInput(field + ".mask", "entry " + i + " must be 0 or 1, got " + m);
                }
                maskValues[i] = m;
            }
            if (!mask.contains(1)) {
                throw RequestException.badInput(field + ".mask", "masks out every token");
            }
        }
        return new PromptEmbedding(states, maskValues, 1, tokens, dimension);
    }
}
