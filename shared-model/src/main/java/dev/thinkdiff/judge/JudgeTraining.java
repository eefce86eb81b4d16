package dev.thinkdiff.judge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.ProgressBar;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Trains the CoBSAT judge on {@link SeedRange#JUDGE_TRAINING} renders only (cells uniform over all 500), with AdamW
 * on the summed cross-entropy of both questions, then evaluates it on fresh benchmark-range renders.
 *
 * <p>Deterministic: step k's batch is a function of (config seed, k) alone and the parameters start from a seeded
 * initialisation, so a run stopped and resumed from a checkpoint ends bit-identical to an unbroken one.
 */
public final class JudgeTraining {

    private static final Logger LOG = Logger.getLogger(JudgeTraining.class);

    /** Final train loss = mean over this many last steps. */
    private static final int TRAIN_LOSS_WINDOW = 50;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /**
     * @param parameters the trained parameter file ({@value Judge#PARAMETERS_FILE} in the run directory)
     * @param stepsDone optimiser steps applied (less than {@code config.steps()} if stopped early)
     * @param metrics evaluation metrics plus {@code train_loss}, {@code train_seconds}, {@code parameter_count}
     *     (evaluation metrics only when the run completed)
     */
    public record Result(JudgeConfig config, Path parameters, int stepsDone, double wallSeconds, double trainLoss,
                         Map<String, Double> metrics, JudgeEvaluation.Result evaluation) {

        public boolean completed() {
            return stepsDone == config.steps();
        }

        /** A manifest builder for publishing: config, seed, steps, metrics and the parameter file. */
        public Manifest.Builder manifest(ModelRef ref) {
            return Manifest.builder(ref)
                    .training(config.toMap(), config.seed(), stepsDone, metrics)
                    .file(Judge.PARAMETERS_FILE, parameters);
        }
    }

    /** A training batch: images with themes, and the 0-based attribute and subject labels. */
    record LabelledBatch(JudgeImages images, int[] attributes, int[] subjects) {
    }

    private JudgeTraining() {
    }

    /**
     * Trains (or resumes) a judge in {@code runDir}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static Result run(JudgeConfig config, Path runDir, boolean resume, int stopAfterStep) throws IOException {
        long started = System.nanoTime();
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        int lastStep = stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
        ExecutorService renderThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "judge-render");
            thread.setDaemon(true);
            return thread;
        });
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            JudgeNet net = JudgeNet.create(config, manager);
            ParameterInit.heNormal(net, Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                List<Double> losses = new ArrayList<>();
                double earlierSeconds = 0;
                Optional<Path> checkpoint = run.latestCheckpoint();
                if (checkpoint.isPresent() && !resume) {
                    throw new IllegalStateException(runDir + " already holds checkpoints: resume, or use a new run "
                            + "directory");
                }
                if (checkpoint.isPresent()) {
                    TrainingRun.State state = run.restore(checkpoint.get(), net, manager, optimizer);
                    losses.addAll(state.losses());
                    earlierSeconds = state.trainSeconds();
                    LOG.infof("resumed %s at step %d", runDir, state.step());
                }

                // One renderer on its own thread prepares step k+1 while step k trains.
                WorldRenderer renderer = new WorldRenderer();
                ProgressBar progress = new ProgressBar("judge", config.steps(), optimizer.stepCount());
                Future<LabelledBatch> next = renderThread.submit(
                        () -> trainingBatch(renderer, config, dataSeed, optimizer.stepCount()));
                try {
                    while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                        int step = optimizer.stepCount();
                        LabelledBatch batch = next.get();
                        if (step + 1 < lastStep) {
                            next = renderThread.submit(
                                    () -> trainingBatch(renderer, config, dataSeed, step + 1));
                        }
                        double loss = trainStep(net, parameterStore, optimizer, manager, batch);
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
                    throw new IllegalStateException("judge training failed at step " + optimizer.stepCount(), e);
                }
                progress.finish();
                TrainingRun.State finalState = state(config, optimizer, losses, earlierSeconds, started);
                Path checkpointed = run.checkpoint(finalState, net, optimizer);
                double trainLoss = losses.subList(Math.max(0, losses.size() - TRAIN_LOSS_WINDOW), losses.size())
                        .stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                if (run.stopRequested()) {
                    run.stopped(); // the JVM is exiting: the checkpoint is what survives
                    return new Result(config, checkpointed.resolve(TrainingRun.PARAMETERS_FILE),
                            optimizer.stepCount(), (System.nanoTime() - started) / 1e9, trainLoss, Map.of(), null);
                }

                Path parameters = runDir.resolve(Judge.PARAMETERS_FILE);
                Files.copy(checkpointed.resolve(TrainingRun.PARAMETERS_FILE), parameters,
                        StandardCopyOption.REPLACE_EXISTING);
                Map<String, Double> metrics = new LinkedHashMap<>();
                JudgeEvaluation.Result evaluation = null;
                if (optimizer.stepCount() == config.steps()) {
                    try (Judge judge = Judge.load(config, parameters)) {
                        evaluation = JudgeEvaluation.run(judge, config.evalImages(), config.evalSeedOffset());
                    }
                    metrics.putAll(evaluation.metrics());
                }
                metrics.put("train_loss", trainLoss);
                metrics.put("train_seconds", finalState.trainSeconds());
                metrics.put("parameter_count", (double) parameterCount(net));
                run.writeMetrics(metrics);
                run.writeLossCurve(losses, "judge: summed cross-entropy of both questions");
                return new Result(config, parameters, optimizer.stepCount(), (System.nanoTime() - started) / 1e9,
                        trainLoss, metrics, evaluation);
            }
        } finally {
            renderThread.shutdownNow();
        }
    }

    /** One optimiser step; every array it makes is freed when it returns. */
    private static double trainStep(JudgeNet net, ParameterStore parameterStore, AdamW optimizer, NDManager manager,
            LabelledBatch batch) {
        double loss;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList inputs = batch.images().inputs(stepManager);
            NDArray logits = net.forward(parameterStore, inputs, true).singletonOrThrow();
            NDArray lossArray = JudgeNet.loss(logits, stepManager.create(batch.attributes()),
                    stepManager.create(batch.subjects()));
            collector.backward(lossArray);
            loss = lossArray.getFloat();
            temporaries.suppressNotUsedWarning();
        }
        optimizer.step();
        return loss;
    }

    /** The batch of step {@code step}: a pure function of (dataSeed, step). */
    static LabelledBatch trainingBatch(WorldRenderer renderer, JudgeConfig config, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<Theme> themes = config.trainingThemes();
        int batchSize = config.batchSize();
        JudgeImages images = new JudgeImages(batchSize);
        int[] attributes = new int[batchSize];
        int[] subjects = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            Theme theme = themes.get(random.nextInt(themes.size()));
            Cell cell = new Cell(theme, random.nextInt(ItemList.SIZE), random.nextInt(ItemList.SIZE));
            long seed = SeedRange.JUDGE_TRAINING.seed(random.nextLong(SeedRange.JUDGE_TRAINING.size()));
            images.set(i, renderer.renderPixels(cell, seed), theme);
            attributes[i] = cell.attribute();
            subjects[i] = cell.subject();
        }
        return new LabelledBatch(images, attributes, subjects);
    }

    private static TrainingRun.State state(JudgeConfig config, AdamW optimizer, List<Double> losses,
            double earlierSeconds, long startedNanos) {
        double seconds = earlierSeconds + (System.nanoTime() - startedNanos) / 1e9;
        return new TrainingRun.State(optimizer.stepCount(), config.seed(), losses, seconds);
    }

    static long parameterCount(JudgeNet net) {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
