package dev.thinkdiff.store;

import dev.thinkdiff.train.CheckpointMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
 * starts from a whole checkpoint, and it verifies every file against the marker's hash.
 */
public final class RunArchive implements CheckpointMirror {

    static final String COMPLETE = "COMPLETE";
    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d+)/" + COMPLETE);

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
    }

    @Override
    public OptionalInt latestStep() {
        String checkpoints = prefix + "checkpoints/";
        return blobs.list(checkpoints).stream()
                .map(key -> CHECKPOINT.matcher(key.substring(checkpoints.length())))
                .filter(Matcher::matches)
                .mapToInt(matcher -> Integer.parseInt(matcher.group(1)))
                .max();
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

    private String checkpointKey(int step, String name) {
        return prefix + "checkpoints/step-" + step + "/" + name;
    }

    @Override
    public String toString() {
        return blobs + " " + prefix;
    }
}
