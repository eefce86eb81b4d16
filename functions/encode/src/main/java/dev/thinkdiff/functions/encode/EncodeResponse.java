package dev.thinkdiff.functions.encode;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.thinkdiff.serving.EmbeddingPayload;
import java.util.Map;

/**
 * The VLM's answer and the aligned prompt embedding for the decode function: {@code embedding} inline ([T, 384]
 * float32, base64) or {@code embeddingUri}, the object it was written to. Also the sampling used, the model versions,
 * per-stage wall times and the billed compute milliseconds. Same inputs, seed and versions: the same bytes. The
 * {@code clip} variant does not sample: no seed, temperature, top-p, token limit or query contrast; {@code text} is its text items
 * joined, {@code tokens} the embedding's vector count.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EncodeResponse(String requestId, String variant, String text, int tokens, boolean finished,
        EmbeddingPayload embedding, String embeddingUri, Long seed, Double temperature, Double topP, Integer maxTokens,
        Double queryContrast, Map<String, String> models, Map<String, Double> timingsMillis, long billedMillis) {
}
