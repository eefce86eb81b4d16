package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.diffusion.PromptAugmentation;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.nn.Scalars;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.vlm.Generation;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmItem;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ThinkDiff-LVLM training, the authors' recipe: the VLM describes model-training-range images in its own words
 * (sampled as the authors do); for each description, a random split s: the aligner maps the features of the first s
 * generated tokens, and the frozen LLM decoder, reading them as encoder states, must predict the remaining tokens.
 * Only the aligner trains; it never sees an in-context episode, the diffusion decoder or a benchmark-range image.
 * The config's flags switch the split off (the whole description is predicted, the shipped default), feed input-token
 * features, add noise to the aligned vectors or hide some of them from the decoder, a manifold term, or the snap
 * projection ({@link StateBank}).
 *
 * <p>Deterministic and resumable like every training here: the pool of descriptions is a function of the config and
 * the VLM, and step k's batch a function of (seed, k).
 */
public final class AlignerTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    private static final long POOL_STREAM = 2;
    private static final long REFERENCE_STREAM = 3;
    private static final long SNAP_STREAM = 4;
    private static final long EPISODE_STREAM = 5;
    /** Demos of an in-context pool entry: 1..4, the benchmark's 2 and 4 among them. */
    private static final int MAX_EPISODE_SHOTS = 4;
    private static final int REFERENCE_TEXTS = 2000;
    private static final int MANIFOLD_PROJECTIONS = 64;

    /**
     * Step k's inputs: aligner features [B, S, W] with mask, the mask the decoder reads them through (the features'
     * mask less the positions the dropout extension hides), the decoder's target texts, optional noise, and for the
     * manifold term the flat indices of the real (mask 1) positions, as many reference token states and the random
     * projection directions [d, P].
     */
    record Batch(FeatureBatch features, float[] readMask, List<String> targets, float[] noise, long[] realPositions,
                 float[] referenceSample, float[] projections) {
    }

    /** One description of the pool: what the aligner reads and the text it stands for. */
    record Description(float[][] features, int[] tokens, int textTokens, float[][] inputStates) {
    }

    private AlignerTraining() {
    }

    /**
     * Trains (or resumes) an aligner in {@code runDir} between {@code vlm} and the frozen {@code decoder}.
     *
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<AlignerConfig> run(AlignerConfig config, Vlm vlm, LlmDecoder decoder, PromptEncoder promptEncoder,
            Path runDir, boolean resume, int stopAfterStep) throws IOException {
        requireObjective(config, AlignerConfig.Objective.DECODER);
        requireWidths(config, vlm, promptEncoder);
        int lastStep = TrainingLoop.lastStep(config, stopAfterStep);
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        List<Description> pool = describe(vlm, config, poolImages(config));
        float[][] reference = config.manifoldWeight() > 0 ? referenceStates(promptEncoder, config) : null;
        Path bankFile = runDir.resolve(StateBank.FILE_NAME);
        if (config.snapStates() > 0) {
            Files.createDirectories(runDir);
            StateBank.write(snapStates(promptEncoder, config), bankFile);
        }
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            AlignerNet net = AlignerNet.create(config, promptEncoder.finalNormWeight(), manager,
                    Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            NDArray bank = reference == null || config.manifold() != AlignerConfig.Manifold.NEAREST ? null
                    : manager.create(flatten(reference), new Shape(reference.length, config.promptDimension()));
            NDArray snapBank = config.snapStates() > 0
                    ? StateBank.read(bankFile, config.promptDimension(), manager) : null;
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.ALIGNER, run, net, manager, optimizer, config,
                        lastStep, resume, step -> batch(config, pool, vlm.vocabulary(), reference, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, decoder, config, bank, snapBank, batch, arrays));
                TrainingResult<AlignerConfig> result = TrainingLoop.finish(outcome, run, net, config,
                        Aligner.PARAMETERS_FILE, "aligner (" + config.norm().name().toLowerCase() + " norm): decoder "
                                + "cross-entropy", parameters -> Map.of());
                return published(result, runDir, promptEncoder.artifact());
            }
        }
    }

    /**
     * What every aligner publishes besides its parameters: the snap bank if it snaps, every step's loss once it
     * completed (the Fig. 7 curves are drawn from these), and the prompt encoder whose final-norm weight initialised
     * its RMSNorm (the caller adds the other models it loaded).
     */
    static TrainingResult<AlignerConfig> published(TrainingResult<AlignerConfig> result, Path runDir,
            String promptEncoder) {
        if (result.config().snapStates() > 0) {
            result = result.withFile(StateBank.FILE_NAME, runDir.resolve(StateBank.FILE_NAME));
        }
        if (result.completed()) {
            result = result.withFile(TrainingRun.LOSSES_FILE, runDir.resolve(TrainingRun.LOSSES_FILE));
        }
        return result.withInput(Components.PROMPT_ENCODER, promptEncoder);
    }

    static void requireObjective(AlignerConfig config, AlignerConfig.Objective objective) {
        if (config.objective() != objective) {
            throw new IllegalArgumentException("this training's objective is " + objective + ", the config asks for "
                    + config.objective());
        }
    }

    static void requireWidths(AlignerConfig config, Vlm vlm, PromptEncoder promptEncoder) {
        if (vlm.dimension() != config.vlmWidth() || promptEncoder.dimension() != config.promptDimension()) {
            throw new IllegalArgumentException("the aligner maps " + config.vlmWidth() + " → "
                    + config.promptDimension() + " but the VLM has " + vlm.dimension() + " and the encoder "
                    + promptEncoder.dimension());
        }
    }

    /**
     * The training images: {@code config.poolImages()} model-training-range renders of random cells, a pure function
     * of the config's seed (each its own pixel array).
     */
    static List<int[]> poolImages(AlignerConfig config) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(config.seed(), POOL_STREAM));
        WorldRenderer renderer = new WorldRenderer();
        List<int[]> images = new ArrayList<>(config.poolImages());
        for (int i = 0; i < config.poolImages(); i++) {
            Cell cell = TextCorpus.randomCell(random);
            images.add(renderer.renderPixels(cell, SeedRange.MODEL_TRAINING.seed(
                    random.nextLong(SeedRange.MODEL_TRAINING.size()))).clone());
        }
        return images;
    }

    /**
     * The training pool: the VLM's sampled description of each image, with its features; with
     * {@code in_context_share} > 0, that share of the entries is instead its answer to a random in-context episode
     * (its own stream of draws, so a config without the key keeps its exact pool).
     */
    static List<Description> describe(Vlm vlm, AlignerConfig config, List<int[]> images) {
        List<List<VlmItem>> prompts = poolPrompts(config, images);
        Sampling sampling = config.sampling(Seeds.mix(config.seed(), POOL_STREAM));
        List<Generation> generations = vlm.generate(prompts, sampling, config.maxNewTokens());
        int end = vlm.vocabulary().endIndex();
        return generations.stream().map(g -> new Description(g.features(), g.tokens(),
                g.tokens().length > 0 && g.tokens()[g.tokens().length - 1] == end ? g.tokens().length - 1
                        : g.tokens().length, g.inputStates())).toList();
    }

    /** What the VLM is asked for each pool entry: a caption of the image, or (that share) a random episode. */
    static List<List<VlmItem>> poolPrompts(AlignerConfig config, List<int[]> images) {
        List<List<VlmItem>> prompts = new ArrayList<>(images.size());
        SplittableRandom episodes = new SplittableRandom(Seeds.mix(config.seed(), EPISODE_STREAM));
        WorldRenderer renderer = new WorldRenderer();
        for (int[] pixels : images) {
            if (config.inContextShare() > 0 && episodes.nextDouble() < config.inContextShare()) {
                Episode episode = Episode.random(episodes, 0.5, MAX_EPISODE_SHOTS);
                prompts.add(VlmPrompts.episode(episode, cell -> renderer.renderPixels(cell,
                        SeedRange.MODEL_TRAINING.seed(episodes.nextLong(SeedRange.MODEL_TRAINING.size()))).clone(),
                        VlmPrompts.EPISODE_INSTRUCTION));
            } else {
                prompts.add(VlmPrompts.caption(pixels, VlmPrompts.CAPTION_INSTRUCTION, true));
            }
        }
        return prompts;
    }

    /** Step k's batch: pool entries, split points (masked training) and noise, a pure function of (seed, k). */
    static Batch batch(AlignerConfig config, List<Description> pool, Vocabulary vocabulary, float[][] reference,
            long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<float[][]> inputs = new ArrayList<>(config.batchSize());
        List<String> targets = new ArrayList<>(config.batchSize());
        for (int i = 0; i < config.batchSize(); i++) {
            Description description = pool.get(random.nextInt(pool.size()));
            int length = description.features().length;
            int split = length;
            if (config.features() == AlignerConfig.Features.INPUT) {
                inputs.add(description.inputStates());
                split = 0;
            } else if (config.masking() && length >= 2) {
                split = 1 + random.nextInt(Math.min(length - 1, config.maxSplit()));
                inputs.add(Arrays.copyOf(description.features(), split));
            } else {
                inputs.add(description.features());
                split = 0;
            }
            int from = Math.min(split, description.textTokens());
            targets.add(vocabulary.decode(
                    Arrays.copyOfRange(description.tokens(), from, description.textTokens())));
        }
        FeatureBatch features = FeatureBatch.of(inputs, config.vlmWidth());
        float[] noise = null;
        if (config.alignedNoise() > 0) {
            noise = new float[features.size() * features.length() * config.promptDimension()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
        }
        float[] readMask = features.mask();
        if (config.alignedDropout() > 0) {
            readMask = readMask.clone();
            for (int i = 0; i < features.size(); i++) {
                PromptAugmentation.dropTokens(readMask, i, features.length(), config.alignedDropout(), random);
            }
        }
        if (reference == null) {
            return new Batch(features, readMask, targets, noise, null, null, null);
        }
        int d = config.promptDimension();
        long[] real = new long[(int) count(features.mask())];
        for (int i = 0, k = 0; i < features.mask().length; i++) {
            if (features.mask()[i] == 1f) {
                real[k++] = i;
            }
        }
        float[] sample = new float[real.length * d];
        for (int k = 0; k < real.length; k++) {
            System.arraycopy(reference[random.nextInt(reference.length)], 0, sample, k * d, d);
        }
        float[] projections = new float[d * MANIFOLD_PROJECTIONS];
        for (int p = 0; p < MANIFOLD_PROJECTIONS; p++) {
            double norm = 0;
            double[] direction = new double[d];
            for (int c = 0; c < d; c++) {
                direction[c] = random.nextGaussian();
                norm += direction[c] * direction[c];
            }
            for (int c = 0; c < d; c++) {
                projections[c * MANIFOLD_PROJECTIONS + p] = (float) (direction[c] / Math.sqrt(norm));
            }
        }
        return new Batch(features, readMask, targets, noise, real, sample, projections);
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }

    private static long count(float[] mask) {
        long count = 0;
        for (float m : mask) {
            count += m == 1f ? 1 : 0;
        }
        return count;
    }

    /** The decoder's mean token cross-entropy of the targets given the aligned features, plus the extensions. */
    private static NDArray loss(AlignerNet net, ParameterStore parameterStore, LlmDecoder decoder,
            AlignerConfig config, NDArray bank, NDArray snapBank, Batch batch, NDManager arrays) {
        FeatureBatch features = batch.features();
        Shape shape = new Shape(features.size(), features.length());
        NDArray aligned = net.forward(parameterStore,
                arrays.create(features.features(), shape.add(config.vlmWidth())), true);
        if (snapBank != null) {
            aligned = StateBank.project(aligned, snapBank, config.snapScale(), config.snapTopK());
        }
        NDArray read = aligned;
        if (batch.noise() != null) {
            NDArray rms = aligned.square().mean(new int[] {-1}, true).sqrt().stopGradient();
            read = aligned.add(arrays.create(batch.noise(), shape.add(config.promptDimension()))
                    .mul(rms).mul((float) config.alignedNoise()));
        }
        NDArray loss = decoder.crossEntropy(read, arrays.create(batch.readMask(), shape), batch.targets());
        if (batch.referenceSample() != null) {
            int d = config.promptDimension();
            NDArray real = aligned.reshape(-1, d).get(arrays.create(batch.realPositions()));
            NDArray reference = arrays.create(batch.referenceSample(), new Shape(batch.realPositions().length, d));
            NDArray projections = arrays.create(batch.projections(), new Shape(d, MANIFOLD_PROJECTIONS));
            NDArray gap = config.manifold() == AlignerConfig.Manifold.NEAREST
                    ? nearestGap(real, bank) : slicedWasserstein(real, reference, projections);
            loss = loss.add(Scalars.times(gap, (float) config.manifoldWeight()));
        }
        return loss;
    }

    /**
     * Sliced Wasserstein-2 distance between two equal-sized sets of vectors [M, d]: both are projected on P random
     * unit directions, sorted along each, and compared rank by rank; relative to the reference projections' variance
     * so the weight does not depend on the encoder's scale. Zero exactly when every 1-D projection has the same
     * distribution, which pulls the aligned vectors onto the encoder's token-state manifold as a whole set.
     */
    static NDArray slicedWasserstein(NDArray vectors, NDArray reference, NDArray projections) {
        NDArray projected = vectors.dot(projections).sort(0);
        NDArray target = reference.dot(projections).sort(0);
        NDArray variance = target.sub(target.mean(new int[] {0}, true)).square().mean();
        return projected.sub(target).square().mean().div(variance);
    }

    /**
     * Mean squared distance of each aligned vector to its nearest reference token state (a one-sided Chamfer
     * distance), relative to the reference's mean variance: zero only when every aligned vector IS some real token
     * state of the encoder, so the decoder must read real-looking states rather than vectors of its own.
     */
    static NDArray nearestGap(NDArray vectors, NDArray bank) {
        NDArray distances = vectors.square().sum(new int[] {1}, true)
                .sub(Scalars.times(vectors.dot(bank.transpose()), 2f))
                .add(bank.square().sum(new int[] {1}).expandDims(0));
        NDArray variance = bank.sub(bank.mean(new int[] {0}, true)).square().sum(new int[] {1}).mean();
        return distances.min(new int[] {1}).mean().div(variance);
    }

    /** The snap bank: {@code config.snapStates()} token states drawn without replacement from the reference states. */
    static float[][] snapStates(PromptEncoder encoder, AlignerConfig config) {
        List<float[]> states = new ArrayList<>(Arrays.asList(referenceStates(encoder, config)));
        java.util.Collections.shuffle(states, new java.util.Random(Seeds.mix(config.seed(), SNAP_STREAM)));
        return states.subList(0, Math.min(states.size(), config.snapStates())).toArray(float[][]::new);
    }

    /** Token states of the prompt encoder for unrelated corpus sentences ([CLS] and [SEP] left out). */
    static float[][] referenceStates(PromptEncoder encoder, AlignerConfig config) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(config.seed(), REFERENCE_STREAM));
        List<String> texts = new ArrayList<>(REFERENCE_TEXTS);
        for (int i = 0; i < REFERENCE_TEXTS; i++) {
            texts.add(TextCorpus.sentence(random));
        }
        EncodedPrompts encoded = encoder.encode(texts);
        int d = encoded.dimension();
        List<float[]> states = new ArrayList<>();
        for (int b = 0; b < encoded.batchSize(); b++) {
            float[] tokens = encoded.tokenStates(b);
            for (int t = 1; t < tokens.length / d - 1; t++) {
                states.add(Arrays.copyOfRange(tokens, t * d, (t + 1) * d));
            }
        }
        return states.toArray(float[][]::new);
    }
}
