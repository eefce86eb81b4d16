package dev.thinkdiff.job;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Readies the PyTorch engine for training as {@link JobConfig} asks, before anything loads it. */
final class TrainingEngine {

    static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private TrainingEngine() {
    }

    /**
     * Refuses what this engine cannot do, sets the thread pools (an explicit -D wins), loads the engine and checks
     * its device.
     *
     * @return the device training runs on
     */
    static Device prepare(JobConfig config) {
        if (config.precision() == JobConfig.Precision.BFLOAT16) {
            throw new IllegalArgumentException("thinkdiff.job.precision=bfloat16 is refused: BF16 aborts the JVM in "
                    + "this engine (DJL 0.36, libtorch 2.7.1: any toType(BFLOAT16)); train in float32");
        }
        config.threads().intraOp().ifPresent(n -> setIfAbsent(INTRA_OP_THREADS, n));
        config.threads().interOp().ifPresent(n -> setIfAbsent(INTER_OP_THREADS, n));
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

    private static void setIfAbsent(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, got " + value);
        }
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
