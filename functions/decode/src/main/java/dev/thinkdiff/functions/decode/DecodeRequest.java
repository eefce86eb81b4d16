package dev.thinkdiff.functions.decode;

import dev.thinkdiff.serving.EmbeddingPayload;

/**
 * What to draw: exactly one of {@code text}, an inline {@code embedding} ([T, 384] token states in the prompt
 * encoder's space, e.g. the encode function's aligned features) or {@code embeddingUri} ({@code s3://bucket/key} of a
 * JSON object of the same form); then the sampler settings (absent: the model's defaults, a fresh seed, one image) and
 * where the images go ({@code output}: absent for inline base64 PNGs, or {@code s3://bucket/prefix}).
 */
public record DecodeRequest(String text, EmbeddingPayload embedding, String embeddingUri, Long seed, Integer steps,
        Double guidance, Integer count, String output) {
}
