package dev.thinkdiff.pipeline;

import dev.thinkdiff.cobsat.AccuracyTable;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.TextAnswers;
import dev.thinkdiff.cobsat.Theme;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a CoBSAT run ({@link CobsatEvaluation#run}) found: the outcomes of the units it took (all of them unless
 * sharded; {@link CobsatPlan#merge} joins shards' into the whole run's), in the units' order, the gallery samples and
 * the seconds it took.
 */
public record CobsatResult(List<ControlOutcome> control, List<EpisodeOutcome> episodes, List<Sample> samples,
                           double seconds) {

    public CobsatResult {
        control = List.copyOf(control);
        episodes = List.copyOf(episodes);
        samples = List.copyOf(samples);
    }

    /** One episode of the gallery: the prompt, the VLM's answer and each method's image with its verdict. */
    public record Sample(Episode episode, String answer, Map<String, int[]> images, Map<String, Judgement> verdicts) {
    }

    /** One episode's outcome: the VLM's answer and, per method (in the methods' order), the judge's verdict. */
    public record EpisodeOutcome(int shots, Task task, int promptIndex, String answer,
                                 Map<String, Judgement> verdicts) {

        String id() {
            return CobsatPlan.episodeId(shots, task, promptIndex);
        }
    }

    /**
     * One control image's outcome: its cell's theme (null in shards written before it) and, per method, whether the
     * judge named both items of the drawn cell right.
     */
    public record ControlOutcome(int image, Theme theme, Map<String, Boolean> correct) {
    }

    /** Per method, in the methods' order: the paper-style table (the first method is the headline). */
    public Map<String, AccuracyTable> tables() {
        Map<String, AccuracyTable> tables = new LinkedHashMap<>();
        for (EpisodeOutcome episode : episodes) {
            episode.verdicts().forEach((method, verdict) ->
                    tables.computeIfAbsent(method, m -> new AccuracyTable()).add(episode.shots(), verdict));
        }
        return tables;
    }

    /** The VLM's sampled answers themselves judged in the benchmark's text mode (what two-stage draws from). */
    public AccuracyTable textMode(PromptSplit split) {
        AccuracyTable table = new AccuracyTable();
        for (EpisodeOutcome outcome : episodes) {
            Episode episode = Episode.of(outcome.task(), outcome.shots(), outcome.promptIndex(), split);
            table.add(outcome.shots(), TextAnswers.judge(outcome.answer(), outcome.task(), episode.expected()));
        }
        return table;
    }

    /** Per method: the single-image control's both-correct rate (empty without a control). */
    public Map<String, Double> controlRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String method : control.isEmpty() ? Set.<String>of() : control.get(0).correct().keySet()) {
            long correct = control.stream().filter(outcome -> outcome.correct().get(method)).count();
            rates.put(method, correct / (double) control.size());
        }
        return rates;
    }

    /** Per method, then per theme (in the themes' order): the control's both-correct rate where themes are known. */
    public Map<String, Map<Theme, Double>> controlRatesByTheme() {
        Map<String, Map<Theme, Double>> rates = new LinkedHashMap<>();
        for (String method : controlRates().keySet()) {
            Map<Theme, Double> byTheme = new EnumMap<>(Theme.class);
            for (Theme theme : Theme.values()) {
                List<ControlOutcome> drawn = control.stream().filter(outcome -> outcome.theme() == theme).toList();
                if (!drawn.isEmpty()) {
                    byTheme.put(theme, drawn.stream().filter(outcome -> outcome.correct().get(method)).count()
                            / (double) drawn.size());
                }
            }
            rates.put(method, byTheme);
        }
        return rates;
    }
}
