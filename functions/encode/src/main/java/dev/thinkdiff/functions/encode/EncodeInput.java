package dev.thinkdiff.functions.encode;

import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.serving.CobsatInputs;
import dev.thinkdiff.serving.Fields;
import dev.thinkdiff.serving.ObjectStorage.ObjectRef;
import dev.thinkdiff.serving.PromptItem;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.VlmItem;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * An encode request, validated: the interleaved prompt (items read, or the benchmark prompt built) and either the
 * LVLM variant's sampling or the CLIP variant; where the embedding goes (null: inline). Requests of the same
 * {@link #batchKey} are encoded in one batch.
 */
sealed interface EncodeInput {

    String LVLM = "lvlm";
    String CLIP = "clip";

    List<VlmItem> prompt();

    ObjectRef output();

    /** What must match for requests to share a batch. */
    Object batchKey();

    /** ThinkDiff-LVLM: the VLM samples {@code maxTokens} at most from {@code sampling} (its seed: this request's). */
    record Lvlm(List<VlmItem> prompt, Sampling sampling, int maxTokens, int promptTokens, ObjectRef output)
            implements EncodeInput {
        @Override
        public Object batchKey() {
            return List.of(LVLM, sampling.temperature(), sampling.topP(), sampling.queryContrast(), maxTokens);
        }
    }

    /** ThinkDiff-CLIP: no sampling. */
    record Clip(List<VlmItem> prompt, ObjectRef output) implements EncodeInput {
        @Override
        public Object batchKey() {
            return CLIP;
        }
    }

    /**
     * Every field of {@code request} checked against the limits and the served models; the prompt read.
     *
     * @param clip the CLIP variant, asked for only by a CLIP request (it may still be loading)
     */
    static EncodeInput bind(EncodeRequest request, ServingConfig.Limits limits, EncodeModels.Served served,
            Supplier<EncodeModels.Clip> clip) {
        Fields.required("body", request);
        Fields.exactlyOne("items|prompt", request.items(), request.prompt());
        String variant = request.variant() == null ? LVLM : request.variant().trim().toLowerCase(Locale.ROOT);
        ObjectRef output = request.output() == null ? null : ObjectRef.parse("output", request.output());
        return switch (variant) {
            case LVLM -> lvlm(request, limits, served.encoder(), output);
            case CLIP -> clip(request, limits, clip, output);
            default -> throw RequestException.badInput("variant", "must be 'lvlm' or 'clip', got '"
                    + request.variant() + "'");
        };
    }

    private static Lvlm lvlm(EncodeRequest request, ServingConfig.Limits limits, ThinkDiffEncoder encoder,
            ObjectRef output) {
        long seed = Fields.seed("seed", request.seed(), 1);
        Sampling trained = encoder.aligner().config().sampling(seed); // the sampling the aligner was trained with
        double temperature = Fields.finiteInRange("temperature", request.temperature(), trained.temperature(), 0, 2);
        double topP = Fields.finiteInRange("topP", request.topP(), trained.topP(), 0, 1);
        if (topP == 0) {
            throw RequestException.badInput("topP", "must be above 0 (1 keeps every token), got 0");
        }
        double queryContrast = Fields.finiteInRange("queryContrast", request.queryContrast(), 0, 0,
                limits.queryContrast());
        int maxTokens = Fields.intInRange("maxTokens", request.maxTokens(),
                Math.min(encoder.aligner().config().maxNewTokens(), limits.newTokens()), 1, limits.newTokens());
        EncodeRequest.BenchmarkPrompt benchmark = request.prompt();
        List<VlmItem> prompt = request.items() != null ? PromptItem.read("items", request.items(), limits)
                : CobsatInputs.vlmPrompt("prompt", benchmark.task(), benchmark.index(), benchmark.shots(),
                        benchmark.split(), limits.shots());
        int promptTokens = encoder.vlm().promptTokens(prompt);
        int positions = encoder.vlm().config().maxPositions();
        if (positions - promptTokens < 2) {
            throw RequestException.tooLarge(request.items() != null ? "items" : "prompt", "the prompt is "
                    + promptTokens + " VLM tokens (each image is " + encoder.vlm().config().imageTokens()
                    + "); the VLM reads at most " + positions + " tokens, prompt and answer together");
        }
        return new Lvlm(prompt, new Sampling(temperature, topP, seed, queryContrast), maxTokens, promptTokens, output);
    }

    private static Clip clip(EncodeRequest request, ServingConfig.Limits limits, Supplier<EncodeModels.Clip> served,
            ObjectRef output) {
        if (request.prompt() != null) {
            throw RequestException.badInput("prompt", "variant 'clip' reads items (images and texts), not a "
                    + "benchmark prompt: it does no in-context reasoning");
        }
        List<Object> sampling = Arrays.asList(request.seed(), request.temperature(), request.topP(),
                request.maxTokens(), request.queryContrast());
        List<String> names = List.of("seed", "temperature", "topP", "maxTokens", "queryContrast");
        for (int i = 0; i < names.size(); i++) {
            if (sampling.get(i) != null) {
                throw RequestException.badInput(names.get(i), "variant 'clip' does not sample: it has no "
                        + names.get(i));
            }
        }
        EncodeModels.Clip clip = served.get();
        if (clip.encoder() == null) {
            throw RequestException.badInput("variant", "'clip' (ThinkDiff-CLIP) is not served: " + clip.unavailable()
                    + "; use 'lvlm'");
        }
        return new Clip(PromptItem.read("items", request.items(), limits), output);
    }
}
