package dev.thinkdiff.job;

import dev.thinkdiff.align.AlignerConfig;
import java.util.Map;
import java.util.Set;

/**
 * A component whose model is ThinkDiff-LVLM's aligner network ({@link AlignerConfig}): ThinkDiff's own aligner (and
 * its variants), trained through the LLM decoder, and the reconstruction baseline, trained through the diffusion
 * decoder. A published version compares by its config as loading reads it; the evaluation count trains nothing.
 */
abstract class AlignerNetComponent implements TrainableComponent {

    @Override
    public Map<String, Object> asRun(Map<String, Object> published) {
        return AlignerConfig.fromMap(published).toMap();
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_images");
    }
}
