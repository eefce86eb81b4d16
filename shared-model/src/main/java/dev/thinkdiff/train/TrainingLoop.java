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
     * @param stopped the JVM is shutting down: the caller must return at once (after {@link TrainingRun#stopped()})
     */
    public record Outcome(Path checkpoint, int stepsDone, List<Double> losses, double trainSeconds, boolean stopped) {

        /** Mean loss of the last {@code window} steps. */
        public double recentLoss(int window) {
            return losses.subList(Math.max(0, losses.size() - window), losses.size()).stream()
                    .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Copies the last checkpoint's parameters to {@code fileName} in the run directory; returns that path. */
        public Path keepParameters(TrainingRun run, String fileName) throws IOException {
            Path parameters = run.dir().resolve(fileName);
            Files.copy(checkpoint.resolve(TrainingRun.PARAMETERS_FILE), parameters,
                    StandardCopyOption.REPLACE_EXISTING);
            return parameters;
        }

        /**
         * What every completed run records: {@code train_loss} (mean of the last
         * {@value TrainingLoop#TRAIN_LOSS_WINDOW} steps),
         * {@code train_seconds}, {@code parameter_count} of {@code net}.
         */
        public Map<String, Double> trainingMetrics(Block net) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("train_loss", recentLoss(TRAIN_LOSS_WINDOW));
            metrics.put("train_seconds", trainSeconds);
            metrics.put("parameter_count", (double) net.getParameters().values().stream()
                    .mapToLong(p -> p.getArray().size()).sum());
            return metrics;
        }
    }

    /** Steps the final {@code train_loss} averages over. */
    public static final int TRAIN_LOSS_WINDOW = 100;

    private TrainingLoop() {
    }

    /**
     * Trains {@code net} with {@code optimizer} up to {@code lastStep} of {@code totalSteps}.
     *
     * @param resume continue from the run's newest checkpoint; without it, existing checkpoints are an error
     */
    public static <B> Outcome run(String label, TrainingRun run, Block net, NDManager manager, AdamW optimizer,
            long seed, int totalSteps, int lastStep, int checkpointInterval, boolean resume, Batches<B> batches,
            Loss<B> loss) throws IOException {
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
            ProgressBar progress = new ProgressBar(label, totalSteps, optimizer.stepCount());
            int first = optimizer.stepCount();
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
            TrainingRun.State last = state.get();
            Path saved = run.checkpoint(last, net, optimizer);
            return new Outcome(saved, last.step(), last.losses(), last.trainSeconds(), run.stopRequested());
        } finally {
            batchThread.shutdownNow();
        }
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
