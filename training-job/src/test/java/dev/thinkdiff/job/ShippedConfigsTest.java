package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest shipped under {@code models/} loads through its component's config codec, and reads back as the
 * same settings: every published key keeps its value and only keys the version predates are filled in (by the
 * config's legacy defaults), so freshness checks compare like for like.
 */
class ShippedConfigsTest {

    private static final Path MODELS = Path.of("..", "models");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyShippedManifestsConfigLoadsAndReadsBackUnchanged() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.walk(MODELS)) {
            manifests = files.filter(p -> p.getFileName().toString().equals(Manifest.FILE_NAME)).sorted().toList();
        }
        assertTrue(manifests.size() >= TrainableComponent.all().size(), manifests.toString());
        for (Path file : manifests) {
            Manifest manifest = Manifest.read(Files.readAllBytes(file));
            TrainableComponent trainable = trainableOf(manifest.component());
            Map<String, Object> published = manifest.config();
            Map<String, Object> asRun = trainable.asRun(published);
            assertEquals(trainable.codec().keys(), asRun.keySet(), file.toString());
            for (Map.Entry<String, Object> entry : published.entrySet()) {
                assertEquals(JSON.writeValueAsString(entry.getValue()),
                        JSON.writeValueAsString(asRun.get(entry.getKey())), file + ": " + entry.getKey());
            }
            assertFalse(trainable.defaultSettings().isEmpty());
        }
    }

    private static TrainableComponent trainableOf(String component) {
        return TrainableComponent.all().stream().filter(c -> c.name().equals(component)).findFirst()
                .orElseGet(() -> TrainableComponent.byName(Components.ALIGNER));
    }
}
