package dev.thinkdiff.job;

import dev.thinkdiff.clip.ClipConfig;
import dev.thinkdiff.clip.ClipRetrieval;
import dev.thinkdiff.clip.ClipTraining;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ThinkDiff-CLIP's vision encoder, trained contrastively against the frozen prompt encoder's sentence embeddings;
 * measured by image → text retrieval on benchmark-range renders.
 */
final class ClipVisionComponent implements TrainableComponent {

    @Override
    public String name() {
        return Components.CLIP_VISION;
    }

    @Override
    public ConfigCodec<ClipConfig> codec() {
        return ClipConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return ClipConfig.defaults().toMap();
    }

    @Override
    public Set<String> evaluationSettings() {
        return Set.of("eval_images");
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("retrieval.top1.mean", "train_loss");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            return ClipTraining.run(ClipConfig.CODEC.fromMap(settings), encoder, runDir, resume, -1).manifest(ref).build();
        }
    }

    /** {@code size}: benchmark-range renders per cell (default: the config's count). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (ClipVision vision = ClipVision.load(model); MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            int images = size == null ? vision.config().evalImages() : size;
            System.out.println(ClipRetrieval.run(vision, encoder, images, vision.config().seed()).table());
        }
    }
}
