package dev.thinkdiff.vlm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Trains the pocket VLM on paired in-context episodes and captions of MODEL_TRAINING renders
 * ({@link VlmTrainingData}): cross-entropy on the answer tokens and the end token of both, plus λ × (1 − cosine)
 * between the answer-position final-norm states of each episode and its caption (mode consistency, docs/design.md §3,
 * finding 2), plus an auxiliary image-label loss on every image (the vision encoder learns what it
 * sees directly, as a pretrained one would already know). Then evaluates it on benchmark-range renders
 * ({@link VlmEvaluation}).
 *
 * <p>Deterministic: step k's batch is a function of (seed, k) and the parameters start from a seeded initialisation,
 * so a run stopped and resumed from a checkpoint ends bit-identical to an unbroken one.
 */
public final class VlmTraining {

    private static final Logger LOG = Logger.getLogger(VlmTraining.class);

    /** Final train loss = mean over this many last steps. */
    private static final int TRAIN_LOSS_WINDOW = 50;
    private static final double INIT_STD = 0.02;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    private static final long VISION_INIT_STREAM = 2;

    /**
     * @param parameters the trained parameter file ({@value Vlm#PARAMETERS_FILE} in the run directory)
     * @param vocabulary the vocabulary file ({@value Vocabulary#FILE_NAME} in the run directory)
     * @param promptEncoder the artifact id of the MiniLM model whose tokenizer the vocabulary comes from
     * @param stepsDone optimiser steps applied (less than {@code config.steps()} if stopped early)
     * @param metrics evaluation metrics (when the run completed and was evaluated) plus {@code train_loss},
     *     {@code train_seconds}, {@code parameter_count}, {@code parameter_bytes}
     */
    public record Result(VlmConfig config, Path parameters, Path vocabulary, String promptEncoder, int stepsDone,
                         double wallSeconds, double trainLoss, Map<String, Double> metrics,
                         VlmEvaluation.Result evaluation) {

        public boolean completed() {
            return stepsDone == config.steps();
        }

        /** A manifest builder for publishing: config, seed, steps, metrics, parameter and vocabulary files. */
        public Manifest.Builder manifest(ModelRef ref) {
            return Manifest.builder(ref)
                    .training(config.toMap(), config.seed(), stepsDone, metrics)
                    .file(Vlm.PARAMETERS_FILE, parameters)
                    .file(Vocabulary.FILE_NAME, vocabulary)
                    .input(Components.PROMPT_ENCODER, promptEncoder);
        }
    }

    private VlmTraining() {
    }

