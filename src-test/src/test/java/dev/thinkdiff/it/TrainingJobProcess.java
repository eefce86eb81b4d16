package dev.thinkdiff.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training job as it runs in its container: the packaged Quarkus application ({@code quarkus-run.jar}) in a JVM of
 * its own, which a test can kill like a preempted node. Output goes to files (a full pipe would stall the job).
 */
final class TrainingJobProcess {

    static final Path JAR = Path.of("..", "training-job", "target", "quarkus-app", "quarkus-run.jar");
    private static final long TIMEOUT_SECONDS = 300;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private TrainingJobProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code java [jvmOptions] -jar quarkus-run.jar [args]} offline, with the job's setting for one PyTorch
     * thread of each kind (what a CPU shared with other builds needs).
     *
     * @param logs where its stdout and stderr go ({@code name.out}, {@code name.err})
     */
    static TrainingJobProcess start(Path logs, String name, List<String> jvmOptions, List<String> args)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath().normalize() + " is missing: package the training job first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"),
                "-Dthinkdiff.job.threads.intra-op=1", "-Dthinkdiff.job.threads.inter-op=1"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return new TrainingJobProcess(builder.start(), out, err);
    }

    /** Waits for the job to exit; returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("training job still running after " + TIMEOUT_SECONDS + " s; " + log());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last checkpoint — a node that vanished. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** Both outputs, for failure messages. */
    String log() {
        try {
            return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
