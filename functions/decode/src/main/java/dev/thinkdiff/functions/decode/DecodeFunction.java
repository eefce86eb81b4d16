package dev.thinkdiff.functions.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.FlowEulerSampler;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.serving.EmbeddingPayload;
import dev.thinkdiff.serving.Fields;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.serving.ObjectStorage.ObjectRef;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.RequestJson;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.serving.StageTimings;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.LongStream;
import org.jboss.logging.Logger;

/** {@code POST /decode}: a prompt embedding (or text) → images, through the flow sampler and the autoencoder. */
public class DecodeFunction {

    private static final Logger LOG = Logger.getLogger(DecodeFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DecodeModels models;

    @Inject
    CurrentVertxRequest http;

    @Funq("decode")
    public DecodeResponse decode(DecodeRequest request) {
        String requestId = FunctionHttp.requestId(http.getCurrent());
        ServingConfig.Limits limits = models.serving().limits();
        StageTimings timings = new StageTimings(models::recordStage);
        Fields.required("body", request);
        Fields.exactlyOne("text|embedding|embeddingUri", request.text(), request.embedding(), request.embeddingUri());
        int count = Fields.intInRange("count", request.count(), 1, 1, limits.count());
        long seed = Fields.seed("seed", request.seed(), count);
        ObjectRef output = request.output() == null ? null : ObjectRef.parse("output", request.output());
        if (request.text() != null) {
            Fields.text("text", request.text(), limits.textChars());
        }
        DecodeModels.Served served = models.served();
        DiffusionPipeline pipeline = served.pipeline();
        FlowEulerSampler.Settings defaults = pipeline.defaultSettings();
        int steps = Fields.intInRange("steps", request.steps(), defaults.steps(), 1, limits.steps());
        double guidance = Fields.finiteInRange("guidance", request.guidance(), defaults.guidanceScale(), 0,
                limits.guidance());
        int dimension = pipeline.config().promptDimension();
        PromptEmbedding inline = timings.time("read-embedding", () -> request.embedding() != null
                ? request.embedding().toPromptEmbedding("embedding", dimension, limits.embeddingTokens())
                : request.embeddingUri() != null ? fetch(request.embeddingUri(), dimension, limits) : null);
        long[] seeds = LongStream.range(seed, seed + count).toArray();
        return models.gate().run(() -> {
            PromptEmbedding prompt = inline != null ? inline : timings.time("encode-text",
                    () -> PromptEmbedding.of(served.encoder().encode(List.of(request.text()))));
            float[] latents = timings.time("sample", () -> pipeline.sample(prompt.repeat(count), seeds,
                    new FlowEulerSampler.Settings(steps, guidance)));
            List<int[]> pixels = timings.time("decode-latents", () -> pipeline.decode(latents, count));
            List<DecodeResponse.Image> images = timings.time("png", () -> images(pixels, seeds, output, requestId));
            DecodeResponse response = new DecodeResponse(requestId, images, LongStream.of(seeds).boxed().toList(),
                    steps, guidance, served.versions(), timings.millis(), timings.elapsedMillisCeil());
            LOG.infof("decoded input=%s seeds=%d..%d steps=%d guidance=%s ms=%d", request.text() != null ? "text"
                    : "embedding", seed, seed + count - 1, steps, guidance, response.billedMillis());
            return response;
        });
    }

    /** The embedding JSON an {@code s3://} reference points at, read through the configured S3-compatible store. */
    private PromptEmbedding fetch(String uri, int dimension, ServingConfig.Limits limits) {
        ObjectRef ref = ObjectRef.parse("embeddingUri", uri);
        byte[] json = models.objects().read("embeddingUri", ref, limits.embeddingBytes());
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

    private List<DecodeResponse.Image> images(List<int[]> pixels, long[] seeds, ObjectRef output, String requestId) {
        List<DecodeResponse.Image> images = new ArrayList<>(pixels.size());
        for (int i = 0; i < pixels.size(); i++) {
            byte[] png = ImageInput.png(DiffusionPipeline.toImage(pixels.get(i)));
            if (output == null) {
                images.add(new DecodeResponse.Image(seeds[i], Base64.getEncoder().encodeToString(png), null));
            } else {
                ObjectRef target = output.entry(requestId + "-" + seeds[i] + ".png");
                models.objects().write("output", target, png);
                images.add(new DecodeResponse.Image(seeds[i], null, target.toString()));
            }
        }
        return images;
    }
}
