package dev.thinkdiff.functions.encode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.serving.EmbeddingPayload;
import dev.thinkdiff.serving.ObjectStorage.ObjectRef;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.store.Components;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code POST /encode}: ThinkDiff-LVLM's reason → align stages. The VLM reads the interleaved prompt and samples its
 * answer; the aligner maps the features of the generated tokens into the prompt encoder's space, for the decode
 * function to draw. With {@code variant: clip}, ThinkDiff-CLIP: the images' aligned CLIP tokens and the text's encoder
 * states, concatenated.
 */
public class EncodeFunction {

    private static final Logger LOG = Logger.getLogger(EncodeFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EncodeModels models;

    @Inject
    CurrentVertxRequest http;

    @Funq("encode")
    public EncodeResponse encode(EncodeRequest request) {
        String requestId = FunctionHttp.requestId(http.getCurrent());
        StageTimings timings = new StageTimings(models::recordStage);
        EncodeModels.Served served = models.served();
        EncodeInput input = timings.time("read-prompt", () -> EncodeInput.bind(request, models.serving().limits(),
                served, () -> timings.unbilled("await-clip", models::clip)));
        EncodeModels.Encoding encoding = timings.batched(() -> models.encode(input));
        EmbeddingPayload embedding = EmbeddingPayload.of(encoding.embedding());
        String uri = input.output() == null ? null : timings.time("write-embedding", () -> write(embedding,
                input.output(), requestId));
        EncodeResponse response = input instanceof EncodeInput.Lvlm lvlm
                ? new EncodeResponse(requestId, EncodeInput.LVLM, encoding.text(), encoding.tokens(),
                        encoding.finished(), uri == null ? embedding : null, uri, lvlm.sampling().seed(),
                        lvlm.sampling().temperature(), lvlm.sampling().topP(), lvlm.maxTokens(),
                        lvlm.sampling().queryContrast(), served.versions(),
                        timings.millis(), timings.billedMillisCeil())
                : new EncodeResponse(requestId, EncodeInput.CLIP, encoding.text(), encoding.tokens(), true,
                        uri == null ? embedding : null, uri, null, null, null, null, null, models.clip().versions(),
                        timings.millis(), timings.billedMillisCeil());
        Map<String, String> versions = response.models();
        models.recordBilled(versions.getOrDefault(Components.ALIGNER, versions.get(Components.CLIP_ALIGNER)),
                response.billedMillis());
        LOG.infof("encoded variant=%s items=%d seed=%s answer=\"%s\" tokens=%d ms=%d", response.variant(),
                input.prompt().size(), response.seed(), response.text(), response.tokens(), response.billedMillis());
        return response;
    }

    private String write(EmbeddingPayload embedding, ObjectRef output, String requestId) {
        ObjectRef target = output.entry(requestId + ".json");
        try {
            byte[] json = JSON.writeValueAsString(embedding).getBytes(StandardCharsets.UTF_8);
            models.objects().write("output", target, json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return target.toString();
    }
}
