package dev.thinkdiff.train;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A durable copy of a run's checkpoints away from the machine that trains (the model store), so that a run whose
 * machine is lost (a preempted cloud node) resumes elsewhere from its newest copied checkpoint.
 */
public interface CheckpointMirror {

    /** Copies the complete local checkpoint directory of {@code step}; the copy is usable only once whole. */
    void upload(int step, Path checkpoint);

    /** The newest step whose copy is whole, if any. */
    OptionalInt latestStep();

    /** Writes the files of step {@code step}'s copy into the (empty) directory {@code target}, verified. */
    void download(int step, Path target);
}
