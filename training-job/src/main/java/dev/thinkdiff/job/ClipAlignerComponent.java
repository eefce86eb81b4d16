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
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
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

    static final String NAME = "aligner-clip";

    @Override
    public String name() {
        return NAME;
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
        return List.of(ClipVisionComponent.NAME, LlmDecoderComponent.NAME);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("decoder_reads", "train_loss");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(settings);
        LoadedModel visionModel = models.fetchLatest(Publisher.FAMILY, ClipVisionComponent.NAME);
        LoadedModel decoderModel = models.fetchLatest(Publisher.FAMILY, LlmDecoderComponent.NAME);
        try (ClipVision vision = ClipVision.load(visionModel); LlmDecoder decoder = LlmDecoder.load(decoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            TrainingResult<ClipAlignerConfig> result = ClipAlignerTraining.run(config, vision, decoder, encoder, runDir,
                    resume, -1);
            Manifest.Builder manifest = result.manifest(ref)
                    .input(ClipVisionComponent.NAME, visionModel.ref().version())
                    .input(LlmDecoderComponent.NAME, decoderModel.ref().version());
            try (ClipAligner aligner = ClipAligner.load(config, result.parameters(),
                    result.parameters().resolveSibling(StateBank.FILE_NAME), "run:" + runDir)) {
                double reads = ClipEvaluation.decoderReads(new ClipEncoder(vision, aligner, encoder), decoder,
                        config.evalImages(), config.seed());
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
        Map<String, String> inputs = model.manifest().inputs();
        LoadedModel visionModel = models.fetch(new ModelRef(Publisher.FAMILY, ClipVisionComponent.NAME,
                inputs.get(ClipVisionComponent.NAME)));
        LoadedModel decoderModel = models.fetch(new ModelRef(Publisher.FAMILY, LlmDecoderComponent.NAME,
                inputs.get(LlmDecoderComponent.NAME)));
        LoadedModel diffusionModel = models.fetchLatest(Publisher.FAMILY, DiffusionComponent.NAME);
        LoadedModel judgeModel = models.fetchLatest(Publisher.FAMILY, JudgeComponent.NAME);
        try (ClipAligner aligner = ClipAligner.load(model); ClipVision vision = ClipVision.load(visionModel);
                LlmDecoder decoder = LlmDecoder.load(decoderModel);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Judge judge = Judge.load(judgeModel);
                DiffusionPipeline diffusion = DiffusionPipeline.load(diffusionModel, models, encoder)) {
            ClipEncoder clip = new ClipEncoder(vision, aligner, encoder);
            int perCase = size == null ? aligner.config().evalImages() : size;
            long seed = aligner.config().seed();
            double reads = ClipEvaluation.decoderReads(clip, decoder, perCase, seed);
            ClipEvaluation.Result result = ClipEvaluation.run(clip, diffusion, judge, perCase, seed);
            String table = result.table() + String.format("%nthe LLM decoder reads one image's aligned tokens back "
                    + "as one of its texts: %.3f (%d images)%n", reads, perCase);
            System.out.println(table);
            Files.createDirectories(reportDir);
            Files.writeString(reportDir.resolve("table.md"), table);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("models", Map.of(NAME, model.ref().version(), ClipVisionComponent.NAME,
                    visionModel.ref().version(), LlmDecoderComponent.NAME, decoderModel.ref().version(),
                    DiffusionComponent.NAME, diffusionModel.ref().version(), JudgeComponent.NAME,
                    judgeModel.ref().version()));
            report.put("examples_per_case", perCase);
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
