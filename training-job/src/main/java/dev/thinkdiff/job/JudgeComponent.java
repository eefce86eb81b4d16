package dev.thinkdiff.job;

import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeConfig;
import dev.thinkdiff.judge.JudgeEvaluation;
import dev.thinkdiff.judge.JudgeTraining;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.ConfigCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The CoBSAT judge: measured on fresh benchmark-range renders. */
final class JudgeComponent implements TrainableComponent {

    private static final int DEFAULT_IMAGES = 4000;

    @Override
    public String name() {
        return Components.JUDGE;
    }

    @Override
    public ConfigCodec<JudgeConfig> codec() {
        return JudgeConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return JudgeConfig.defaults().toMap();
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("overall.both", "train_loss");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        return JudgeTraining.run(JudgeConfig.CODEC.fromMap(settings), runDir, resume, -1).manifest(ref).build();
    }

    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (Judge judge = Judge.load(model)) {
            System.out.println(JudgeEvaluation.run(judge, size == null ? DEFAULT_IMAGES : size, 0).table());
        }
    }
}