    /**
     * Trains (or resumes) a VLM in {@code runDir} on all cells, and runs the full evaluation when it completes.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static Result run(VlmConfig config, Path runDir, boolean resume, int stopAfterStep) throws IOException {
        return run(config, runDir, resume, stopAfterStep, cell -> true, VlmEvaluation.Settings.full());
    }

    /**
     * @param cells the expected cells training may use (tests narrow it)
     * @param evaluation what to evaluate on completion, or null for nothing
     */
    static Result run(VlmConfig config, Path runDir, boolean resume, int stopAfterStep, Predicate<Cell> cells,
            VlmEvaluation.Settings evaluation) throws IOException {
        DjlRuntime.configure();
        long started = System.nanoTime();
        int lastStep = stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
        ExecutorService dataThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vlm-data");
            thread.setDaemon(true);
            return thread;
        });
        try (MiniLmTokenizer miniLm = MiniLmTokenizer.load();
                NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            Optional<Path> checkpoint = run.latestCheckpoint();
            if (checkpoint.isPresent() && !resume) {
                throw new IllegalStateException(runDir + " already holds checkpoints: resume, or use a new run "
                        + "directory");
            }
            Vocabulary vocabulary = Vocabulary.ofWorld(miniLm);
            Path vocabularyFile = runDir.resolve(Vocabulary.FILE_NAME);
            vocabulary.write(vocabularyFile);
            VlmTokenizer tokenizer = new VlmTokenizer(miniLm, vocabulary, config.imageTokens());
            VlmTrainingData data = new VlmTrainingData(config, tokenizer, Seeds.mix(config.seed(), DATA_STREAM),
                    cells);

            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, Seeds.mix(config.seed(), INIT_STREAM), INIT_STD);
            ParameterInit.heNormal(net.vision(), Seeds.mix(config.seed(), VISION_INIT_STREAM));
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
                ProgressBar progress = new ProgressBar("vlm", config.steps(), optimizer.stepCount());
                // The data thread prepares step k+1 (render, tokenise, pack) while step k trains.
                Future<Prepared> next = dataThread.submit(() -> prepare(data, config, vocabulary,
                        optimizer.stepCount()));
                try {
                    while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                        int step = optimizer.stepCount();
                        Prepared batch = next.get();
                        if (step + 1 < lastStep) {
                            next = dataThread.submit(() -> prepare(data, config, vocabulary, step + 1));
                        }
                        double loss = trainStep(net, parameterStore, optimizer, manager, batch, config);
                        losses.add(loss);
                        progress.update(optimizer.stepCount(), loss);
                        if (optimizer.stepCount() % config.checkpointInterval() == 0) {
                            run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                        }
                    }
                } catch (InterruptedException | ExecutionException | RuntimeException e) {
                    // Keep what was learnt, unless the failure hit in the middle of a parameter update.
                    if (optimizer.stepCount() == losses.size()) {
                        run.checkpoint(state(config, optimizer, losses, earlierSeconds, started), net, optimizer);
                    }
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("VLM training failed at step " + optimizer.stepCount(), e);
                }
                progress.finish();
                TrainingRun.State finalState = state(config, optimizer, losses, earlierSeconds, started);
                run.checkpoint(finalState, net, optimizer);
                if (run.stopRequested()) {
                    run.stopped();
                }

                Path parameters = runDir.resolve(Vlm.PARAMETERS_FILE);
                Files.copy(run.latestCheckpoint().orElseThrow().resolve(TrainingRun.PARAMETERS_FILE), parameters,
                        StandardCopyOption.REPLACE_EXISTING);
                double trainLoss = tailMean(losses);
                Map<String, Double> metrics = new LinkedHashMap<>();
                VlmEvaluation.Result result = null;
                if (optimizer.stepCount() == config.steps() && evaluation != null) {
                    try (Vlm vlm = Vlm.load(config, parameters, vocabularyFile)) {
                        result = VlmEvaluation.run(vlm, evaluation);
                    }
                    metrics.putAll(result.metrics());
                }
                metrics.put("train_loss", trainLoss);
                metrics.put("train_seconds", finalState.trainSeconds());
                metrics.put("parameter_count", (double) net.parameterCount());
                metrics.put("parameter_bytes", (double) Files.size(parameters));
                run.writeMetrics(metrics);
                run.writeLossCurve(losses, "VLM: answer cross-entropy + λ · (1 − mode cosine)");
                return new Result(config, parameters, vocabularyFile, promptEncoderArtifact(), optimizer.stepCount(),
                        (System.nanoTime() - started) / 1e9, trainLoss, metrics, result);
            }
        } finally {
            dataThread.shutdownNow();
        }
    }

    /** A packed training batch: both halves' inputs and where their answer states are. */
    record Prepared(VlmInputs episodes, VlmInputs captions, Vlm.AnswerPositions episodeAnswers,
                    Vlm.AnswerPositions captionAnswers, int[] attributeLabels, int[] subjectLabels) {
    }

    static Prepared prepare(VlmTrainingData data, VlmConfig config, Vocabulary vocabulary, int step) {
        VlmTrainingData.Batch batch = data.batch(step);
        List<Cell> cells = batch.imageCells();
        int[] attributes = new int[cells.size()];
        int[] subjects = new int[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            attributes[i] = cell.theme().ordinal() * ItemList.SIZE + cell.attribute();
            subjects[i] = (cell.theme().subjects() == ItemList.OBJECT ? 0 : ItemList.SIZE) + cell.subject();
        }
        return new Prepared(VlmInputs.of(batch.episodes(), vocabulary.padIndex(), config.imageTokens()),
                VlmInputs.of(batch.captions(), vocabulary.padIndex(), config.imageTokens()),
                Vlm.AnswerPositions.of(batch.episodes()), Vlm.AnswerPositions.of(batch.captions()), attributes,
                subjects);
    }

    /** One optimiser step; every array it makes is freed when it returns. */
    private static double trainStep(VlmNet net, ParameterStore parameterStore, AdamW optimizer, NDManager manager,
            Prepared batch, VlmConfig config) {
        double loss;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList episodeInputs = batch.episodes().arrays(stepManager);
            NDList captionInputs = batch.captions().arrays(stepManager);
            // both halves' images in one vision pass, in the order of the image labels
            NDArray imageTokens = net.encodeImages(parameterStore, episodeInputs.get(3).concat(captionInputs.get(3), 0),
                    true);
            int episodeImages = batch.episodes().imageCount();
            NDArray episodeStates = batch.episodeAnswers().gather(net.hiddenStates(parameterStore, episodeInputs,
                    imageTokens.get(episodeImages > 0 ? "0:" + episodeImages : "0:0"), true));
            NDArray captionStates = batch.captionAnswers().gather(net.hiddenStates(parameterStore, captionInputs,
                    imageTokens.get(episodeImages + ":"), true));
            NDArray logits = net.logits(parameterStore, episodeStates.concat(captionStates, 0), true);
            NDArray labels = stepManager.create(batch.episodeAnswers().labels())
                    .concat(stepManager.create(batch.captionAnswers().labels()), 0);
            NDArray crossEntropy = VlmNet.crossEntropy(logits, labels);
            NDArray consistency = VlmNet.cosineDistance(episodeStates, captionStates);
            NDArray total = config.consistencyWeight() > 0
                    ? crossEntropy.add(consistency.mul((float) config.consistencyWeight())) : crossEntropy;
            if (config.imageLabelWeight() > 0) {
                NDArray imageLoss = VlmNet.imageLabelLoss(net.imageLabelLogits(parameterStore, imageTokens, true),
                        stepManager.create(batch.attributeLabels()), stepManager.create(batch.subjectLabels()));
                total = total.add(imageLoss.mul((float) config.imageLabelWeight()));
            }
            collector.backward(total);
            loss = total.getFloat();
            temporaries.suppressNotUsedWarning();
        }
        optimizer.step();
        return loss;
    }

    /**
     * The MiniLM artifact id whose tokenizer the vocabulary derives from. The id hashes the ONNX file, which is read
     * (not run) for it; a second's work once per training run.
     */
    private static String promptEncoderArtifact() {
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            return encoder.artifact();
        }
    }

    private static double tailMean(List<Double> values) {
        return values.subList(Math.max(0, values.size() - TRAIN_LOSS_WINDOW), values.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static TrainingRun.State state(VlmConfig config, AdamW optimizer, List<Double> losses,
            double earlierSeconds, long startedNanos) {
        double seconds = earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingRun.State(optimizer.stepCount(), config.seed(), losses, seconds);
    }
}
