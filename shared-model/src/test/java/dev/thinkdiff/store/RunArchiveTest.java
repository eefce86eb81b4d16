package dev.thinkdiff.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private Path checkpoint(String parameters) throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve("local-" + parameters));
        Files.writeString(checkpoint.resolve("parameters.params"), parameters);
        Files.writeString(checkpoint.resolve("state.json"), "{}");
        return checkpoint;
    }
}
