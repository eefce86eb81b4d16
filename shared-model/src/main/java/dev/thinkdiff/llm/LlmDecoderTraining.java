package dev.thinkdiff.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Trains the pocket LLM decoder on a mix of reconstruction (states of a text → the text) and continuation (states of
 * a prefix → the rest) over broad corpus sentences, every caption phrasing and the VLM answer phrasing, with noisy,
 * rescaled, partly hidden prompt states; then evaluates it on held-out captions ({@link LlmDecoderEvaluation}).
 *
 * <p>Deterministic: the pool is a function of the config, step k's batch a function of (seed, k), and the parameters
 * start from a seeded initialisation, so a run stopped and resumed from a checkpoint ends bit-identical to an
 * unbroken one. The prompt states are cached in the run directory ({@value TrainingPool#CACHE_FILE}).
 */
public final class LlmDecoderTraining {

    private static final Logger LOG = Logger.getLogger(LlmDecoderTraining.class);

    private static final double INIT_STD = 0.02;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    private LlmDecoderTraining() {
    }

    /**
     * Trains (or resumes) a decoder in {@code runDir} on the full training pool of {@code config}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<LlmDecoderConfig> run(LlmDecoderConfig config, Path runDir, boolean resume, int stopAfterStep)
            throws IOException {
        return run(config, TrainingTexts.of(config), runDir, resume, stopAfterStep);
    }

    static TrainingResult<LlmDecoderConfig> run(LlmDecoderConfig config, TrainingTexts texts, Path runDir,
            boolean resume, int stopAfterStep) throws IOException {
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        try (PromptEncoder encoder = MiniLmPromptEncoder.load();
                MiniLmTokenizer tokenizer = MiniLmTokenizer.load();
                NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            if (encoder.dimension() != config.memoryWidth()) {
                throw new IllegalArgumentException("the prompt encoder is " + encoder.dimension() + "-d, the config "
                        + "says " + config.memoryWidth());
            }
            Vocabulary vocabulary = Vocabulary.ofWorld(tokenizer);
            Path vocabularyFile = runDir.resolve(Vocabulary.FILE_NAME);
            vocabulary.write(vocabularyFile);
            TrainingPool pool = TrainingPool.build(texts, vocabulary, tokenizer, encoder, config.maxTargetTokens(),
                    runDir.resolve(TrainingPool.CACHE_FILE));
            LOG.infof("pool: %d texts encoded, %d examples, vocabulary %d", pool.texts(), pool.examples(),
                    vocabulary.size());

            LlmDecoderNet net = LlmDecoderNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, Seeds.mix(config.seed(), INIT_STREAM), INIT_STD);
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.LLM_DECODER, run, net, manager, optimizer, config,
                        TrainingLoop.lastStep(config, stopAfterStep), resume,
                        step -> pool.batch(config, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, batch, vocabulary, arrays));
                return TrainingLoop.finish(outcome, run, net, config, LlmDecoder.PARAMETERS_FILE,
                        "LLM decoder: mean token cross-entropy", parameters -> {
                            Map<String, Double> metrics = new LinkedHashMap<>();
                            try (LlmDecoder decoder = LlmDecoder.load(config, parameters, vocabularyFile)) {
                                LlmDecoderEvaluation.Result evaluation = LlmDecoderEvaluation.run(decoder, encoder,
                                        config.heldOutCellsPerTheme());
                                System.out.println(evaluation.table());
                                metrics.putAll(evaluation.metrics());
                            }
                            metrics.put("pool_texts", (double) pool.texts());
                            return metrics;
                        })
                        .withFile(Vocabulary.FILE_NAME, vocabularyFile)
                        .withInput(Components.PROMPT_ENCODER, encoder.artifact());
            }
        }
    }

    /** The mean token cross-entropy of the batch's targets given their prompt states. */
    private static NDArray loss(LlmDecoderNet net, ParameterStore parameterStore, TrainingPool.Batch batch,
            Vocabulary vocabulary, NDManager arrays) {
        Shape stateShape = new Shape(batch.batchSize(), batch.stateLength());
        NDArray states = arrays.create(batch.states(), stateShape.add(batch.dimension()));
        NDArray mask = arrays.create(batch.mask(), stateShape);
        NDArray logits = net.forward(parameterStore, batch.targets().inputArray(arrays), states, mask, true);
        return LlmDecoderNet.crossEntropy(logits, batch.targets().labelArray(arrays), vocabulary.padIndex());
    }
}
