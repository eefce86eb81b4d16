package dev.thinkdiff.functions.decode;

import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.store.Components;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.LongStream;
import org.jboss.logging.Logger;

/** {@code POST /decode}: a prompt embedding (or text) → images, through the flow sampler and the autoencoder. */
public class DecodeFunction {

    private static final Logger LOG = Logger.getLogger(DecodeFunction.class);

    @Inject
    DecodeModels models;

    @Inject
    CurrentVertxRequest http;

    @Funq("decode")
    public DecodeResponse decode(DecodeRequest request) {
        String requestId = FunctionHttp.requestId(http.getCurrent());
        StageTimings timings = new StageTimings(models::recordStage);
        DecodeModels.Served served = models.served();
        DecodeInput input = timings.time("read-embedding", () -> DecodeInput.bind(request,
                models.serving().limits(), served.pipeline(), models.objects()));
        List<byte[]> pngs = timings.batched(() -> models.draw(input));
        List<DecodeResponse.Image> images = timings.time("write-images", () -> images(input, pngs, requestId));
        DecodeResponse response = new DecodeResponse(requestId, images, LongStream.of(input.seeds()).boxed().toList(),
                input.settings().steps(), input.settings().guidanceScale(), served.versions(), timings.millis(),
                timings.billedMillisCeil());
        models.recordBilled(served.versions().get(Components.DIFFUSION), response.billedMillis());
        LOG.infof("decoded input=%s seeds=%d..%d steps=%d guidance=%s ms=%d", input.text() != null ? "text"
                : "embedding", input.seeds()[0], input.seeds()[input.seeds().length - 1], response.steps(),
                response.guidance(), response.billedMillis());
        return response;
    }

    /** The PNGs inline (base64) or written to the request's {@code output} prefix. */
    private List<DecodeResponse.Image> images(DecodeInput input, List<byte[]> pngs, String requestId) {
        List<DecodeResponse.Image> images = new ArrayList<>(pngs.size());
        for (int i = 0; i < pngs.size(); i++) {
            long seed = input.seeds()[i];
            if (input.output() == null) {
                images.add(new DecodeResponse.Image(seed, Base64.getEncoder().encodeToString(pngs.get(i)), null));
            } else {
                var target = input.output().entry(requestId + "-" + seed + ".png");
                models.objects().write("output", target, pngs.get(i));
                images.add(new DecodeResponse.Image(seed, null, target.toString()));
            }
        }
        return images;
    }
}
