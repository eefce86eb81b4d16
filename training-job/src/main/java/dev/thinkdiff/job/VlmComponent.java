package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmConfig;
import dev.thinkdiff.vlm.VlmEvaluation;
import dev.thinkdiff.vlm.VlmTraining;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.SeedRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The VLM: measured by captioning benchmark-range renders and by answering CoBSAT prompts in the benchmark's text
 * mode (all ten tasks, 2 and 4 shots), plus the cosine between its captioning and in-context features.
 */
final class VlmComponent implements TrainableComponent {

    @Override
    public String name() {
        return Components.VLM;
    }

    @Override
    public ConfigCodec<VlmConfig> codec() {
        return VlmConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return VlmConfig.defaults().toMap();
    }

    /**
     * A published fine-tune (one with {@code init_from}) is defined by the settings it was trained with, as a published
     * aligner variant is: {@code train-all} keeps it rather than retraining the seeded defaults from scratch.
     */
    @Override
    public Map<String, Object> requestedSettings(Optional<Manifest> published) {
        return published.map(manifest -> asRun(manifest.config()))
                .filter(settings -> !"".equals(settings.get("init_from")))
                .orElseGet(this::defaultSettings);
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_prompts");
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("caption.overall.both", "incontext.2shot.avg");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        VlmConfig config = VlmConfig.CODEC.fromMap(settings);
        VlmTraining.Parent parent = null;
        if (!config.initFrom().isEmpty()) {
            LoadedModel model = models.fetch(new ModelRef(Components.FAMILY, Components.VLM, config.initFrom()));
            parent = new VlmTraining.Parent(config.initFrom(), model.path(Vlm.PARAMETERS_FILE),
                    model.path(Vocabulary.FILE_NAME));
        }
        return VlmTraining.run(config, parent, runDir, resume, -1).manifest(ref).build();
    }

    /** {@code size}: prompts per task and shot count (default: all 1000). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        VlmEvaluation.Settings full = VlmEvaluation.Settings.full();
        try (Vlm vlm = Vlm.load(model)) {
            VlmEvaluation.run(vlm, size == null ? full : full.with(full.captionSeedsPerCell(), size,
                    WordingFamily.BENCHMARK, SeedRange.BENCHMARK));
        }
    }

    /**
     * The evaluation once per wording family ({@code size} prompts per task and shot count, one caption per cell),
     * every render from {@code range}; writes {@value #WORDINGS_REPORT}.json and .md into {@code reportDir}.
     */
    void evaluateWordings(LoadedModel model, int size, List<WordingFamily> families, SeedRange range,
            Sampling decoding, Path reportDir) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("vlm", model.ref().version());
        report.put("image_range", range.name());
        report.put("prompts_per_task", size);
        String decodingName = decoding.queryContrast() == 0 ? "greedy"
                : String.format(Locale.ROOT, "greedy, query contrast %.2f", decoding.queryContrast());
        report.put("decoding", decodingName);
        Map<String, Object> byFamily = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "VLM %s, text mode (%s), %s-range "
                + "images, prompts 0-%d of every task%n%n| wording | held out | caption both | 2-shot avg | "
                + "4-shot avg | lowest task (2 / 4) |%n|---|---|---|---|---|---|%n", model.ref().version(),
                decodingName, range, size - 1));
        try (Vlm vlm = Vlm.load(model)) {
            for (WordingFamily family : families) {
                System.out.println("wording " + family.id() + (family.heldOut() ? " (held out)" : ""));
                VlmEvaluation.Result result = VlmEvaluation.run(vlm, VlmEvaluation.Settings.full().with(1, size,
                        family, range).withDecoding(decoding));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("held_out", family.heldOut());
                entry.put("metrics", result.metrics());
                byFamily.put(family.id(), entry);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %s / %s |%n", family.id(),
                        family.heldOut() ? "yes" : "no", result.metrics().get("caption.overall.both"),
                        result.metrics().get("incontext.2shot.avg"), result.metrics().get("incontext.4shot.avg"),
                        lowest(result, 2), lowest(result, 4)));
            }
        }
        report.put("families", byFamily);
        Files.createDirectories(reportDir);
        JSON.writeValue(reportDir.resolve(WORDINGS_REPORT + ".json").toFile(), report);
        Files.writeString(reportDir.resolve(WORDINGS_REPORT + ".md"), table);
        System.out.print(table);
        System.out.println("written " + reportDir.resolve(WORDINGS_REPORT + ".json"));
    }

    static final String WORDINGS_REPORT = "vlm-wordings";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static String lowest(VlmEvaluation.Result result, int shots) {
        Task worst = Task.paperOrder().stream().min(Comparator.comparingDouble(
                task -> result.incontext().value(shots, task, AccuracyTable.Metric.BOTH))).orElseThrow();
        return String.format(Locale.ROOT, "%s %.3f", worst.column(),
                result.incontext().value(shots, worst, AccuracyTable.Metric.BOTH));
    }
}
