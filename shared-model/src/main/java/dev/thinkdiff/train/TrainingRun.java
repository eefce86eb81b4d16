package dev.thinkdiff.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A training run's directory:
 * <pre>
 * runDir/checkpoints/step-{N}/parameters.params   Block.saveParameters
 *                            /optimizer.ndlist    AdamW state
 *                            /state.json          step (= data cursor), seed, loss history
 * runDir/metrics.json, losses.json, loss-title.txt written at the end (the training job plots the losses)
 * </pre>
 * A checkpoint is written into a temporary directory and renamed into place atomically, so a killed process never
 * leaves a half checkpoint; {@link #latestCheckpoint()} picks the newest complete one. A JVM shutdown (Ctrl-C, SIGTERM)
 * asks the loop to stop: the loop polls {@link #stopRequested()}, checkpoints, and calls {@link #stopped()}.
 *
 * <p>A run directory may be {@linkplain #mirror mirrored}: every checkpoint is then also copied to a
 * {@link CheckpointMirror} (the model store) before training goes on, and opening the directory first fetches the
 * mirror's newest checkpoint if it is newer than the local ones, so a run resumes on a machine that never saw it.
 */
public final class TrainingRun implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    public static final String PARAMETERS_FILE = "parameters.params";
    public static final String OPTIMIZER_FILE = "optimizer.ndlist";
    public static final String STATE_FILE = "state.json";
    public static final String METRICS_FILE = "metrics.json";
    /** Every step's loss, a JSON array: published with a model whose curve a report compares (Fig. 7). */
    public static final String LOSSES_FILE = "losses.json";
    /** One line saying what the losses measure, e.g. "judge: summed cross-entropy of both questions". */
    public static final String LOSS_TITLE_FILE = "loss-title.txt";

    private static final Pattern CHECKPOINT_NAME = Pattern.compile("step-(\\d+)");
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int CHECKPOINTS_KEPT = 3;
    private static final long SHUTDOWN_WAIT_SECONDS = 60;
    /** Mirrors by run directory: the trainings open their run by path, the training job decides where it is copied. */
    private static final Map<Path, CheckpointMirror> MIRRORS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /**
     * What a checkpoint records besides the arrays: steps done (the data cursor: step k's data is a function of
     * (seed, k)), the seed, the loss of every step so far and the training seconds spent so far (over all sessions).
     */
    public record State(int step, long seed, List<Double> losses, double trainSeconds) {

        public State {
            losses = List.copyOf(losses);
        }
    }

    private final Path dir;
    private final Path checkpoints;
    private final CheckpointMirror mirror;
    private final Thread shutdownHook;
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    private volatile boolean stopRequested;

    private TrainingRun(Path dir) throws IOException {
        this.dir = dir;
        this.checkpoints = dir.resolve("checkpoints");
        Files.createDirectories(checkpoints);
        deleteStaleTemporaries();
        mirror = MIRRORS.get(key(dir));
        if (mirror != null) {
            fetchNewerMirroredCheckpoint();
        }
        shutdownHook = new Thread(this::requestStopAndWait, "checkpoint-on-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Opens (creating if needed) the run directory and installs the shutdown hook until {@link #close()}. */
    public static TrainingRun open(Path dir) throws IOException {
        return new TrainingRun(dir);
    }

    /** A mirror's registration for a run directory; closing it ends the mirroring. */
    public interface Mirroring extends AutoCloseable {
        @Override
        void close();
    }

    /** Mirrors every run opened in {@code dir} to {@code mirror} until the returned registration is closed. */
    public static Mirroring mirror(Path dir, CheckpointMirror mirror) {
        Path key = key(dir);
        if (MIRRORS.putIfAbsent(key, mirror) != null) {
            throw new IllegalStateException(dir + " is already mirrored");
        }
        return () -> MIRRORS.remove(key, mirror);
    }

    public Path dir() {
        return dir;
    }

    /** The newest complete checkpoint directory, if any. */
    public Optional<Path> latestCheckpoint() throws IOException {
        return listCheckpoints().stream().reduce((first, second) -> second);
    }

    /** Saves parameters, optimiser and state as {@code checkpoints/step-{state.step}}, atomically, then mirrors it. */
    public Path checkpoint(State state, Block block, AdamW optimizer) throws IOException {
        Path target = checkpoints.resolve("step-" + state.step());
        if (Files.exists(target)) {
            return target;
        }
        Path temp = checkpoints.resolve(TEMP_PREFIX + "step-" + state.step());
        deleteRecursively(temp);
        Files.createDirectories(temp);
        saveParameters(block, temp.resolve(PARAMETERS_FILE));
        optimizer.save(temp.resolve(OPTIMIZER_FILE));
        JSON.writeValue(temp.resolve(STATE_FILE).toFile(), state);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        if (mirror != null) {
            mirror.upload(state.step(), target);
        }
        pruneOldCheckpoints();
        return target;
    }

    /** Loads a checkpoint into an initialised block and a freshly built optimiser; returns its state. */
    public State restore(Path checkpoint, Block block, NDManager manager, AdamW optimizer) throws IOException {
        loadParameters(block, manager, checkpoint.resolve(PARAMETERS_FILE));
        optimizer.load(checkpoint.resolve(OPTIMIZER_FILE));
        State state = JSON.readValue(checkpoint.resolve(STATE_FILE).toFile(), State.class);
        if (state.step() != optimizer.stepCount()) {
            throw new IOException(checkpoint + ": state says step " + state.step() + ", optimiser says "
                    + optimizer.stepCount());
        }
        return state;
    }

    public void writeMetrics(Map<String, Double> metrics) throws IOException {
        JSON.writeValue(dir.resolve(METRICS_FILE).toFile(), new TreeMap<>(metrics));
    }

    /** Writes every step's loss, {@value #LOSSES_FILE}, and what they measure, {@value #LOSS_TITLE_FILE}. */
    public void writeLosses(List<Double> losses, String title) throws IOException {
        JSON.writeValue(dir.resolve(LOSSES_FILE).toFile(), losses);
        Files.writeString(dir.resolve(LOSS_TITLE_FILE), title + "\n");
    }

    /** Reads a {@value #LOSSES_FILE}. */
    public static List<Double> readLosses(Path file) throws IOException {
        return List.of(JSON.readValue(file.toFile(), Double[].class));
    }

    /** True once the JVM is shutting down: the loop should checkpoint, call {@link #stopped()} and return. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Tells a waiting shutdown hook that the loop has checkpointed and stopped. */
    public void stopped() {
        stoppedLatch.countDown();
    }

    @Override
    public void close() {
        stoppedLatch.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running; it returns at once now that the latch is open
        }
    }

    public static void saveParameters(Block block, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
    }

    /** Loads what {@link #saveParameters} wrote into an initialised block; trainable parameters stay trainable. */
    public static void loadParameters(Block block, NDManager manager, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(file + " does not match the network: " + e.getMessage(), e);
        }
        // loaded arrays are fresh tensors: trainable ones must record gradients again
        for (Parameter parameter : block.getParameters().values()) {
            if (parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(true);
            }
        }
    }

    private void requestStopAndWait() {
        stopRequested = true;
        try {
            stoppedLatch.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetchNewerMirroredCheckpoint() throws IOException {
        OptionalInt remote = mirror.latestStep();
        long local = latestCheckpoint().map(TrainingRun::stepOf).orElse(-1L);
        if (remote.isEmpty() || remote.getAsInt() <= local) {
            return;
        }
        String name = "step-" + remote.getAsInt();
        Path temp = checkpoints.resolve(TEMP_PREFIX + name);
        Files.createDirectories(temp);
        mirror.download(remote.getAsInt(), temp);
        Files.move(temp, checkpoints.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("fetched checkpoint %s from %s", name, mirror);
    }

    private static Path key(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    private List<Path> listCheckpoints() throws IOException {
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(p -> CHECKPOINT_NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .sorted(Comparator.comparingLong(TrainingRun::stepOf))
                    .toList();
        }
    }

    private static long stepOf(Path checkpoint) {
        Matcher matcher = CHECKPOINT_NAME.matcher(checkpoint.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private void pruneOldCheckpoints() throws IOException {
        List<Path> all = listCheckpoints();
        for (Path old : all.subList(0, Math.max(0, all.size() - CHECKPOINTS_KEPT))) {
            deleteRecursively(old);
        }
    }

    private void deleteStaleTemporaries() throws IOException {
        try (Stream<Path> entries = Files.list(checkpoints)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                deleteRecursively(entry);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
