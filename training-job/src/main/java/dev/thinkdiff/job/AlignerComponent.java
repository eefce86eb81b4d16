package dev.thinkdiff.job;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.align.AlignerDiagnostics;
import dev.thinkdiff.align.AlignerTraining;
import dev.thinkdiff.align.StateBank;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
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
import java.util.stream.Stream;

/**
 * The ThinkDiff-LVLM aligner, trained between the store's latest VLM and frozen LLM decoder; measured by the
 * diagnostics of {@link AlignerDiagnostics} (the benchmark itself is {@code evaluate cobsat}).
 */
final class AlignerComponent extends AlignerNetComponent {

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
        return Components.aligner(name);
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
        return names.stream().filter(n -> store.latest(Components.FAMILY, Components.aligner(n)).isPresent()).toList();
    }

    @Override
    public String name() {
        return Components.ALIGNER;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return AlignerConfig.defaults().toMap();
    }

    @Override
    public List<String> inputs() {
        return List.of(Components.VLM, Components.LLM_DECODER);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("decoder_reads.caption", "decoder_reads.in_context");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        AlignerConfig config = AlignerConfig.CODEC.fromMap(settings);
        ModelInputs inputs = ModelInputs.latest(models, Components.FAMILY);
        try (Vlm vlm = Vlm.load(inputs.fetch(Components.VLM));
                LlmDecoder decoder = LlmDecoder.load(inputs.fetch(Components.LLM_DECODER));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<AlignerConfig> result = AlignerTraining.run(config, vlm, decoder, encoder, runDir, resume, -1);
            Manifest.Builder manifest = inputs.record(result.manifest(ref));
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
        ModelInputs inputs = ModelInputs.pinned(models, model);
        try (Aligner aligner = Aligner.load(model); Vlm vlm = Vlm.load(inputs.fetch(Components.VLM));
                LlmDecoder decoder = LlmDecoder.load(inputs.fetch(Components.LLM_DECODER));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            int images = size == null ? aligner.config().evalImages() : size;
            AlignerDiagnostics.run(vlm, aligner, decoder, encoder, images, aligner.config().seed());
        }
    }
}
