package dev.thinkdiff.job;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.align.AlignerDiagnostics;
import dev.thinkdiff.align.AlignerTraining;
import dev.thinkdiff.align.StateBank;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.vlm.Vlm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ThinkDiff-LVLM aligner, trained between the store's latest VLM and frozen LLM decoder; measured by the
 * diagnostics of {@link AlignerDiagnostics} (the benchmark itself is {@code evaluate cobsat}).
 */
final class AlignerComponent implements TrainableComponent {

    static final String NAME = "aligner";

    /**
     * The variants `train aligner --variant NAME --set …` publishes beside the default (as component
     * {@code aligner-NAME}), each with the settings it was trained with in its manifest: the paper's exact recipe
     * ({@code faithful}), its ablations (input-token features, no masking, RMSNorm initialised to ones, no RMSNorm)
     * and extensions on top of it (noise on the aligned vectors, sliced-Wasserstein manifold term), and the previous
     * default ({@code snap2048}: snap at sharpness 30, no dropout).
     */
    static final List<String> VARIANTS = List.of("faithful", "input-tokens", "no-mask", "norm-ones", "no-norm",
            "noise", "manifold", "snap2048");

    static String variantComponent(String variant) {
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("unknown aligner variant '" + variant + "'; known: " + VARIANTS);
        }
        return NAME + "-" + variant;
    }

    /** The variants the store holds a version of. */
    static List<String> publishedVariants(ModelStore store) {
        return VARIANTS.stream().filter(v -> store.latest(Publisher.FAMILY, variantComponent(v)).isPresent())
                .toList();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return AlignerConfig.defaults().toMap();
    }

    @Override
    public Map<String, Object> asRun(Map<String, Object> published) {
        return AlignerConfig.fromMap(published).toMap();
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_images");
    }

    @Override
    public List<String> inputs() {
        return List.of(VlmComponent.NAME, LlmDecoderComponent.NAME);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("decoder_reads.caption", "decoder_reads.in_context");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        AlignerConfig config = AlignerConfig.fromMap(settings);
        LoadedModel vlmModel = models.fetchLatest(Publisher.FAMILY, VlmComponent.NAME);
        LoadedModel decoderModel = models.fetchLatest(Publisher.FAMILY, LlmDecoderComponent.NAME);
        try (Vlm vlm = Vlm.load(vlmModel); LlmDecoder decoder = LlmDecoder.load(decoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            AlignerTraining.Result result = AlignerTraining.run(config, vlm, decoder, encoder, runDir, resume, -1);
            Manifest.Builder manifest = result.manifest(ref)
                    .input(VlmComponent.NAME, vlmModel.ref().version())
                    .input(LlmDecoderComponent.NAME, decoderModel.ref().version());
            try (Aligner aligner = Aligner.load(config, result.parameters(),
                    result.parameters().resolveSibling(StateBank.FILE_NAME), "run:" + runDir)) {
                AlignerDiagnostics.run(vlm, aligner, decoder, encoder, config.evalImages(), config.seed())
                        .forEach(manifest::metric);
            }
            return manifest.build();
        }
    }

    /** {@code size}: benchmark-range captions and episodes for the diagnostics (default: the config's count). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        Map<String, String> inputs = model.manifest().inputs();
        try (Aligner aligner = Aligner.load(model);
                Vlm vlm = Vlm.load(models.fetch(new ModelRef(Publisher.FAMILY, VlmComponent.NAME,
                        inputs.get(VlmComponent.NAME))));
                LlmDecoder decoder = LlmDecoder.load(models.fetch(new ModelRef(Publisher.FAMILY,
                        LlmDecoderComponent.NAME, inputs.get(LlmDecoderComponent.NAME))));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            int images = size == null ? aligner.config().evalImages() : size;
            AlignerDiagnostics.run(vlm, aligner, decoder, encoder, images, aligner.config().seed());
        }
    }
}
