package dev.thinkdiff.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunArchiveTest {

    @TempDir
    Path dir;

    @Test
    void onlyCheckpointsWithTheirMarkerCountAndTheyComeBackVerified() throws Exception {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir.resolve("store"));
        RunArchive archive = new ModelStore(blobs).run("pocket", "judge", "r1");
        assertEquals(OptionalInt.empty(), archive.latestStep());
        archive.upload(10, checkpoint("ten"));
        // step 20's uploader died before its marker: its files are there, the checkpoint is not
        blobs.put("pocket/judge/runs/r1/checkpoints/step-20/parameters.params", new byte[] {1, 2});
        assertEquals(OptionalInt.of(10), archive.latestStep());

        Path restored = Files.createDirectories(dir.resolve("restored"));
        archive.download(10, restored);
        assertArrayEquals("ten".getBytes(), Files.readAllBytes(restored.resolve("parameters.params")));
        assertArrayEquals("{}".getBytes(), Files.readAllBytes(restored.resolve("state.json")));

        blobs.put("pocket/judge/runs/r1/checkpoints/step-10/parameters.params", "tampered".getBytes());
        assertThrows(ModelIntegrityException.class,
                () -> archive.download(10, Files.createDirectories(dir.resolve("again"))));
    }

    @Test
    void onlyTheNewestThreeCompleteCheckpointsAreKept() throws Exception {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir.resolve("store"));
        RunArchive archive = new ModelStore(blobs).run("pocket", "judge", "r2");
        String checkpoints = "pocket/judge/runs/r2/checkpoints/";
        archive.upload(10, checkpoint("ten"));
        blobs.put(checkpoints + "step-20/parameters.params", new byte[] {1, 2});
        archive.upload(30, checkpoint("thirty"));
        archive.upload(40, checkpoint("forty"));
        assertEquals(3 + 1 + 3 + 3, blobs.list(checkpoints).size()); // nothing pruned while three are complete

        archive.upload(50, checkpoint("fifty"));

        assertEquals(OptionalInt.of(50), archive.latestStep());
        assertEquals(List.of(30, 40, 50), blobs.list(checkpoints).stream()
                .map(key -> Integer.parseInt(key.replaceAll(".*/step-(\\d+)/.*", "$1"))).distinct().toList());
        assertEquals(List.of(), blobs.list(checkpoints + "step-10/"));
    }

    private Path checkpoint(String parameters) throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve("local-" + parameters));
        Files.writeString(checkpoint.resolve("parameters.params"), parameters);
        Files.writeString(checkpoint.resolve("state.json"), "{}");
        return checkpoint;
    }
}
