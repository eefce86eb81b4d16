package dev.thinkdiff.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.diffusion.DiffusionConfigBuilder;
import dev.thinkdiff.diffusion.DiffusionTransformer;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.RunReference;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconstruction-based alignment baseline's training, on a tiny frozen diffusion transformer. */
class ReconstructionTrainingTest {

    private static final int VLM_WIDTH = 12;
    private static final int DIMENSION = 8;
    private static final int STEPS = 60;
    private static final long DATA_SEED = 5;

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    /** d 16, one block, 2×2 patches of a 2×4×4 latent, 8-wide prompts. */
    private static DiffusionConfig tinyDiffusion() {
        return DiffusionConfigBuilder.builder(DiffusionConfig.defaults())
                .width(16).depth(1).heads(2).mlpRatio(2).patchSize(2).latentChannels(2).latentSize(4)
                .promptDimension(DIMENSION).batchSize(8).steps(1).learningRate(1e-3).warmupSteps(1)
                .latentSeedsPerCell(1).seed(3L).checkpointInterval(10).sampleSteps(4).evalPhrasings(List.of(0))
                .evalSeeds(1)
                .build();
    }

    private static AlignerConfig tinyConfig() {
        Map<String, Object> map = new LinkedHashMap<>(AlignerConfig.reconstruction().toMap());
        map.put("vlm_width", VLM_WIDTH);
        map.put("prompt_dimension", DIMENSION);
        map.put("batch_size", 8);
        map.put("steps", STEPS);
        map.put("warmup_steps", 5);
        map.put("learning_rate", 1e-2);
        map.put("checkpoint_interval", STEPS);
        return AlignerConfig.CODEC.fromMap(map);
    }

