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
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.vlm.Vlm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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

    /**
     * The aligners {@code evaluate cobsat} runs beside the default, by their method name (the component's name after
     * "aligner-"): the variants and the reconstruction baseline, which trains as its own component.
     */
    static final List<String> COMPARED = Stream.concat(VARIANTS.stream(),
            Stream.of(ReconstructionAlignerComponent.METHOD)).toList();

    static String variantComponent(String variant) {
        return component(variant, VARIANTS, "aligner variant");
    }

    static String comparedComponent(String method) {
        return component(method, COMPARED, "compared aligner");
    }

    private static String component(String name, List<String> known, String what) {
        if (!known.contains(name)) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; known: " + known);
        }
        return NAME + "-" + name;
    }

    /** The variants the store holds a version of. */
    static List<String> publishedVariants(ModelStore store) {
        return published(store, VARIANTS);
    }

    /** The compared aligners the store holds a version of. */
    static List<String> publishedCompared(ModelStore store) {
        return published(store, COMPARED);
    }

    private static List<String> published(ModelStore store, List<String> names) {
        return names.stream().filter(n -> store.latest(Publisher.FAMILY, NAME + "-" + n).isPresent()).toList();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigCodec<AlignerConfig> codec() {
        return AlignerConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return AlignerConfig.defaults().toMap();
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
        AlignerConfig config = AlignerConfig.CODEC.fromMap(settings);
        LoadedModel vlmModel = models.fetchLatest(Publisher.FAMILY, VlmComponent.NAME);
        LoadedModel decoderModel = models.fetchLatest(Publisher.FAMILY, LlmDecoderComponent.NAME);
        try (Vlm vlm = Vlm.load(vlmModel); LlmDecoder decoder = LlmDecoder.load(decoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<AlignerConfig> result = AlignerTraining.run(config, vlm, decoder, encoder, runDir, resume, -1);
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
