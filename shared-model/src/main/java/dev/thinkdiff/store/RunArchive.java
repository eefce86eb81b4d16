package dev.thinkdiff.store;

import dev.thinkdiff.train.CheckpointMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One training run's files in the model store, beside the component's published versions:
 * <pre>
 * {family}/{component}/runs/{runId}/checkpoints/step-{N}/{file}      parameters, optimiser state, state.json
 * {family}/{component}/runs/{runId}/checkpoints/step-{N}/COMPLETE    written last: "{sha256}  {file}" per line
 * {family}/{component}/runs/{runId}/{file}                           metrics, loss curve, summary at the end
 * </pre>
 * A checkpoint without its {@code COMPLETE} marker (the uploader died half-way) is ignored, so a resumed run always
 * starts from a whole checkpoint, and it verifies every file against the marker's hash. Only the newest
 * {@value #CHECKPOINTS_KEPT} complete checkpoints are kept; older ones lose their marker first, then their files.
 */
public final class RunArchive implements CheckpointMirror {

    static final String COMPLETE = "COMPLETE";
    static final int CHECKPOINTS_KEPT = 3;
    private static final Pattern CHECKPOINT_KEY = Pattern.compile("step-(\\d+)/(.+)");

    private final BlobStore blobs;
    private final String prefix;

    RunArchive(BlobStore blobs, String prefix) {
        this.blobs = blobs;
        this.prefix = prefix;
    }

    @Override
    public void upload(int step, Path checkpoint) {
        StringBuilder complete = new StringBuilder();
        try (Stream<Path> entries = Files.list(checkpoint)) {
            for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                blobs.put(checkpointKey(step, name), file);
                complete.append(Sha256.of(file)).append("  ").append(name).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint " + checkpoint, e);
        }
        blobs.put(checkpointKey(step, COMPLETE), complete.toString().getBytes(StandardCharsets.UTF_8));
        pruneOldCheckpoints();
    }

    @Override
    public OptionalInt latestStep() {
        return completeSteps(checkpointKeys()).stream().mapToInt(Integer::intValue).max();
    }

    @Override
    public void download(int step, Path target) {
        String complete = blobs.getBytes(checkpointKey(step, COMPLETE))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .orElseThrow(() -> new BlobNotFoundException(checkpointKey(step, COMPLETE)));
        Map<String, String> hashes = new LinkedHashMap<>();
        complete.lines().map(line -> line.split(" {2}", 2)).forEach(pair -> hashes.put(pair[1], pair[0]));
        hashes.forEach((name, expected) -> {
            Path file = target.resolve(ModelRef.requireSegment("checkpoint file", name));
            blobs.download(checkpointKey(step, name), file);
            String actual = Sha256.of(file);
            if (!actual.equals(expected)) {
                throw new ModelIntegrityException("checkpoint file " + checkpointKey(step, name) + " in " + blobs
                        + " has SHA-256 " + actual + ", its COMPLETE marker says " + expected);
            }
        });
    }

    /** Stores a run-level file (metrics, loss curve, summary) under its own name. */
    public void put(Path file) {
        blobs.put(prefix + ModelRef.requireSegment("run file", file.getFileName().toString()), file);
    }

    /** The bytes of a run-level file, if stored. */
    public Optional<byte[]> get(String name) {
        return blobs.getBytes(prefix + ModelRef.requireSegment("run file", name));
    }

    /** Deletes every checkpoint (complete or not) older than the newest kept complete ones, marker first. */
    private void pruneOldCheckpoints() {
        Map<Integer, List<String>> keys = checkpointKeys();
        List<Integer> complete = completeSteps(keys);
        if (complete.size() <= CHECKPOINTS_KEPT) {
            return;
        }
        int oldestKept = complete.get(complete.size() - CHECKPOINTS_KEPT);
        keys.forEach((step, names) -> {
            if (step < oldestKept) {
                blobs.delete(checkpointKey(step, COMPLETE));
                names.stream().filter(name -> !name.equals(COMPLETE))
                        .forEach(name -> blobs.delete(checkpointKey(step, name)));
            }
        });
    }

    /** The stored checkpoint files by step, complete or not. */
    private Map<Integer, List<String>> checkpointKeys() {
        String checkpoints = prefix + "checkpoints/";
        Map<Integer, List<String>> byStep = new TreeMap<>();
        for (String key : blobs.list(checkpoints)) {
            Matcher matcher = CHECKPOINT_KEY.matcher(key.substring(checkpoints.length()));
            if (matcher.matches()) {
                byStep.computeIfAbsent(Integer.parseInt(matcher.group(1)), step -> new ArrayList<>())
                        .add(matcher.group(2));
            }
        }
        return byStep;
    }

    /** The steps whose marker is stored, ascending. */
    private static List<Integer> completeSteps(Map<Integer, List<String>> keys) {
        return keys.entrySet().stream().filter(entry -> entry.getValue().contains(COMPLETE))
                .map(Map.Entry::getKey).toList();
    }

    private String checkpointKey(int step, String name) {
        return prefix + "checkpoints/step-" + step + "/" + name;
    }

    @Override
    public String toString() {
        return blobs + " " + prefix;
    }
}
