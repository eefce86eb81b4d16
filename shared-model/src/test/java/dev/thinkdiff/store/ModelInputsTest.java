package dev.thinkdiff.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs resolve to LATEST when training and to the manifest's pins when using a published model. */
class ModelInputsTest {

    private static final String FAMILY = "pocket";

    @TempDir
    Path dir;

    private ModelStore store;
    private ModelCache cache;

    @BeforeEach
    void setUp() {
        store = new ModelStore(new LocalDirectoryBlobStore(dir.resolve("store")));
        cache = new ModelCache(store, dir.resolve("cache"));
    }

    @Test
    void trainingResolvesLatestAndRecordsWhatItResolved() throws IOException {
        publish(Components.AUTOENCODER, "a1", Map.of());
        publish(Components.AUTOENCODER, "a2", Map.of());
        publish(Components.DIFFUSION, "d1", Map.of(Components.AUTOENCODER, "a1"));

        ModelInputs inputs = ModelInputs.latest(cache, FAMILY);
        LoadedModel diffusion = inputs.fetch(Components.DIFFUSION);
        assertEquals("a2", inputs.fetch(Components.AUTOENCODER).ref().version());
        // the latents the decoder was trained on, not the newest autoencoder's
        assertEquals("a1", inputs.fetchAsTrainedBy(diffusion, Components.AUTOENCODER).ref().version());

        Manifest manifest = inputs.record(Manifest.builder(new ModelRef(FAMILY, "aligner-x", "v1"))).build();
        assertEquals(Map.of(Components.DIFFUSION, "d1", Components.AUTOENCODER, "a1"), manifest.inputs());
    }

    @Test
    void aPublishedModelResolvesThePinnedVersionsNotLatest() throws IOException {
        publish(Components.VLM, "v1", Map.of());
        publish(Components.ALIGNER, "al1", Map.of(Components.VLM, "v1"));
        publish(Components.VLM, "v2", Map.of());

        ModelInputs inputs = ModelInputs.pinned(cache, cache.fetchLatest(FAMILY, Components.ALIGNER));
        assertEquals("v1", inputs.fetch(Components.VLM).ref().version());
        assertEquals(Map.of(Components.VLM, "v1"), inputs.versions());

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> inputs.fetch(Components.LLM_DECODER));
        assertTrue(missing.getMessage().contains("does not name the llm-decoder"), missing.getMessage());
    }

    private void publish(String component, String version, Map<String, String> inputs) throws IOException {
        Path file = Files.createDirectories(dir.resolve("runs").resolve(component + "-" + version))
                .resolve("weights.bin");
        Files.writeString(file, component + version, StandardCharsets.UTF_8);
        Manifest.Builder manifest = Manifest.builder(new ModelRef(FAMILY, component, version))
                .files(Map.of("weights.bin", file));
        inputs.forEach(manifest::input);
        store.publish(manifest.build(), Map.of("weights.bin", file));
    }
}
