package dev.thinkdiff.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
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
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The loop a training shares: resume from the run's newest checkpoint, prepare step k+1's batch on a helper thread
 * while step k trains, checkpoint every N steps, on failure and when the JVM shuts down, and end with a checkpoint.
 * Step k's batch must be a pure function of k, so a resumed run ends bit-identical to an unbroken one.
 */
public final class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /** Step k's batch: a pure function of k (and the run's seed). */
    @FunctionalInterface
    public interface Batches<B> {
        B batch(int step);
    }

    /** The scalar loss of one batch, built in {@code stepManager} inside a gradient collector. */
    @FunctionalInterface
    public interface Loss<B> {
        NDArray of(B batch, NDManager stepManager);
    }

    /**
     * How a run ended.
     *
     * @param checkpoint the final checkpoint's directory (its {@link TrainingRun#PARAMETERS_FILE} is the model)
     * @param losses every step's loss, over all sessions
     * @param trainSeconds training wall time over all sessions
     * @param stepSeconds mean wall time of a step in this session (NaN if it trained none)
     * @param stopped the JVM is shutting down: the caller must return at once (after {@link TrainingRun#stopped()})
     */
    public record Outcome(Path checkpoint, int stepsDone, List<Double> losses, double trainSeconds,
                          double stepSeconds, boolean stopped) {

        /** Copies the last checkpoint's parameters to {@code fileName} in the run directory; returns that path. */
        public Path keepParameters(TrainingRun run, String fileName) throws IOException {
            Path parameters = run.dir().resolve(fileName);
            Files.copy(checkpoint.resolve(TrainingRun.PARAMETERS_FILE), parameters,
                    StandardCopyOption.REPLACE_EXISTING);
            return parameters;
        }

        /**
         * What every completed run records: {@code train_loss} ({@link #trainLoss}), {@code train_seconds},
         * {@code parameter_count} of {@code net}.
         */
        public Map<String, Double> trainingMetrics(Block net) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("train_loss", trainLoss(losses));
            metrics.put("train_seconds", trainSeconds);
            metrics.put("parameter_count", (double) parameterCount(net));
            return metrics;
        }
    }

    /** What a completed run measures of its kept parameter file besides the common training metrics. */
    @FunctionalInterface
    public interface Evaluation {
        Map<String, Double> measure(Path parameters) throws IOException;
    }

    /**
     * Steps the final {@code train_loss} averages over, in every training (50: the window the judge, decoder, VLM and
     * autoencoder used; the aligners, CLIP encoder and diffusion decoder averaged 100 before).
     */
    public static final int TRAIN_LOSS_WINDOW = 50;

    private TrainingLoop() {
    }

    /** {@code train_loss}: the mean of the last {@value #TRAIN_LOSS_WINDOW} losses. */
    public static double trainLoss(List<Double> losses) {
        return losses.subList(Math.max(0, losses.size() - TRAIN_LOSS_WINDOW), losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public static long parameterCount(Block net) {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /** The step a run stops at: {@code stopAfterStep}, or with -1 the config's last. */
    public static int lastStep(ModelConfig config, int stopAfterStep) {
        return stopAfterStep < 0 ? config.steps() : Math.min(stopAfterStep, config.steps());
    }

    /**
     * Trains {@code net} with {@code optimizer} up to {@code lastStep} of the config's steps, checkpointing every
     * {@code config.checkpointInterval()} steps. A non-finite loss never reaches the optimiser: the run fails before
     * that update, with a checkpoint of the last finite step.
     *
     * @param resume continue from the run's newest checkpoint; without it, existing checkpoints are an error
     */
    public static <B> Outcome run(String label, TrainingRun run, Block net, NDManager manager, AdamW optimizer,
            ModelConfig config, int lastStep, boolean resume, Batches<B> batches, Loss<B> loss) throws IOException {
        long seed = config.seed();
        int checkpointInterval = config.checkpointInterval();
        long started = System.nanoTime();
        List<Double> losses = new ArrayList<>();
        double earlierSeconds = 0;
        Optional<Path> checkpoint = run.latestCheckpoint();
        if (checkpoint.isPresent() && !resume) {
            throw new IllegalStateException(run.dir() + " already holds checkpoints: resume, or use a new run "
                    + "directory");
        }
        if (checkpoint.isPresent()) {
            TrainingRun.State state = run.restore(checkpoint.get(), net, manager, optimizer);
            losses.addAll(state.losses());
            earlierSeconds = state.trainSeconds();
            LOG.infof("resumed %s at step %d", run.dir(), state.step());
        }
        double before = earlierSeconds;
        Supplier<TrainingRun.State> state = () -> new TrainingRun.State(optimizer.stepCount(), seed,
                losses, before + (System.nanoTime() - started) / 1e9);
        ExecutorService batchThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, label + "-batches");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ProgressBar progress = new ProgressBar(label, config.steps(), optimizer.stepCount());
            int first = optimizer.stepCount();
            long loopStarted = System.nanoTime();
            Future<B> next = batchThread.submit(() -> batches.batch(first));
            try {
                while (optimizer.stepCount() < lastStep && !run.stopRequested()) {
                    int step = optimizer.stepCount();
                    B batch = next.get();
                    if (step + 1 < lastStep) {
                        next = batchThread.submit(() -> batches.batch(step + 1));
                    }
                    losses.add(step(batch, loss, manager, optimizer));
                    progress.update(optimizer.stepCount(), losses.get(losses.size() - 1));
                    if (optimizer.stepCount() % checkpointInterval == 0) {
                        run.checkpoint(state.get(), net, optimizer);
                    }
                }
            } catch (InterruptedException | ExecutionException | RuntimeException e) {
                // Keep what was learnt, unless the failure hit in the middle of a parameter update.
                if (optimizer.stepCount() == losses.size()) {
                    run.checkpoint(state.get(), net, optimizer);
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException(label + " training failed at step " + optimizer.stepCount(), e);
            }
            progress.finish();
            int stepsHere = optimizer.stepCount() - first;
            double stepSeconds = stepsHere == 0 ? Double.NaN : (System.nanoTime() - loopStarted) / 1e9 / stepsHere;
            TrainingRun.State last = state.get();
            Path saved = run.checkpoint(last, net, optimizer);
            return new Outcome(saved, last.step(), last.losses(), last.trainSeconds(), stepSeconds,
                    run.stopRequested());
        } finally {
            batchThread.shutdownNow();
        }
    }

    /**
     * The end every training shares: a run stopped by a JVM shutdown keeps its checkpoint; a completed one keeps its
     * parameters as {@code parametersFile}, measures them ({@link Outcome#trainingMetrics}, then {@code evaluation})
     * and writes its metrics and its losses, titled {@code lossTitle}. A run stopped early on purpose
     * ({@code stopAfterStep}) is left at its checkpoint, unmeasured.
     */
    public static <C extends ModelConfig> TrainingResult<C> finish(Outcome outcome, TrainingRun run, Block net,
            C config, String parametersFile, String lossTitle, Evaluation evaluation) throws IOException {
        Path parameters = outcome.checkpoint().resolve(TrainingRun.PARAMETERS_FILE);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (outcome.stopped()) {
            run.stopped();
        } else if (outcome.stepsDone() == config.steps()) {
            parameters = outcome.keepParameters(run, parametersFile);
            metrics.putAll(outcome.trainingMetrics(net));
            metrics.putAll(evaluation.measure(parameters));
            run.writeMetrics(metrics);
            run.writeLosses(outcome.losses(), lossTitle);
        }
        return new TrainingResult<>(config, outcome.stepsDone(), outcome.losses(), metrics,
                Map.of(parametersFile, parameters), Map.of());
    }

    /** One optimiser step; every array it makes is freed when it returns. */
    private static <B> double step(B batch, Loss<B> loss, NDManager manager, AdamW optimizer) {
        double value;
        try (NDManager stepManager = manager.newSubManager();
                NDScope temporaries = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray lossArray = loss.of(batch, stepManager);
            collector.backward(lossArray);
            value = lossArray.getFloat();
            temporaries.suppressNotUsedWarning();
        }
        if (!Double.isFinite(value)) {
            // before the update: the parameters and the checkpoint written on failure stay finite
            throw new IllegalStateException("loss is " + value + " at step " + (optimizer.stepCount() + 1)
                    + ": the run diverged; resume from a checkpoint with a lower learning rate");
        }
        optimizer.step();
        return value;
    }
}
