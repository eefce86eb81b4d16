package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.clip.ClipTexts;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
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
 * ThinkDiff-CLIP training (docs/design.md §2): a text of the image's cell is split at a random word; the decoder's input
 * states are concat(aligned image tokens, prompt-encoder states of the prefix), and the frozen LLM decoder predicts
 * the continuation. With the split before the first word the image tokens alone must spell the whole text. Only the
 * aligner trains: the CLIP image tokens are computed once by the frozen vision encoder, the prefix states by the
 * frozen prompt encoder. The aligned vectors are snapped ({@link StateBank}) and noised as in the LVLM aligner.
 *
 * <p>Deterministic and resumable: the pool is a function of the config and the vision encoder, step k's batch a
 * function of (seed, k).
 */
public final class ClipAlignerTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    private static final long POOL_STREAM = 2;

    /** One training image: its cell and its CLIP tokens as the aligner reads them. */
    record Example(Cell cell, float[][] tokens) {
    }

    /**
     * Step k's inputs: image tokens [B, T, W], the prefixes' encoder states [B, P, D] with mask [B, P], the
     * continuations to predict and the noise [B, T, D] for the aligned vectors.
     */
    record Batch(FeatureBatch images, EncodedPrompts prefixes, List<String> targets, float[] noise) {
    }

    private ClipAlignerTraining() {
    }

    /**
     * Trains (or resumes) a CLIP aligner in {@code runDir} between {@code vision} and the frozen {@code decoder}.
     *
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<ClipAlignerConfig> run(ClipAlignerConfig config, ClipVision vision, LlmDecoder decoder, PromptEncoder encoder,
            Path runDir, boolean resume, int stopAfterStep) throws IOException {
        if (vision.config().width() != config.clipWidth() || vision.config().tokens() != config.imageTokens()
                || encoder.dimension() != config.promptDimension()) {
            throw new IllegalArgumentException("the aligner maps " + config.imageTokens() + " tokens of "
                    + config.clipWidth() + " → " + config.promptDimension() + " but the vision encoder gives "
                    + vision.config().tokens() + " of " + vision.config().width() + " and the encoder's states are "
                    + encoder.dimension());
        }
        int lastStep = TrainingLoop.lastStep(config, stopAfterStep);
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        List<Example> pool = pool(vision, config);
        Path bankFile = runDir.resolve(StateBank.FILE_NAME);
        if (config.snapStates() > 0) {
            Files.createDirectories(runDir);
            StateBank.write(AlignerTraining.snapStates(encoder, config.aligner()), bankFile);
        }
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            AlignerNet net = AlignerNet.create(config.aligner(), encoder.finalNormWeight(), manager,
                    Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            NDArray snapBank = config.snapStates() > 0
                    ? StateBank.read(bankFile, config.promptDimension(), manager) : null;
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.CLIP_ALIGNER, run, net, manager, optimizer, config,
                        lastStep, resume, step -> batch(config, pool, encoder, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, decoder, config, snapBank, batch, arrays));
                TrainingResult<ClipAlignerConfig> result = TrainingLoop.finish(outcome, run, net, config,
                        Aligner.PARAMETERS_FILE, "aligner-clip: decoder cross-entropy of the continuation",
                        parameters -> Map.of());
                if (config.snapStates() > 0) {
                    result = result.withFile(StateBank.FILE_NAME, bankFile);
                }
                // the caller adds the clip-vision and decoder versions it loaded
                return result.withInput(Components.PROMPT_ENCODER, encoder.artifact());
            }
        }
    }

    /** The training pool: model-training-range renders of random cells with their CLIP tokens. */
    static List<Example> pool(ClipVision vision, ClipAlignerConfig config) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(config.seed(), POOL_STREAM));
        WorldRenderer renderer = new WorldRenderer();
        List<Example> pool = new ArrayList<>(config.poolImages());
        int chunk = 256;
        for (int from = 0; from < config.poolImages(); from += chunk) {
            List<Cell> cells = new ArrayList<>();
            List<int[]> images = new ArrayList<>();
            for (int i = from; i < Math.min(config.poolImages(), from + chunk); i++) {
                Cell cell = TextCorpus.randomCell(random);
                cells.add(cell);
                images.add(renderer.renderPixels(cell, SeedRange.MODEL_TRAINING.seed(
                        random.nextLong(SeedRange.MODEL_TRAINING.size()))).clone()); // the renderer reuses its array
            }
            float[][][] tokens = vision.tokens(images);
            for (int i = 0; i < cells.size(); i++) {
                pool.add(new Example(cells.get(i), config.alignerInput(tokens[i])));
            }
        }
        return pool;
    }

    /** Step k's batch: pool entries, a text of each one's cell and its split point, noise; a function of (seed, k). */
    static Batch batch(ClipAlignerConfig config, List<Example> pool, PromptEncoder encoder, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<float[][]> images = new ArrayList<>(config.batchSize());
        List<String> prefixes = new ArrayList<>(config.batchSize());
        List<String> targets = new ArrayList<>(config.batchSize());
        for (int i = 0; i < config.batchSize(); i++) {
            Example example = pool.get(random.nextInt(pool.size()));
            List<String> texts = config.answerTextOnly() ? List.of(TextCorpus.answer(example.cell()))
                    : ClipTexts.of(example.cell());
            String[] words = texts.get(random.nextInt(texts.size())).split(" ");
            int split = random.nextDouble() < config.wholeTextShare() ? 0 : random.nextInt(words.length);
            images.add(example.tokens());
            prefixes.add(String.join(" ", Arrays.copyOfRange(words, 0, split)));
            targets.add(String.join(" ", Arrays.copyOfRange(words, split, words.length)));
        }
        FeatureBatch features = FeatureBatch.of(images, config.inputWidth());
        float[] noise = null;
        if (config.alignedNoise() > 0) {
            noise = new float[features.size() * features.length() * config.promptDimension()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
        }
        return new Batch(features, encoder.encode(prefixes), targets, noise);
    }

    /** The decoder's mean token cross-entropy of the continuations given concat(aligned image tokens, prefix). */
    static NDArray loss(AlignerNet net, ParameterStore parameterStore, LlmDecoder decoder, ClipAlignerConfig config,
            NDArray snapBank, Batch batch, NDManager arrays) {
        FeatureBatch images = batch.images();
        Shape shape = new Shape(images.size(), images.length());
        NDArray aligned = net.forward(parameterStore,
                arrays.create(images.features(), shape.add(config.inputWidth())), true);
        if (snapBank != null) {
            aligned = StateBank.project(aligned, snapBank, config.snapScale(), config.snapTopK());
        }
        if (batch.noise() != null) {
            NDArray rms = aligned.square().mean(new int[] {-1}, true).sqrt().stopGradient();
            aligned = aligned.add(arrays.create(batch.noise(), shape.add(config.promptDimension()))
                    .mul(rms).mul((float) config.alignedNoise()));
        }
        EncodedPrompts prefixes = batch.prefixes();
        Shape prefixShape = new Shape(prefixes.batchSize(), prefixes.sequenceLength());
        NDArray states = NDArrays.concat(new NDList(aligned,
                arrays.create(prefixes.states(), prefixShape.add(prefixes.dimension()))), 1);
        NDArray mask = NDArrays.concat(new NDList(arrays.create(images.mask(), shape),
                arrays.create(prefixes.mask(), prefixShape)), 1);
        return decoder.crossEntropy(states, mask, batch.targets());
    }
}
