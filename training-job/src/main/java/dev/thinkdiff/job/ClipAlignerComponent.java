package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thinkdiff.align.ClipAligner;
import dev.thinkdiff.align.ClipAlignerConfig;
import dev.thinkdiff.align.ClipAlignerTraining;
import dev.thinkdiff.align.StateBank;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.pipeline.ClipEncoder;
import dev.thinkdiff.pipeline.ClipEvaluation;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.world.SeedRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ThinkDiff-CLIP's aligner, trained between the store's latest clip-vision encoder and frozen LLM decoder. Its
 * manifest holds what the decoder reads back; {@code evaluate aligner-clip} runs the demonstration through the
 * diffusion decoder and the judge (single image, image + text, two images) and writes its table and figure.
 */
final class ClipAlignerComponent implements TrainableComponent {

    @Override
    public String name() {
        return Components.CLIP_ALIGNER;
    }

    @Override
    public ConfigCodec<ClipAlignerConfig> codec() {
        return ClipAlignerConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return ClipAlignerConfig.defaults().toMap();
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_images");
    }

    @Override
    public List<String> inputs() {
        return List.of(Components.CLIP_VISION, Components.LLM_DECODER);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("decoder_reads", "train_loss");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(settings);
        ModelInputs inputs = ModelInputs.latest(models, Components.FAMILY);
        try (ClipVision vision = ClipVision.load(inputs.fetch(Components.CLIP_VISION));
                LlmDecoder decoder = LlmDecoder.load(inputs.fetch(Components.LLM_DECODER));
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<ClipAlignerConfig> result = ClipAlignerTraining.run(config, vision, decoder, encoder, runDir,
                    resume, -1);
            Manifest.Builder manifest = inputs.record(result.manifest(ref));
            try (ClipAligner aligner = ClipAligner.load(config, result.parameters(),
                    result.parameters().resolveSibling(StateBank.FILE_NAME), "run:" + runDir)) {
                double reads = ClipEvaluation.decoderReads(new ClipEncoder(vision, aligner, encoder), decoder,
                        config.evalImages(), config.seed(), SeedRange.BENCHMARK);
                System.out.printf("the decoder reads one image's aligned tokens back as one of its texts: %.3f%n",
                        reads);
                manifest.metric("decoder_reads", reads);
            }
            return manifest.build();
        }
    }

    /**
     * {@code size}: examples per case (default: the config's count). Writes {@code table.md}, {@code report.json}
     * and {@code examples.png} into {@code reportDir}.
     */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) throws IOException {
        evaluate(model, size, models, reportDir, SeedRange.BENCHMARK);
    }

    /** {@code range}: where the renders come from (MODEL_TRAINING: a development check for choosing settings). */
    void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir, SeedRange range)
            throws IOException {
        // the models it was trained against; the diffusion decoder and the judge that measure it: the latest
        ModelInputs inputs = ModelInputs.pinned(models, model);
        LoadedModel visionModel = inputs.fetch(Components.CLIP_VISION);
        LoadedModel decoderModel = inputs.fetch(Components.LLM_DECODER);
        LoadedModel diffusionModel = models.fetchLatest(Components.FAMILY, Components.DIFFUSION);
        LoadedModel judgeModel = models.fetchLatest(Components.FAMILY, Components.JUDGE);
        try (ClipAligner aligner = ClipAligner.load(model); ClipVision vision = ClipVision.load(visionModel);
                LlmDecoder decoder = LlmDecoder.load(decoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Judge judge = Judge.load(judgeModel);
                DiffusionPipeline diffusion = DiffusionPipeline.load(diffusionModel, models, encoder)) {
            ClipEncoder clip = new ClipEncoder(vision, aligner, encoder);
            int perCase = size == null ? aligner.config().evalImages() : size;
            long seed = aligner.config().seed();
            double reads = ClipEvaluation.decoderReads(clip, decoder, perCase, seed, range);
            ClipEvaluation.Result result = ClipEvaluation.run(clip, decoder, diffusion, judge, perCase, seed, range);
            String table = result.table() + String.format("%nthe LLM decoder reads one image's aligned tokens back "
                    + "as one of its texts: %.3f (%d images)%nrenders: %s range; aligner-clip %s%n", reads, perCase,
                    range, model.ref().version());
            System.out.println(table);
            Files.createDirectories(reportDir);
            Files.writeString(reportDir.resolve("table.md"), table);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("models", Map.of(Components.CLIP_ALIGNER, model.ref().version(), Components.CLIP_VISION,
                    visionModel.ref().version(), Components.LLM_DECODER, decoderModel.ref().version(),
                    Components.DIFFUSION, diffusionModel.ref().version(), Components.JUDGE,
                    judgeModel.ref().version()));
            report.put("examples_per_case", perCase);
            report.put("image_range", range.name());
            report.put("config", model.manifest().config());
            report.put("seed", seed);
            report.put("decoder_reads", reads);
            report.put("metrics", result.metrics());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(reportDir.resolve("report.json").toFile(), report);
            ClipFigure.write(result, reportDir.resolve(ClipFigure.FILE));
            System.out.println("wrote " + reportDir.resolve("table.md") + ", report.json and " + ClipFigure.FILE);
        }
    }
}
