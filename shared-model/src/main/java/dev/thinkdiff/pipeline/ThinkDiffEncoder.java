package dev.thinkdiff.pipeline;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
import java.util.ArrayList;
import java.util.List;

/**
 * ThinkDiff-LVLM's reason → align stages, the one code path of the benchmark evaluation and of the encode function:
 * the VLM reads the interleaved prompt and generates its answer, keeping for every generated token the state that
 * predicted it; the aligner maps those features into the prompt encoder's space. The result is a prompt embedding
 * for {@link dev.thinkdiff.diffusion.DiffusionPipeline} (no padding, no pooled text: the decoder reads it as is).
 * Owns neither model.
 */
public final class ThinkDiffEncoder {

    /**
     * One prompt's outcome.
     *
     * @param generation what the VLM generated, with its features
     * @param embedding the aligned features, flat [tokens × d]
     */
    public record Encoded(Generation generation, float[] embedding) {
    }

    private final Vlm vlm;
    private final Aligner aligner;

    public ThinkDiffEncoder(Vlm vlm, Aligner aligner) {
        if (vlm.dimension() != aligner.config().vlmWidth()) {
            throw new IllegalArgumentException("the aligner reads " + aligner.config().vlmWidth()
                    + "-wide features, the VLM gives " + vlm.dimension());
        }
        this.vlm = vlm;
        this.aligner = aligner;
    }

    public Vlm vlm() {
        return vlm;
    }

    public Aligner aligner() {
        return aligner;
    }

    /**
     * Encodes every prompt ({@link #reason} then {@link #align}); prompt i samples from {@code streams[i]}, so its
     * result does not depend on its batch.
     *
     * @param maxNewTokens generation limit (the aligner's training limit is {@code aligner.config().maxNewTokens()})
     */
    public List<Encoded> encode(List<List<VlmItem>> prompts, Sampling sampling, long[] streams, int maxNewTokens) {
        return align(reason(prompts, sampling, streams, maxNewTokens));
    }

    /** The reasoning stage: the VLM's answers with the features of their generated tokens. */
    public List<Generation> reason(List<List<VlmItem>> prompts, Sampling sampling, long[] streams,
            int maxNewTokens) {
        return vlm.generate(prompts, sampling, streams, maxNewTokens);
    }

    /** The alignment stage: every generation's features mapped into the prompt encoder's space. */
    public List<Encoded> align(List<Generation> generations) {
        List<Encoded> encoded = new ArrayList<>(generations.size());
        for (Generation generation : generations) {
            encoded.add(new Encoded(generation, aligner.align(generation.features())));
        }
        return encoded;
    }

    /** The embeddings of {@code encoded} as one batch for the diffusion decoder. */
    public PromptEmbedding embedding(List<Encoded> encoded) {
        return PromptEmbedding.stack(encoded.stream().map(Encoded::embedding).toList(),
                aligner.config().promptDimension());
    }
}
