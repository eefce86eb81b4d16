package dev.thinkdiff.job;

import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.train.ConfigCodec;
import java.util.Set;

/**
 * A component whose model is ThinkDiff-LVLM's aligner network ({@link AlignerConfig}): ThinkDiff's own aligner (and
 * its variants), trained through the LLM decoder, and the reconstruction baseline, trained through the diffusion
 * decoder. A published version compares by its config as loading reads it; the evaluation count trains nothing.
 */
abstract class AlignerNetComponent implements TrainableComponent {

    @Override
    public ConfigCodec<AlignerConfig> codec() {
        return AlignerConfig.CODEC;
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_images");
    }
}
