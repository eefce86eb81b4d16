package dev.thinkdiff.functions.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.FlowSampler;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.serving.EmbeddingPayload;
import dev.thinkdiff.serving.Fields;
import dev.thinkdiff.serving.ObjectStorage;
import dev.thinkdiff.serving.ObjectStorage.ObjectRef;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.RequestJson;
import dev.thinkdiff.serving.ServingConfig;
import java.io.IOException;
import java.util.stream.LongStream;

/**
 * A decode request, validated: what to draw (an embedding, or a text the batch encodes), one seed per image, the
 * sampler settings (requests with equal settings are batched) and where the images go (null: inline).
 */
record DecodeInput(PromptEmbedding embedding, String text, long[] seeds, FlowSampler.Settings settings,
        ObjectRef output) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field of {@code request} checked against the limits and the pipeline; the embedding read. */
    static DecodeInput bind(DecodeRequest request, ServingConfig.Limits limits, DiffusionPipeline pipeline,
            ObjectStorage objects) {
        Fields.required("body", request);
        Fields.exactlyOne("text|embedding|embeddingUri", request.text(), request.embedding(), request.embeddingUri());
        int count = Fields.intInRange("count", request.count(), 1, 1, limits.count());
        long seed = Fields.seed("seed", request.seed(), count);
        ObjectRef output = request.output() == null ? null : ObjectRef.parse("output", request.output());
        String text = request.text() == null ? null : Fields.text("text", request.text(), limits.textChars());
        FlowSampler.Settings defaults = pipeline.defaultSettings();
        FlowSampler.Settings settings = new FlowSampler.Settings(
                Fields.intInRange("steps", request.steps(), defaults.steps(), 1, limits.steps()),
                Fields.finiteInRange("guidance", request.guidance(), defaults.guidanceScale(), 0, limits.guidance()));
        int dimension = pipeline.config().promptDimension();
        PromptEmbedding embedding = request.embedding() != null
                ? request.embedding().toPromptEmbedding("embedding", dimension, limits.embeddingTokens())
                : request.embeddingUri() != null ? fetch(objects, request.embeddingUri(), dimension, limits) : null;
        return new DecodeInput(embedding, text, LongStream.range(seed, seed + count).toArray(), settings, output);
    }

    /** The embedding JSON an {@code s3://} reference points at, read through the configured S3-compatible store. */
    private static PromptEmbedding fetch(ObjectStorage objects, String uri, int dimension,
            ServingConfig.Limits limits) {
        ObjectRef ref = ObjectRef.parse("embeddingUri", uri);
        byte[] json = objects.read("embeddingUri", ref, limits.embeddingBytes());
        EmbeddingPayload payload;
        try {
            payload = JSON.readValue(json, EmbeddingPayload.class);
        } catch (IOException e) {
            RequestException refusal = RequestJson.refusal(e);
            throw RequestException.badInput("embeddingUri", ref + " is not an embedding JSON object: "
                    + (refusal == null ? e.getMessage() : refusal.getMessage()));
        }
        return payload.toPromptEmbedding("embeddingUri(" + ref + ")", dimension, limits.embeddingTokens());
    }
}
