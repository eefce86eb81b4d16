package dev.thinkdiff.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {

    /** SHA-256 of "abc", from FIPS 180-2. */
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final ModelRef REF = new ModelRef("cobsat", "judge", "v1");

    @TempDir
    Path dir;

    @Test
    void builderHashesFilesAndJsonRoundTrips() throws IOException {
        Path weights = Files.writeString(dir.resolve("weights.bin"), "abc");
        Manifest manifest = Manifest.builder(REF)
                .created(Instant.parse("2026-11-25T08:00:00Z"))
                .config(Map.of("layers", 4, "kernel", List.of(3, 3), "activation", "relu"))
                .seed(7).steps(1000).metric("loss", 0.25).metric("accuracy", 0.9)
                .input("encoder", "e3").file("weights.bin", weights)
                .build();

        assertEquals(Map.of("weights.bin", ABC_SHA256), manifest.files());
        assertEquals(manifest, Manifest.read(manifest.toJson().getBytes(StandardCharsets.UTF_8)));
        assertEquals(manifest, Manifest.read(new ByteArrayInputStream(
                manifest.toJson().getBytes(StandardCharsets.UTF_8))));
        assertEquals(REF, manifest.ref());
    }

    @Test
    void jsonHasAStableKeyOrderWhateverTheInsertionOrder() {
        Manifest forward = Manifest.builder(REF).created(Instant.EPOCH)
                .config("b", 1).config("a", Map.of("y", 1, "x", 2)).metric("z", 1).metric("m", 2).build();
        Manifest backward = Manifest.builder(REF).created(Instant.EPOCH)
                .metric("m", 2).metric("z", 1).config("a", Map.of("x", 2, "y", 1)).config("b", 1).build();

        String json = forward.toJson();
        assertEquals(json, backward.toJson());
        assertInOrder(json, "\"family\"", "\"component\"", "\"version\"", "\"created\"", "\"config\"", "\"a\"",
                "\"x\"", "\"y\"", "\"b\"", "\"seed\"", "\"steps\"", "\"metrics\"", "\"m\"", "\"z\"", "\"files\"",
                "\"inputs\"");
        assertTrue(json.contains("\n"), "pretty-printed");
    }

    @Test
    void unknownFieldsFromNewerWritersAreIgnored() {
        String json = Manifest.builder(REF).build().toJson().replaceFirst("\\{", "{ \"addedLater\": true,");

        assertEquals(REF, Manifest.read(json.getBytes(StandardCharsets.UTF_8)).ref());
    }

    @Test
    void invalidManifestsAreRejected() {
        String created = Instant.EPOCH.toString();
        assertThrows(IllegalArgumentException.class, () -> new Manifest("cobsat", "judge", "v1", created, null, 0, 0,
                null, Map.of("weights.bin", "not-a-hash"), null));
        assertThrows(IllegalArgumentException.class, () -> new Manifest("cobsat", "judge", "v1", created, null, 0, 0,
                null, Map.of(Manifest.FILE_NAME, ABC_SHA256), null));
        assertThrows(IllegalArgumentException.class, () -> new Manifest("cobsat", "judge", "v1", created, null, 0, 0,
                null, Map.of("../escape", ABC_SHA256), null));
        assertThrows(IllegalArgumentException.class, () -> new Manifest("cobsat", "judge", "v1", "yesterday", null, 0,
                0, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Manifest.read("{ not json".getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertInOrder(String text, String... parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertTrue(at >= 0, () -> part + " should follow position in:\n" + text);
            from = at + part.length();
        }
    }
}
