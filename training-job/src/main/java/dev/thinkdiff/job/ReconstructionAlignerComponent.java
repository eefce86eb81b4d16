package dev.thinkdiff.job;

import ai.djl.ndarray.NDManager;
import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.align.AlignerDiagnostics;
import dev.thinkdiff.align.ReconstructionTraining;
import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.DiffusionTransformer;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.vlm.Vlm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The reconstruction-based alignment baseline (paper Fig. 2a, issue 6's baseline c): ThinkDiff's aligner network
 * trained through the store's latest diffusion decoder (and the autoencoder it was trained on) instead of the LLM
 * decoder, on the latest VLM's descriptions ({@link ReconstructionTraining}). Published as an aligner, so
 * {@code evaluate cobsat} runs it beside ThinkDiff as method {@value #METHOD}; measured here by the aligned vectors'
 * geometry against the prompt encoder's states ({@link AlignerDiagnostics#geometry}).
 */
final class ReconstructionAlignerComponent extends AlignerNetComponent {

    /** Its method name in the benchmark's tables. */
    static final String METHOD = "reconstruction";

    @Override
    public String name() {
        return Components.aligner(METHOD);
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return AlignerConfig.reconstruction().toMap();
    }

    @Override
    public List<String> inputs() {
        return List.of(Components.VLM, Components.AUTOENCODER, Components.DIFFUSION);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("train_loss", "geometry.position_cosine");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        AlignerConfig config = AlignerConfig.CODEC.fromMap(settings);
        ModelInputs inputs = ModelInputs.latest(models, Components.FAMILY);
        LoadedModel vlmModel = inputs.fetch(Components.VLM);
        LoadedModel diffusionModel = inputs.fetch(Components.DIFFUSION);
        // the latents the decoder was trained on, not merely the newest autoencoder's
        LoadedModel autoencoderModel = inputs.fetchAsTrainedBy(diffusionModel, Components.AUTOENCODER);
        try (Vlm vlm = Vlm.load(vlmModel); ImageAutoencoder autoencoder = ImageAutoencoder.load(autoencoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                NDManager diffusionArrays = NDManager.newBaseManager()) {
            DiffusionTransformer diffusion = DiffusionTransformer.load(
                    DiffusionConfig.CODEC.fromMap(diffusionModel.manifest().config()),
                    diffusionModel.path(DiffusionPipeline.PARAMETERS_FILE), diffusionArrays);
            TrainingResult<AlignerConfig> result = ReconstructionTraining.run(config, vlm, diffusion, autoencoder, encoder,
                    runDir, resume, -1);
            Manifest.Builder manifest = inputs.record(result.manifest(ref));
            try (Aligner aligner = Aligner.load(config, result.parameters(), null, "run:" + runDir)) {
                AlignerDiagnostics.geometry(vlm, aligner, encoder, config.evalImages(), config.seed())
                        .forEach(manifest::metric);
            }
            return manifest.build();
        }
    }

    /** {@code size}: benchmark-range captions for the geometry (default: the config's count). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (Aligner aligner = Aligner.load(model);
                Vlm vlm = Vlm.load(ModelInputs.pinned(models, model).fetch(Components.VLM));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            int images = size == null ? aligner.config().evalImages() : size;
            AlignerDiagnostics.geometry(vlm, aligner, encoder, images, aligner.config().seed());
        }
    }
}
