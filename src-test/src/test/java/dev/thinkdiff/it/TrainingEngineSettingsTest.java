package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged job refuses, with a one-line reason and before training, what this machine or engine cannot do. */
class TrainingEngineSettingsTest {

    @TempDir
    Path dir;

    @Test
    void bfloat16IsRefusedInsteadOfAbortingTheJvm() throws Exception {
        TrainingJobProcess job = train("bf16", "-Dthinkdiff.job.precision=bfloat16");
        assertEquals(2, job.waitFor(), job.log());
        assertTrue(job.stderr().contains("error: thinkdiff.job.precision=bfloat16 is refused: BF16 aborts the JVM"),
                job.log());
        assertTrue(Files.notExists(dir.resolve("bf16/checkpoints")), "it trained");
    }

    @Test
    void aGpuIsRequiredOnlyWhenAskedForAndThisMachineHasNone() throws Exception {
        TrainingJobProcess job = train("gpu", "-Dthinkdiff.job.device=gpu");
        assertEquals(2, job.waitFor(), job.log());
        assertTrue(job.stderr().contains("thinkdiff.job.device=gpu, but DJL found no GPU"), job.log());
        assertTrue(job.stderr().contains("PYTORCH_FLAVOR=cu128"), job.log());
    }

    private TrainingJobProcess train(String name, String setting) throws Exception {
        return TrainingJobProcess.start(dir.resolve("logs"), name,
                List.of(setting, "-Dthinkdiff.store.local.root=" + dir.resolve("store")),
                List.of("train", "judge", "--run", dir.resolve(name).toString(), "--set", "steps=2"));
    }
}
