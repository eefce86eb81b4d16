package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.AutoencoderConfig;
import dev.thinkdiff.diffusion.AutoencoderEvaluation;
import dev.thinkdiff.diffusion.AutoencoderTraining;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The image autoencoder: measured by the judge's verdict on reconstructions of fresh benchmark-range renders. */
final class AutoencoderComponent implements TrainableComponent {

    @Override
    public String name() {
        return Components.AUTOENCODER;
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
        return List.of(Components.JUDGE);
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
        ModelInputs inputs = ModelInputs.latest(models, Components.FAMILY);
        Manifest.Builder manifest = result.manifest(ref);
        try (Judge judge = Judge.load(inputs.fetch(Components.JUDGE)); ImageAutoencoder autoencoder = AutoencoderTraining.load(result)) {
            AutoencoderEvaluation.Result evaluation = AutoencoderEvaluation.run(autoencoder, judge,
                    config.evalImages());
            System.out.println(evaluation.table());
            evaluation.metrics().forEach(manifest::metric);
        }
        return inputs.record(manifest).build();
    }

    /** {@code size}: benchmark-range renders to reconstruct (default: the config's evaluation count). */
    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (Judge judge = Judge.load(ModelInputs.pinned(models, model).fetch(Components.JUDGE));
                ImageAutoencoder autoencoder = ImageAutoencoder.load(model)) {
            int images = size == null ? autoencoder.config().evalImages() : size;
            System.out.println(AutoencoderEvaluation.run(autoencoder, judge, images).table());
        }
    }
}
