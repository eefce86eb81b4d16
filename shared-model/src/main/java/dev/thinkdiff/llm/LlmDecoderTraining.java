package dev.thinkdiff.llm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.ProgressBar;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Final train loss = mean over this many last steps. */
    private static final int TRAIN_LOSS_WINDOW = 50;
    private static final double INIT_STD = 0.02;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /**
     * @param parameters the trained parameter file ({@value LlmDecoder#PARAMETERS_FILE} in the run directory)
     * @param vocabulary the vocabulary file ({@value Vocabulary#FILE_NAME} in the run directory)
     * @param promptEncoder the artifact id of the prompt encoder whose states the decoder reads
     * @param stepsDone optimiser steps applied (less than {@code config.steps()} if stopped early)
     * @param metrics evaluation metrics plus {@code train_loss}, {@code train_seconds}, {@code parameter_count},
     *     {@code pool_texts} (evaluation metrics only when the run completed)
     */
    public record Result(LlmDecoderConfig config, Path parameters, Path vocabulary, String promptEncoder,
                         int stepsDone, double wallSeconds, double trainLoss, Map<String, Double> metrics,
                         LlmDecoderEvaluation.Result evaluation) {

        public boolean completed() {
            return stepsDone == config.steps();
        }

        /** A manifest builder for publishing: config, seed, steps, metrics, parameter and vocabulary files. */
        public Manifest.Builder manifest(ModelRef ref) {
            return Manifest.builder(ref)
                    .training(config.toMap(), config.seed(), stepsDone, metrics)
                    .file(LlmDecoder.PARAMETERS_FILE, parameters)
                    .file(Vocabulary.FILE_NAME, vocabulary)
                    .input(Components.PROMPT_ENCODER, promptEncoder);
        }
    }

    private LlmDecoderTraining() {
    }

    /**
     * Trains (or resumes) a decoder in {@code runDir} on the full training pool of {@code config}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static Result run(LlmDecoderConfig config, Path runDir, boolean resume, int stopAfterStep)
            throws IOException {
        return run(config, TrainingTexts.of(config), runDir, resume, stopAfterStep);
    }

    static Result run(LlmDecoderConfig config, TrainingTexts texts, Path runDir, boolean resume, int stopAfterStep)
            throws IOException {
        long started = System.nanoTime();
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        int lastStep = stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
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
            Optional<Path> checkpoint = run.latestCheckpoint();
            if (checkpoint.isPresent() && !resume) {
                throw new IllegalStateException(runDir + " already holds checkpoints: resume, or use a new run "
                        + "directory");
            }
            TrainingPool pool = TrainingPool.build(texts, vocabulary, tokenizer, encoder, config.maxTargetTokens(),
                    runDir.resolve(TrainingPool.CACHE_FILE));
            LOG.infof("pool: %d texts encoded, %d examples, vocabulary %d", pool.texts(), pool.examples(),
                    vocabulary.size());

            LlmDecoderNet net = LlmDecoderNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, Seeds.mix(config.seed(), INIT_STREAM), INIT_STD);
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                List<Double> losses = new ArrayList<>();
                double earlierSeconds = 0;
                if (checkpoint.isPresent()) {
                    TrainingRun.State state = run.restore(checkpoint.get(), net, manager, optimizer);
                    losses.addAll(state.losses());
                    earlierSeconds = state.trainSeconds();
                    LOG.infof("resumed %s at step %d", runDir, state.step());
                }
                ProgressBar progress = new ProgressBar("llm-decoder", config.steps(), optimizer.stepCount());
                try {
                    while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                        TrainingPool.Batch batch = pool.batch(config, dataSeed, optimizer.stepCount());
                        double loss = trainStep(net, parameterStore, optimizer, manager, batch, vocabulary);
                        losses.add(loss);
                        progress.update(optimizer.stepCount(), loss);
                        if (optimizer.stepCount() % config.checkpointInterval() == 0) {
                            run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                        }
                    }
                } catch (RuntimeException e) {
                    // Keep what was learnt, unless the failure hit in the middle of a parameter update.
                    if (optimizer.stepCount() == losses.size()) {
                        run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                    }
                    throw new IllegalStateException("LLM decoder training failed at step " + optimizer.stepCount(), e);
                }
                progress.finish();
                TrainingRun.State finalState = state(config, optimizer, losses, earlierSeconds, started);
                run.checkpoint(finalState, net, optimizer);
                if (run.stopRequested()) {
                    run.stopped();
                }

                Path parameters = runDir.resolve(LlmDecoder.PARAMETERS_FILE);
                Files.copy(run.latestCheckpoint().orElseThrow().resolve(TrainingRun.PARAMETERS_FILE), parameters,
                        StandardCopyOption.REPLACE_EXISTING);
                double trainLoss = losses.subList(Math.max(0, losses.size() - TRAIN_LOSS_WINDOW), losses.size())
                        .stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                Map<String, Double> metrics = new LinkedHashMap<>();
                LlmDecoderEvaluation.Result evaluation = null;
                if (optimizer.stepCount() == config.steps()) {
                    try (LlmDecoder decoder = LlmDecoder.load(config, parameters, vocabularyFile)) {
                        evaluation = LlmDecoderEvaluation.run(decoder, encoder, config.heldOutCellsPerTheme());
                    }
                    metrics.putAll(evaluation.metrics());
                }
                metrics.put("train_loss", trainLoss);
                metrics.put("train_seconds", finalState.trainSeconds());
                metrics.put("parameter_count", (double) parameterCount(net));
                metrics.put("pool_texts", (double) pool.texts());
                run.writeMetrics(metrics);
                run.writeLossCurve(losses, "LLM decoder: mean token cross-entropy");
                return new Result(config, parameters, vocabularyFile, encoder.artifact(), optimizer.stepCount(),
                        (System.nanoTime() - started) / 1e9, trainLoss, metrics, evaluation);
            }
        }
    }

    /** One optimiser step; every array it makes is freed when it returns. */
    private static double trainStep(LlmDecoderNet net, ParameterStore parameterStore, AdamW optimizer,
            NDManager manager, TrainingPool.Batch batch, Vocabulary vocabulary) {
        double loss;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            Shape stateShape = new Shape(batch.batchSize(), batch.stateLength());
            NDArray states = stepManager.create(batch.states(), stateShape.add(batch.dimension()));
            NDArray mask = stepManager.create(batch.mask(), stateShape);
            NDArray logits = net.forward(parameterStore, batch.targets().inputArray(stepManager), states, mask, true);
            NDArray lossArray = LlmDecoderNet.crossEntropy(logits, batch.targets().labelArray(stepManager),
                    vocabulary.padIndex());
            collector.backward(lossArray);
            loss = lossArray.getFloat();
            temporaries.suppressNotUsedWarning();
        }
        optimizer.step();
        return loss;
    }

    private static TrainingRun.State state(LlmDecoderConfig config, AdamW optimizer, List<Double> losses,
            double earlierSeconds, long startedNanos) {
        double seconds = earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingRun.State(optimizer.stepCount(), config.seed(), losses, seconds);
    }

    static long parameterCount(LlmDecoderNet net) {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
