package dev.thinkdiff.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The PyTorch engine as {@link JobConfig} asks for it: thread pools for every command, device checks for training. */
@ApplicationScoped
public class TrainingEngine {

    static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    @Inject
    JobConfig config;

    /** The pools are fixed when the engine loads, so they are set before any command runs; an explicit -D wins. */
    void setThreads(@Observes StartupEvent started) {
        config.threads().intraOp().ifPresent(n -> setIfAbsent(INTRA_OP_THREADS, n));
        config.threads().interOp().ifPresent(n -> setIfAbsent(INTER_OP_THREADS, n));
    }

    /**
     * Refuses what this engine cannot do, loads it and checks its device.
     *
     * @return the device training runs on
     */
    Device prepareTraining() {
        if (config.precision() == JobConfig.Precision.BFLOAT16) {
            throw new IllegalArgumentException("thinkdiff.job.precision=bfloat16 is refused: BF16 aborts the JVM in "
                    + "this engine (DJL 0.36, libtorch 2.7.1: any toType(BFLOAT16)); train in float32");
        }
        Device device = Engine.getEngine("PyTorch").defaultDevice();
        if (config.device() == JobConfig.Device.GPU && !device.isGpu()) {
            throw new IllegalArgumentException("thinkdiff.job.device=gpu, but DJL found no GPU: the image needs the "
                    + "CUDA libtorch (build it with PYTORCH_FLAVOR=cu128, see training-job/Containerfile) and the "
                    + "node an NVIDIA driver");
        }
        if (config.device() == JobConfig.Device.CPU && device.isGpu()) {
            throw new IllegalArgumentException("thinkdiff.job.device=cpu, but DJL's default device is " + device
                    + ": hide the GPUs with CUDA_VISIBLE_DEVICES= (empty) to train on the CPU");
        }
        return device;
    }

    private static void setIfAbsent(String property, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, got " + threads);
        }
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(threads));
        }
    }
}
