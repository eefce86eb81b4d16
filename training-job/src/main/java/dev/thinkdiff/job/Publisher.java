package dev.thinkdiff.job;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes a finished run: the run directory holds {@code manifest.json} (the draft written when training ended) and
 * the files it lists; publishing uploads them and moves the component's LATEST pointer last.
 */
final class Publisher {

    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("'v'yyyyMMdd'-'HHmmss")
            .withZone(ZoneOffset.UTC);

    private Publisher() {
    }

    /** A fresh version name: sortable by time of training. */
    static String newVersion() {
        return VERSION.format(Instant.now());
    }

    /** Writes the draft manifest into the run directory, so that `publish` can repeat the upload later. */
    static void saveDraft(Path runDir, Manifest manifest) throws IOException {
        Files.writeString(runDir.resolve(Manifest.FILE_NAME), manifest.toJson());
    }

    static Manifest publishDraft(ModelStore store, Path runDir) throws IOException {
        Path draft = runDir.resolve(Manifest.FILE_NAME);
        if (!Files.exists(draft)) {
            throw new IllegalArgumentException(runDir + " holds no finished run (no " + Manifest.FILE_NAME + ")");
        }
        Manifest manifest = Manifest.read(Files.readAllBytes(draft));
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : manifest.files().keySet()) {
            files.put(name, runDir.resolve(name));
        }
        store.publish(manifest, files);
        return manifest;
    }
}
