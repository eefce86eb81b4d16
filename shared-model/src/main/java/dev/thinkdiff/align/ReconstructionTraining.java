package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.diffusion.DiffusionTransformer;
import dev.thinkdiff.diffusion.ImageAutoencoder;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.vlm.Vlm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reconstruction-based alignment baseline (paper Fig. 2a): ThinkDiff's aligner network trained with the diffusion
 * decoder's own loss on image–caption pairs, instead of through the frozen LLM decoder. The pool is ThinkDiff's
 * (the VLM's sampled descriptions of the same model-training-range images, {@link AlignerTraining#describe}); the
 * aligner maps ALL features of a description to prompt states, and the frozen diffusion transformer's flow-matching
 * loss on the autoencoder latent of the very image described is what it minimises. Only the aligner trains; the
 * result is published like any aligner, so the whole inference path uses it unchanged.
 *
 * <p>Deterministic and resumable like every training here: step k's batch is a function of (seed, k).
 */
public final class ReconstructionTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /** Step k's inputs: the descriptions' features with mask, their images' latents, the noise and the times. */
    record Batch(FeatureBatch features, float[] latents, float[] noise, float[] times) {
    }

    private ReconstructionTraining() {
    }

    /**
     * Trains (or resumes) an aligner in {@code runDir} between {@code vlm} and the frozen {@code diffusion}
     * transformer, whose latents {@code autoencoder} makes.
     *
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     * @return the result; its metrics add {@code pool_seconds}, the time to describe and encode the pool
     */
    public static TrainingResult<AlignerConfig> run(AlignerConfig config, Vlm vlm, DiffusionTransformer diffusion,
            ImageAutoencoder autoencoder, PromptEncoder promptEncoder, Path runDir, boolean resume, int stopAfterStep)
            throws IOException {
        AlignerTraining.requireObjective(config, AlignerConfig.Objective.DIFFUSION);
        AlignerTraining.requireWidths(config, vlm, promptEncoder);
        if (diffusion.config().promptDimension() != config.promptDimension()
                || diffusion.config().latentFloats() != autoencoder.config().latentFloats()) {
            throw new IllegalArgumentException("the diffusion decoder reads " + diffusion.config().promptDimension()
                    + "-wide prompts and " + diffusion.config().latentFloats() + " latent floats; the aligner gives "
                    + config.promptDimension() + ", the autoencoder " + autoencoder.config().latentFloats());
        }
        long started = System.nanoTime();
        List<int[]> images = AlignerTraining.poolImages(config);
        List<AlignerTraining.Description> pool = AlignerTraining.describe(vlm, config, images);
        float[] latents = autoencoder.encode(images);
        double poolSeconds = (System.nanoTime() - started) / 1e9;
        return train(config, pool, latents, diffusion, promptEncoder.finalNormWeight(), promptEncoder.artifact(),
                poolSeconds, runDir, resume, stopAfterStep);
    }

    /**
     * The training proper, on a described pool: {@code latents} holds image i's scaled latent at
     * [i × latent floats].
     */
    static TrainingResult<AlignerConfig> train(AlignerConfig config, List<AlignerTraining.Description> pool, float[] latents,
            DiffusionTransformer diffusion, float[] encoderNormWeight, String promptEncoder, double poolSeconds,
            Path runDir, boolean resume, int stopAfterStep) throws IOException {
        int lastStep = TrainingLoop.lastStep(config, stopAfterStep);
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        int latentFloats = diffusion.config().latentFloats();
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            AlignerNet net = AlignerNet.create(config, encoderNormWeight, manager,
                    Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run("aligner-reconstruction", run, net, manager,
                        optimizer, config, lastStep, resume,
                        step -> batch(config, pool, latents, latentFloats, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, diffusion, config, batch, arrays));
                TrainingResult<AlignerConfig> result = TrainingLoop.finish(outcome, run, net, config,
                        Aligner.PARAMETERS_FILE, "aligner (reconstruction): diffusion flow-matching loss",
                        parameters -> Map.of("pool_seconds", poolSeconds));
                return AlignerTraining.published(result, runDir, promptEncoder);
            }
        }
    }

    /** Step k's batch: pool entries with their images' latents, noise and times, a pure function of (seed, k). */
    static Batch batch(AlignerConfig config, List<AlignerTraining.Description> pool, float[] latents,
            int latentFloats, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        int b = config.batchSize();
        List<float[][]> features = new ArrayList<>(b);
        float[] x0 = new float[b * latentFloats];
        float[] times = new float[b];
        for (int i = 0; i < b; i++) {
            int entry = random.nextInt(pool.size());
            features.add(pool.get(entry).features());
            System.arraycopy(latents, entry * latentFloats, x0, i * latentFloats, latentFloats);
            times[i] = DiffusionTransformer.sampleTime(random);
        }
        float[] noise = new float[b * latentFloats];
        for (int k = 0; k < noise.length; k++) {
            noise[k] = (float) random.nextGaussian();
        }
        return new Batch(FeatureBatch.of(features, config.vlmWidth()), x0, noise, times);
    }

    /** The frozen diffusion transformer's flow-matching loss with the aligned features as its prompt. */
    static NDArray loss(AlignerNet net, ParameterStore parameterStore, DiffusionTransformer diffusion,
            AlignerConfig config, Batch batch, NDManager arrays) {
        FeatureBatch features = batch.features();
        Shape shape = new Shape(features.size(), features.length());
        NDArray aligned = net.forward(parameterStore,
                arrays.create(features.features(), shape.add(config.vlmWidth())), true);
        int side = diffusion.config().latentSize();
        Shape latentShape = new Shape(features.size(), diffusion.config().latentChannels(), side, side);
        // no null prompt: the baseline learns the conditional velocity only, as the aligned prompt is always there
        return diffusion.flowMatchingLoss(parameterStore, arrays.create(batch.latents(), latentShape),
                arrays.create(batch.noise(), latentShape), arrays.create(batch.times()), aligned,
                arrays.create(features.mask(), shape), null, false);
    }
}
