package dev.thinkdiff.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * How the training job uses the machine. Every key, with its default:
 * <pre>
 * thinkdiff.job.device            auto | cpu | gpu: what training must run on            (auto: DJL's default device)
 * thinkdiff.job.precision         float32 (bfloat16 is refused: it aborts this engine)    (float32)
 * thinkdiff.job.threads.intra-op  PyTorch threads per op (ai.djl.pytorch.num_threads)     (one per core)
 * thinkdiff.job.threads.inter-op  PyTorch threads across ops (…num_interop_threads)       (one per core)
 * </pre>
 */
@ConfigMapping(prefix = "thinkdiff.job")
public interface JobConfig {

    enum Device { AUTO, CPU, GPU }

    enum Precision { FLOAT32, BFLOAT16 }

    /**
     * The device the trainings must get. DJL puts every array on its default device: the first GPU when the loaded
     * libtorch is a CUDA build and a GPU is visible, else the CPU; this setting checks that it is the one wanted.
     */
    @WithDefault("auto")
    Device device();

    @WithDefault("float32")
    Precision precision();

    Threads threads();

    /** PyTorch's thread pools, fixed when the engine loads; on a CPU shared with other jobs, 1 and 1 are fastest. */
    interface Threads {

        OptionalInt intraOp();

        OptionalInt interOp();
    }
}
