package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.AutoencoderConfig;
import dev.thinkdiff.diffusion.AutoencoderEvaluation;
import dev.thinkdiff.diffusion.AutoencoderTraining;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The image autoencoder: measured by the judge's verdict on reconstructions of fresh benchmark-range renders. */
final class AutoencoderComponent implements TrainableComponent {

    static final String NAME = "autoencoder";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigCodec<AutoencoderConfig> codec() {
        return AutoencoderConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return AutoencoderConfig.defaults().toMap();
    }

    @Override
    public List<String> inputs() {
        return List.of(JudgeComponent.NAME);
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("reconstruction.both", "reconstruction.psnr");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        AutoencoderConfig config = AutoencoderConfig.CODEC.fromMap(settings);
        TrainingResult<AutoencoderConfig> result = AutoencoderTraining.run(config, runDir, resume, -1);
        Manifest.Builder manifest = result.manifest(ref);
        LoadedModel judgeModel = models.fetchLatest(Publisher.FAMILY, JudgeComponent.NAME);
        try (Judge judge = Judge.load(judgeModel); ImageAutoencoder autoencoder = AutoencoderTraining.load(result)) {
            AutoencoderEvaluation.Result evaluation = AutoencoderEvaluation.run(autoencoder, judge,
                    config.evalImages());
            System.out.println(evaluation.table());
            evaluation.metrics().forEach(manifest::metric);
        }
        return manifest.input(JudgeComponent.NAME, judgeModel.ref().version()).build();
    }

    /** {@code size}: benchmark-range renders to reconstruct (default: the config's evaluation count). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (Judge judge = Judge.load(models.fetchLatest(Publisher.FAMILY, JudgeComponent.NAME));
                ImageAutoencoder autoencoder = ImageAutoencoder.load(model)) {
            int images = size == null ? autoencoder.config().evalImages() : size;
            System.out.println(AutoencoderEvaluation.run(autoencoder, judge, images).table());
        }
    }
}
