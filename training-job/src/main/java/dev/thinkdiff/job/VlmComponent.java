package dev.thinkdiff.job;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmConfig;
import dev.thinkdiff.vlm.VlmEvaluation;
import dev.thinkdiff.vlm.VlmTraining;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    public Map<String, Object> defaultSettings() {
        return VlmConfig.defaults().toMap();
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("caption.overall.both", "incontext.2shot.avg");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        VlmTraining.Result result = VlmTraining.run(VlmConfig.fromMap(settings), runDir, resume, -1);
        return result.manifest(ref).build();
    }

    /** {@code size}: prompts per task and shot count (default: all 1000). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        VlmEvaluation.Settings full = VlmEvaluation.Settings.full();
        VlmEvaluation.Settings settings = size == null ? full : new VlmEvaluation.Settings(
                full.captionSeedsPerCell(), size, List.of(2, 4), full.consistencyPromptsPerTask(), full.threads());
        try (Vlm vlm = Vlm.load(model)) {
            VlmEvaluation.run(vlm, settings);
        }
    }
}