    @Test
    void theDiffusionLossFallsAndOnlyTheAlignerChanges(@TempDir Path runDir) throws Exception {
        AlignerConfig config = tinyConfig();
        DiffusionConfig diffusionConfig = tinyDiffusion();
        int latentFloats = diffusionConfig.latentFloats();
        SplittableRandom random = new SplittableRandom(9);
        List<AlignerTraining.Description> pool = new ArrayList<>();
        float[] latents = new float[4 * latentFloats];
        for (int i = 0; i < 4; i++) {
            float[][] features = new float[3 + i][VLM_WIDTH];
            for (float[] feature : features) {
                fill(feature, random);
            }
            pool.add(new AlignerTraining.Description(features, new int[0], 0, new float[0][]));
        }
        fill(latents, random);
        float[] normWeight = new float[DIMENSION];
        Arrays.fill(normWeight, 1f);
        try (NDManager manager = NDManager.newBaseManager()) {
            // a random transformer (not the zero-output start of training) so that the prompt matters
            DiffusionTransformer diffusion = DiffusionTransformer.create(diffusionConfig, manager, 1);
            ParameterInit.normal(diffusion, 2, 0.3);
            diffusion.freezeParameters(true);
            Map<String, float[]> diffusionBefore = parameters(diffusion);

            double before = heldOutLoss(config, pool, latents, diffusion, normWeight, null, manager);
            TrainingResult<AlignerConfig> result = ReconstructionTraining.train(config, pool, latents, diffusion, normWeight,
                    "test-encoder", 0, runDir, false, -1);
            double after = heldOutLoss(config, pool, latents, diffusion, normWeight, result.parameters(), manager);

            assertTrue(result.completed());
            assertTrue(after < 0.9 * before, "held-out diffusion loss " + before + " -> " + after);
            Map<String, float[]> diffusionAfter = parameters(diffusion);
            diffusionBefore.forEach((name, values) -> assertArrayEquals(values, diffusionAfter.get(name), name));
            assertTrue(Files.exists(runDir.resolve(TrainingRun.LOSSES_FILE)));
            assertTrue(Files.exists(runDir.resolve(Aligner.PARAMETERS_FILE)));
            assertEquals(STEPS, result.losses().size());
            assertEquals(List.of("train_loss", "train_seconds", "parameter_count", "pool_seconds"),
                    List.copyOf(result.metrics().keySet()));
            // recorded before the trainings moved onto TrainingLoop.finish and TrainingResult (commit 7fcc5f5): the
            // same weights and every step's loss. train_loss is now the mean of the last 50 steps; 7fcc5f5 averaged
            // the last 100, here all 60 (mean_loss): only the window differs
            Map<String, Object> measured = new java.util.TreeMap<>(AlignerTest.withoutTime(result.metrics()));
            measured.put("mean_loss", result.losses().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            RunReference.assertReproduces(RunReference.values(result.parameters(), measured),
                    new RunReference.Recorded("AuthenticAMD/avx512", "7fcc5f5", Map.of(
                        "sha256", "6101fb8507a7f91e10e66d86d269ef6907177d688c633a933755724bbd546a60",
                        "train_loss", 3.4526241874694823, "parameter_count", 184.0, "pool_seconds", 0.0,
                        "mean_loss", 3.548309898376465)),
                    new RunReference.Recorded("GenuineIntel/avx512", "7fcc5f5", Map.of(
                        "sha256", "88da193190b9997f6e4bd2f5157c0e5187831d5e9a690ea10eb812ce42c36661",
                        "train_loss", 3.4526240634918213, "parameter_count", 184.0, "pool_seconds", 0.0,
                        "mean_loss", 3.5483097791671754)));
        }
    }

    @Test
    void eachTrainingRefusesTheOthersObjective(@TempDir Path runDir) {
        AlignerConfig reconstruction = AlignerConfig.reconstruction();
        assertThrows(IllegalArgumentException.class,
                () -> AlignerTraining.run(reconstruction, null, null, null, runDir, false, -1));
        assertThrows(IllegalArgumentException.class,
                () -> ReconstructionTraining.run(AlignerConfig.defaults(), null, null, null, null, runDir, false, -1));
    }

    @Test
    void configRoundTripsAndOldManifestsAreDecoderTrained() {
        AlignerConfig reconstruction = AlignerConfig.reconstruction();
        assertEquals(AlignerConfig.Objective.DIFFUSION, reconstruction.objective());
        assertEquals(0, reconstruction.snapStates());
        assertFalse(reconstruction.masking());
        assertEquals(reconstruction, AlignerConfig.CODEC.fromMap(reconstruction.toMap()));
        assertEquals(AlignerConfig.defaults(), AlignerConfig.CODEC.fromMap(AlignerConfig.defaults().toMap()));

        Map<String, Object> old = new LinkedHashMap<>(AlignerConfig.defaults().toMap());
        old.remove("objective");
        old.remove("max_gradient_norm");
        old.remove("in_context_share");
        AlignerConfig read = AlignerConfig.CODEC.fromMap(old);
        assertEquals(AlignerConfig.Objective.DECODER, read.objective());
        assertEquals(0, read.maxGradientNorm());
        assertEquals(0, read.inContextShare(), "trained on captions only");
        assertEquals(AlignerConfigBuilder.builder(AlignerConfig.defaults()).inContextShare(0).build(), read);
    }

    /**
     * The mean diffusion loss of batches the training never drew, with the aligner at its initialisation
     * ({@code parameters} null) or trained.
     */
    private static double heldOutLoss(AlignerConfig config, List<AlignerTraining.Description> pool, float[] latents,
            DiffusionTransformer diffusion, float[] normWeight, Path parameters, NDManager manager) throws Exception {
        try (NDManager arrays = manager.newSubManager()) {
            // the training's initialisation stream
            AlignerNet net = AlignerNet.create(config, normWeight, arrays, Seeds.mix(config.seed(), 0));
            if (parameters != null) {
                TrainingRun.loadParameters(net, arrays, parameters);
            }
            ParameterStore store = new ParameterStore(arrays, false);
            double sum = 0;
            int batches = 20;
            for (int k = 0; k < batches; k++) {
                ReconstructionTraining.Batch batch = ReconstructionTraining.batch(config, pool, latents,
                        diffusion.config().latentFloats(), DATA_SEED, 10_000 + k);
                sum += ReconstructionTraining.loss(net, store, diffusion, config, batch, arrays).getFloat();
            }
            return sum / batches;
        }
    }

    private static Map<String, float[]> parameters(DiffusionTransformer net) {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.getParameters().forEach(entry -> values.put(entry.getKey(), entry.getValue().getArray().toFloatArray()));
        return values;
    }

    private static void fill(float[] values, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
    }
}
