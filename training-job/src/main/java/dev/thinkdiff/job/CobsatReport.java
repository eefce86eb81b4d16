package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.pipeline.CobsatPlan;
import dev.thinkdiff.pipeline.CobsatResult;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.BenchmarkImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.imageio.ImageIO;

/**
 * Writes a CoBSAT run: {@code tables.md} (paper-style, per method), {@code report.json}, {@code gallery.html} and its
 * one-PNG digest ({@link GalleryFigure}) when the run kept gallery samples (a run merged from shards keeps none), and
 * the RMSNorm ablation's training curves ({@value #NORM_ABLATION_FILE}).
 */
final class CobsatReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The methods the gallery figure shows beside the prompt (the HTML gallery shows every method). */
    private static final List<String> FIGURE_METHODS = List.of("thinkdiff", "two-stage");

    static final String NORM_ABLATION_FILE = "loss-curves-rmsnorm.png";

    /** The paper's Fig. 7: the faithful recipe with its RMSNorm initialised from the encoder, from ones, and without. */
    private static final List<List<String>> NORM_ABLATION = List.of(
            List.of("faithful", "RMSNorm initialised from the encoder's final norm (faithful)"),
            List.of("norm-ones", "RMSNorm initialised to ones"),
            List.of("no-norm", "no RMSNorm"));

    private CobsatReport() {
    }

    /**
     * Draws the RMSNorm ablation's decoder loss per step ({@value #NORM_ABLATION_FILE}) from the published losses of
     * those of its three variants that ran and carry them (versions published before the losses were); prints why not
     * when fewer than two do.
     */
    static void writeNormAblationCurves(Map<String, LoadedModel> variants, Path out) throws IOException {
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        for (List<String> variantAndLabel : NORM_ABLATION) {
            LoadedModel model = variants.get(variantAndLabel.get(0));
            if (model != null && model.files().containsKey(TrainingRun.LOSSES_FILE)) {
                curves.put(variantAndLabel.get(1), TrainingRun.readLosses(model.path(TrainingRun.LOSSES_FILE)));
            }
        }
        if (curves.size() < 2) {
            System.out.println("no RMSNorm loss curves: fewer than two of faithful, norm-ones, no-norm ran with "
                    + "published losses");
            return;
        }
        LossCurveChart.compare(curves, "aligner, decoder cross-entropy: RMSNorm ablation (Fig. 7)",
                out.resolve(NORM_ABLATION_FILE));
        System.out.println("RMSNorm ablation curves in " + out.resolve(NORM_ABLATION_FILE));
    }

    static void write(CobsatResult result, CobsatPlan.Settings settings, Map<String, String> versions,
            Path out) throws IOException {
        Map<String, AccuracyTable> methodTables = result.tables();
        Map<String, Double> control = result.controlRates();
        Files.createDirectories(out);
        StringBuilder tables = new StringBuilder();
        tables.append(String.format(Locale.ROOT, "CoBSAT (%s split, prompts %s, seed %d, %s-range images, guidance %s%s), "
                + "%s wording, both-correct; models %s%n%n", settings.split(), range(settings), settings.seed(),
                settings.imageRange(), guidance(settings), settings.queryContrast() == 0 ? ""
                        : String.format(Locale.ROOT, ", VLM query contrast %.2f", settings.queryContrast()),
                settings.wording().id(), versions));
        if (!control.isEmpty()) {
            tables.append("### single-image control (").append(settings.controlImages()).append(' ')
                    .append(settings.imageRange()).append("-range images → caption → method → diffusion → judge), "
                            + "both-correct\n\n");
            Map<String, Map<Theme, Double>> byTheme = result.controlRatesByTheme();
            control.forEach((method, rate) -> tables.append(String.format(Locale.ROOT, "- %s: %.3f%s%n", method, rate,
                    themes(byTheme.get(method)))));
            tables.append('\n');
        }
        if (!settings.promptIndices().isEmpty()) {
            methodTables.forEach((method, table) -> tables.append("### ").append(method).append("\n\n")
                    .append(table.format(AccuracyTable.Metric.BOTH)).append('\n'));
            String headline = methodTables.keySet().iterator().next();
            tables.append("### ").append(headline).append(": textual (x right)\n\n")
                    .append(methodTables.get(headline).format(AccuracyTable.Metric.TEXTUAL)).append("\n### ")
                    .append(headline).append(": visual (θ right)\n\n")
                    .append(methodTables.get(headline).format(AccuracyTable.Metric.VISUAL));
        }
        Files.writeString(out.resolve("tables.md"), tables);
        System.out.print(tables);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("split", settings.split().name());
        report.put("prompts", range(settings));
        report.put("seed", settings.seed());
        report.put("models", versions);
        report.put("seconds", result.seconds());
        report.put("single_image_control", control);
        report.put("single_image_control_by_theme", result.controlRatesByTheme());
        report.put("image_range", settings.imageRange().name());
        report.put("guidance", guidance(settings));
        report.put("wording", settings.wording().id());
        report.put("query_contrast", settings.queryContrast());
        report.put("vlm_text_mode", json(result.textMode(settings.split())));
        Map<String, Object> methods = new LinkedHashMap<>();
        methodTables.forEach((method, table) -> methods.put(method, json(table)));
        report.put("methods", methods);
        JSON.writeValue(out.resolve("report.json").toFile(), report);
        boolean gallery = !result.samples().isEmpty();
        if (gallery) {
            Files.writeString(out.resolve("gallery.html"), gallery(result));
            GalleryFigure.write(result.samples(), FIGURE_METHODS, out.resolve(GalleryFigure.FILE));
        }
        System.out.printf(Locale.ROOT, "%.0f s; report in %s (tables.md, report.json%s)%n", result.seconds(), out,
                gallery ? ", gallery.html, " + GalleryFigure.FILE : "");
    }

    /**
     * The runs of one setting in several wording families side by side ({@code tables.md}, {@code report.json}): per
     * family the VLM's sampled answers in text mode and every method's both-correct average per shot count, the
     * single-image control, and each held-out family's ratio to the benchmark wording.
     */
    static void writeWordings(Map<WordingFamily, CobsatResult> results, CobsatPlan.Settings settings,
            Map<String, String> versions, Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, Object> families = new LinkedHashMap<>();
        Map<String, Map<String, Double>> averages = new LinkedHashMap<>();
        results.forEach((family, result) -> {
            Map<String, AccuracyTable> tables = new LinkedHashMap<>();
            tables.put("vlm-text", result.textMode(settings.split()));
            tables.putAll(result.tables());
            Map<String, Double> averaged = new LinkedHashMap<>();
            Map<String, Object> methods = new LinkedHashMap<>();
            tables.forEach((method, table) -> {
                methods.put(method, json(table));
                for (int shots : settings.shots()) {
                    averaged.put(method + " " + shots, table.average(shots, AccuracyTable.Metric.BOTH));
                }
            });
            result.controlRates().forEach((method, rate) -> averaged.put(method + " control", rate));
            averages.put(family.id(), averaged);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("held_out", family.heldOut());
            entry.put("averages", averaged);
            entry.put("methods", methods);
            entry.put("single_image_control", result.controlRates());
            families.put(family.id(), entry);
        });
        List<String> columns = List.copyOf(averages.values().iterator().next().keySet());
        StringBuilder tables = new StringBuilder(String.format(Locale.ROOT, "CoBSAT by wording (%s split, prompts "
                + "%s of every task, seed %d, %s-range images, guidance %s), both-correct averages; vlm-text: the "
                + "VLM's sampled answers judged as text; models %s%n%n| wording | held out | %s |%n|---|---|%s%n",
                settings.split(), range(settings), settings.seed(), settings.imageRange(), guidance(settings),
                versions, String.join(" | ", columns), "---|".repeat(columns.size())));
        Map<String, Double> benchmark = averages.get(WordingFamily.BENCHMARK.id());
        Map<String, Object> ratios = new LinkedHashMap<>();
        results.keySet().forEach(family -> {
            Map<String, Double> row = averages.get(family.id());
            tables.append("| ").append(family.id()).append(" | ").append(family.heldOut() ? "yes" : "no");
            columns.forEach(column -> tables.append(String.format(Locale.ROOT, " | %.3f", row.get(column))));
            tables.append(" |\n");
            if (family.heldOut() && benchmark != null) {
                Map<String, Double> ratio = new LinkedHashMap<>();
                columns.forEach(column -> ratio.put(column, row.get(column) / benchmark.get(column)));
                ratios.put(family.id(), ratio);
            }
        });
        if (!ratios.isEmpty()) {
            tables.append("\nheld-out family / benchmark wording:\n\n");
            ratios.forEach((family, ratio) -> {
                tables.append("- ").append(family).append(':');
                ((Map<?, ?>) ratio).forEach((column, value) -> tables.append(String.format(Locale.ROOT, " %s %.3f;",
                        column, (Double) value)));
                tables.append('\n');
            });
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("split", settings.split().name());
        report.put("prompts", range(settings));
        report.put("seed", settings.seed());
        report.put("image_range", settings.imageRange().name());
        report.put("guidance", guidance(settings));
        report.put("models", versions);
        report.put("seconds", results.values().stream().mapToDouble(CobsatResult::seconds).sum());
        report.put("families", families);
        report.put("held_out_over_benchmark", ratios);
        JSON.writeValue(out.resolve("report.json").toFile(), report);
        Files.writeString(out.resolve("tables.md"), tables);
        System.out.print(tables);
        System.out.println("report in " + out + " (tables.md, report.json; one folder per wording)");
    }

    /** " (color 0.980, …, texture 0.950)", or nothing where no theme is known. */
    private static String themes(Map<Theme, Double> rates) {
        if (rates.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner(", ", " (", ")");
        rates.forEach((theme, rate) -> joined.add(String.format(Locale.ROOT, "%s %.3f", theme.id(), rate)));
        return joined.toString();
    }

    private static String guidance(CobsatPlan.Settings settings) {
        return settings.guidanceScale() == null ? "trained default" : settings.guidanceScale().toString();
    }

    private static String range(CobsatPlan.Settings settings) {
        var indices = settings.promptIndices();
        if (indices.isEmpty()) {
            return "none (control only)";
        }
        return indices.size() + " (" + indices.get(0) + ".." + indices.get(indices.size() - 1) + ")";
    }

    private static Map<String, Object> json(AccuracyTable table) {
        Map<String, Object> rows = new LinkedHashMap<>();
        for (int shots : table.shotCounts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Task task : Task.paperOrder()) {
                AccuracyTable.Counts counts = table.counts(shots, task);
                if (counts != null) {
                    row.put(task.column(), Map.of("n", counts.total(), "both", counts.accuracy(),
                            "textual", counts.textualAccuracy(), "visual", counts.visualAccuracy()));
                }
            }
            row.put("avg", table.average(shots, AccuracyTable.Metric.BOTH));
            rows.put(shots + "-shot", row);
        }
        return rows;
    }

    /** The paper's Fig. 5 layout: the interleaved prompt, then each method's image with the judge's verdict. */
    private static String gallery(CobsatResult result) {
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>CoBSAT gallery</title>"
                + "<style>body{font:13px sans-serif} td{text-align:center;vertical-align:top;padding:4px}"
                + " img{width:96px;height:96px;image-rendering:pixelated} .ok{color:green} .no{color:#c00}</style>"
                + "<table>");
        for (CobsatResult.Sample sample : result.samples()) {
            Episode episode = sample.episode();
            html.append("<tr><td>").append(episode.task().column()).append("<br>").append(episode.shots())
                    .append("-shot #").append(episode.promptIndex()).append("</td>");
            for (Episode.Item item : episode.items()) {
                if (item instanceof Episode.Text text) {
                    html.append("<td>").append(escape(text.text())).append("</td>");
                } else {
                    html.append("<td>").append(img(BenchmarkImages.render(((Episode.Image) item).cell())))
                            .append("</td>");
                }
            }
            html.append("<td>→ expected<br>").append(escape(episode.expected().toString())).append("<br><i>")
                    .append(escape(sample.answer())).append("</i></td>");
            sample.images().forEach((method, pixels) -> {
                Judgement verdict = sample.verdicts().get(method);
                html.append("<td>").append(img(pixels)).append("<br>").append(escape(method)).append(" <span class=")
                        .append(verdict.correct() ? "ok>✓" : "no>✗").append("</span></td>");
            });
            html.append("</tr>\n");
        }
        return html.append("</table>").toString();
    }

    private static String img(int[] pixels) {
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ImageIO.write(DiffusionPipeline.toImage(pixels), "png", png);
            return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray())
                    + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
