package dev.thinkdiff.text;

import java.util.List;

/**
 * The "LLM encoder" of ThinkDiff: turns prompt text into per-token states. Those states are the prompt-embedding space
 * that the diffusion decoder and the LLM decoder both read, and that the aligner maps VLM features into. The pocket
 * family implements it with MiniLM; a T5 encoder could implement it too.
 *
 * <p>Implementations are frozen (no training), deterministic and safe to share between threads.
 */
public interface PromptEncoder extends AutoCloseable {

    /** Encodes a non-empty batch; each text is truncated to the encoder's maximum token count. */
    EncodedPrompts encode(List<String> texts);

    default EncodedPrompts encode(String text) {
        return encode(List.of(text));
    }

    /** Width D of every token state. */
    int dimension();

    /** Maximum tokens per text, special tokens included. */
    int maxTokens();

    /** Scale of the encoder's final normalization, D values: the initial weight of the aligner's closing RMSNorm. */
    float[] finalNormWeight();

    /**
     * Identifies the exact weights, for manifests' {@code inputs}: {@code name@version#sha256:hex} where the hash is
     * that of the model file, so models trained against these states can tell if the encoder changed.
     */
    String artifact();

    @Override
    void close();
}
