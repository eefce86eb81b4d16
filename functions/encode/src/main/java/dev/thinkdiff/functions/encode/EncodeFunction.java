package dev.thinkdiff.functions.encode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.serving.CobsatInputs;
import dev.thinkdiff.serving.EmbeddingPayload;
import dev.thinkdiff.serving.Fields;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.serving.ObjectStorage.ObjectRef;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private static final String LVLM = "lvlm";
    private static final String CLIP = "clip";

    @Inject
    EncodeModels models;

    @Inject
    CurrentVertxRequest http;

    @Funq("encode")
    public EncodeResponse encode(EncodeRequest request) {
        String requestId = FunctionHttp.requestId(http.getCurrent());
        ServingConfig.Limits limits = models.serving().limits();
        StageTimings timings = new StageTimings(models::recordStage);
        Fields.required("body", request);
        Fields.exactlyOne("items|prompt", request.items(), request.prompt());
        String variant = variant(request.variant());
        if (variant.equals(CLIP)) {
            return encodeClip(request, requestId, limits, timings);
        }
        long seed = Fields.seed("seed", request.seed(), 1);
        Sampling sampling = sampling(request, seed);
        ObjectRef output = request.output() == null ? null : ObjectRef.parse("output", request.output());
        List<VlmItem> prompt = timings.time("read-prompt", () -> request.items() != null
                ? items(request.items(), limits) : benchmarkPrompt(request.prompt(), limits));
        EncodeModels.Served served = models.served();
        ThinkDiffEncoder encoder = served.encoder();
        int maxTokens = Fields.intInRange("maxTokens", request.maxTokens(),
                Math.min(encoder.aligner().config().maxNewTokens(), limits.newTokens()), 1, limits.newTokens());
        int promptTokens = encoder.vlm().promptTokens(prompt);
        int positions = encoder.vlm().config().maxPositions();
        if (positions - promptTokens < 2) {
            throw RequestException.tooLarge(request.items() != null ? "items" : "prompt", "the prompt is "
                    + promptTokens + " VLM tokens (each image is " + encoder.vlm().config().imageTokens()
                    + "); the VLM reads at most " + positions + " tokens, prompt and answer together");
        }
        return models.gate().run(() -> {
            Generation generation = timings.time("reason", () -> encoder.reason(List.of(prompt), sampling,
                    new long[] {seed}, maxTokens).get(0));
            ThinkDiffEncoder.Encoded encoded = timings.time("align", () -> encoder.align(List.of(generation))
                    .get(0));
            EmbeddingPayload embedding = EmbeddingPayload.of(encoder.embedding(List.of(encoded)));
            String uri = output == null ? null : timings.time("write-embedding", () -> write(embedding, output,
                    requestId));
            EncodeResponse response = new EncodeResponse(requestId, variant, generation.text(),
                    generation.tokens().length, generation.finished(), uri == null ? embedding : null, uri, seed,
                    sampling.temperature(), sampling.topP(), maxTokens, served.versions(), timings.millis(),
                    timings.elapsedMillisCeil());
            LOG.infof("encoded items=%d promptTokens=%d seed=%d answer=\"%s\" tokens=%d ms=%d", prompt.size(),
                    promptTokens, seed, generation.text(), response.tokens(), response.billedMillis());
            return response;
        });
    }

    /**
     * ThinkDiff-CLIP: no reasoning and no sampling; the embedding is concat(aligned tokens of each image in order,
     * prompt-encoder states of the text items joined by spaces). {@code text} echoes that text, {@code tokens} counts
     * the embedding's vectors.
     */
    private EncodeResponse encodeClip(EncodeRequest request, String requestId, ServingConfig.Limits limits,
            StageTimings timings) {
        if (request.prompt() != null) {
            throw RequestException.badInput("prompt", "variant 'clip' reads items (images and texts), not a "
                    + "benchmark prompt: it does no in-context reasoning");
        }
        for (String field : List.of("seed", "temperature", "topP", "maxTokens")) {
            Object value = switch (field) {
                case "seed" -> request.seed();
                case "temperature" -> request.temperature();
                case "topP" -> request.topP();
                default -> request.maxTokens();
            };
            if (value != null) {
                throw RequestException.badInput(field, "variant 'clip' does not sample: it has no " + field);
            }
        }
        EncodeModels.Clip clip = models.served().clip();
        if (clip.encoder() == null) {
            throw RequestException.badInput("variant", "'clip' (ThinkDiff-CLIP) is not served: " + clip.unavailable()
                    + "; use 'lvlm'");
        }
        ObjectRef output = request.output() == null ? null : ObjectRef.parse("output", request.output());
        List<VlmItem> items = timings.time("read-prompt", () -> items(request.items(), limits));
        List<int[]> images = items.stream().filter(VlmItem.Image.class::isInstance)
                .map(item -> ((VlmItem.Image) item).rgb()).toList();
        String text = String.join(" ", items.stream().filter(VlmItem.Text.class::isInstance)
                .map(item -> ((VlmItem.Text) item).text()).toList());
        return models.gate().run(() -> {
            PromptEmbedding prompt = timings.time("align", () -> clip.encoder().embedding(images, text));
            EmbeddingPayload embedding = EmbeddingPayload.of(prompt);
            String uri = output == null ? null : timings.time("write-embedding", () -> write(embedding, output,
                    requestId));
            EncodeResponse response = new EncodeResponse(requestId, CLIP, text, prompt.length(), true,
                    uri == null ? embedding : null, uri, null, null, null, null, clip.versions(), timings.millis(),
                    timings.elapsedMillisCeil());
            LOG.infof("encoded clip images=%d text=\"%s\" tokens=%d ms=%d", images.size(), text, prompt.length(),
                    response.billedMillis());
            return response;
        });
    }

    private static String variant(String value) {
        String variant = value == null ? LVLM : value.trim().toLowerCase(Locale.ROOT);
        if (!variant.equals(LVLM) && !variant.equals(CLIP)) {
            throw RequestException.badInput("variant", "must be 'lvlm' or 'clip', got '" + value + "'");
        }
        return variant;
    }

    private static Sampling sampling(EncodeRequest request, long seed) {
        // the aligner's sampling (the request is read before the models are ready: the defaults' own)
        Sampling aligners = AlignerConfig.defaults().sampling(seed);
        double temperature = Fields.finiteInRange("temperature", request.temperature(), aligners.temperature(), 0, 2);
        double topP = Fields.finiteInRange("topP", request.topP(), aligners.topP(), 0, 1);
        if (topP == 0) {
            throw RequestException.badInput("topP", "must be above 0 (1 keeps every token), got 0");
        }
        return new Sampling(temperature, topP, seed);
    }

    /** The interleaved items: texts checked, images decoded (header first) and scaled to the VLM's size. */
    private static List<VlmItem> items(List<EncodeRequest.Item> items, ServingConfig.Limits limits) {
        int maxItems = 2 * limits.shots() + 2;
        if (items.isEmpty()) {
            throw RequestException.badInput("items", "must not be empty");
        }
        if (items.size() > maxItems) {
            throw RequestException.tooLarge("items", items.size() + " items; at most " + maxItems);
        }
        List<VlmItem> prompt = new ArrayList<>(items.size());
        int images = 0;
        for (int i = 0; i < items.size(); i++) {
            String field = "items[" + i + "]";
            EncodeRequest.Item item = Fields.required(field, items.get(i));
            Fields.exactlyOne(field + ".text|image", item.text(), item.image());
            if (item.text() != null) {
                prompt.add(VlmItem.text(Fields.text(field + ".text", item.text(), limits.textChars())));
            } else if (++images > limits.shots()) {
                throw RequestException.tooLarge(field + ".image", "more than " + limits.shots()
                        + " images (the shot limit)");
            } else {
                prompt.add(VlmItem.image(ImageInput.decode(field + ".image", item.image(), limits)));
            }
        }
        return prompt;
    }

    /** A benchmark prompt exactly as the CoBSAT evaluation hands it to the VLM. */
    private static List<VlmItem> benchmarkPrompt(EncodeRequest.BenchmarkPrompt prompt, ServingConfig.Limits limits) {
        Episode episode = CobsatInputs.episode("prompt", CobsatInputs.task("prompt.task", prompt.task()),
                prompt.index(), prompt.shots(), prompt.split(), limits.shots());
        return VlmPrompts.episode(episode, BenchmarkImages::render, VlmPrompts.EPISODE_INSTRUCTION);
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
