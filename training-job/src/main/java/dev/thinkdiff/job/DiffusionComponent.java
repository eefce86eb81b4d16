package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.diffusion.DiffusionEvaluation;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.DiffusionTraining;
import dev.thinkdiff.diffusion.FlowSampler;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The text-to-image diffusion decoder, trained on the store's latest autoencoder: measured by judging images of every
 * cell drawn from captions in several phrasings and seeds, clean and with noise on the prompt states.
 */
final class DiffusionComponent implements TrainableComponent {

    static final String CONTACT_SHEET = "t2i-contact-sheet.png";

    @Override
    public String name() {
        return Components.DIFFUSION;
    }

    @Override
    public ConfigCodec<DiffusionConfig> codec() {
        return DiffusionConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return DiffusionConfig.defaults().toMap();
    }

    @Override
    public List<String> inputs() {
        return List.of(Components.AUTOENCODER, Components.JUDGE);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("t2i.both", "train_loss");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        DiffusionConfig config = DiffusionConfig.CODEC.fromMap(settings);
        ModelInputs inputs = ModelInputs.latest(models, Components.FAMILY);
        LoadedModel autoencoderModel = inputs.fetch(Components.AUTOENCODER);
        LoadedModel judgeModel = inputs.fetch(Components.JUDGE);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                ImageAutoencoder autoencoder = ImageAutoencoder.load(autoencoderModel)) {
            TrainingResult<DiffusionConfig> result = DiffusionTraining.run(config, autoencoder, encoder, runDir, resume, -1);
            Manifest.Builder manifest = inputs.record(result.manifest(ref));
            try (Judge judge = Judge.load(judgeModel);
                    DiffusionPipeline pipeline = DiffusionPipeline.load(config, result.parameters(),
                            ImageAutoencoder.load(autoencoderModel), encoder)) {
                report(DiffusionEvaluation.run(pipeline, encoder, judge), runDir).metrics().forEach(manifest::metric);
            }
            return manifest.build();
        }
    }

    /** Judges every cell; {@code size} is ignored (the evaluation's coverage is fixed by the acceptance bar). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) throws IOException {
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Judge judge = Judge.load(ModelInputs.pinned(models, model).fetch(Components.JUDGE));
                DiffusionPipeline pipeline = DiffusionPipeline.load(model, models, encoder)) {
            report(DiffusionEvaluation.run(pipeline, encoder, judge), reportDir);
        }
    }

    static final String SAMPLER_REPORT = "sampler-curve";

    /**
     * Judged accuracy against sampler settings on development sampling seeds, written to {@value #SAMPLER_REPORT}
     * .json and .md in {@code reportDir}: the curve that decides the default solver and steps.
     */
    void evaluateSamplers(LoadedModel model, ModelCache models, List<FlowSampler.Settings> points, Path reportDir)
            throws IOException {
        List<DiffusionEvaluation.SamplerPoint> curve;
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Judge judge = Judge.load(ModelInputs.pinned(models, model).fetch(Components.JUDGE));
                DiffusionPipeline pipeline = DiffusionPipeline.load(model, models, encoder)) {
            curve = DiffusionEvaluation.samplerCurve(pipeline, encoder, judge, points);
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Diffusion %s: judged both-correct by "
                + "sampler, every cell x caption phrasings, development sampling seeds%n%n| solver | steps | passes "
                + "per image | guidance | images | all |", model.ref().version()));
        Arrays.stream(Theme.values()).forEach(theme -> table.append(' ').append(theme.id()).append(" |"));
        table.append(System.lineSeparator()).append("|---".repeat(6 + Theme.values().length)).append('|')
                .append(System.lineSeparator());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (DiffusionEvaluation.SamplerPoint point : curve) {
            FlowSampler.Settings settings = point.settings();
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %d | %.3f |", settings.solver().id(),
                    settings.steps(), settings.passes(), settings.guidanceScale(), point.images(),
                    point.metrics().get("both")));
            Arrays.stream(Theme.values()).forEach(theme -> table.append(String.format(Locale.ROOT, " %.3f |",
                    point.metrics().get(theme.id() + ".both"))));
            table.append(System.lineSeparator());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("solver", settings.solver().id());
            entry.put("steps", settings.steps());
            entry.put("passes", settings.passes());
            entry.put("guidance", settings.guidanceScale());
            entry.put("images", point.images());
            entry.put("metrics", point.metrics());
            entries.add(entry);
        }
        Files.createDirectories(reportDir);
        JSON.writeValue(reportDir.resolve(SAMPLER_REPORT + ".json").toFile(),
                Map.of("diffusion", model.ref().version(), "points", entries));
        Files.writeString(reportDir.resolve(SAMPLER_REPORT + ".md"), table);
        System.out.print(table);
        System.out.println("written " + reportDir.resolve(SAMPLER_REPORT + ".json"));
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static DiffusionEvaluation.Result report(DiffusionEvaluation.Result evaluation, Path dir)
            throws IOException {
        System.out.println(evaluation.table());
        Files.createDirectories(dir);
        Path sheet = dir.resolve(CONTACT_SHEET);
        ImageIO.write(evaluation.contactSheet(), "png", sheet.toFile());
        System.out.println("contact sheet: " + sheet);
        return evaluation;
    }
}
