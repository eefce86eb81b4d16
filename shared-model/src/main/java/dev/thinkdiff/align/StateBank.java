package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.nn.Scalars;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The "snap" extension (a flag, off in the paper's recipe): a fixed bank of real prompt-encoder token states of
 * unrelated texts, onto which every aligned vector is softly projected, {@code out = Σ_j softmax_j(s · cos(a, b_j)) b_j}.
 * The aligner still learns only through the frozen LLM decoder; the projection keeps what it hands on made of states
 * the encoder really produces, so a decoder trained on encoder states (the diffusion decoder) can read it too.
 * Stored with the aligner as little-endian float32 [N, d].
 */
public final class StateBank {

    public static final String FILE_NAME = "encoder-states.bin";
    private StateBank() {
    }

    /**
     * aligned [..., d] → the same shape, each vector replaced by its soft projection onto {@code bank} [N, d] with
     * sharpness {@code scale} (at 30, cosine gaps of ~0.1 let the nearest states dominate); with {@code topK} &gt; 0
     * over its k nearest states only.
     */
    static NDArray project(NDArray aligned, NDArray bank, double scale, int topK) {
        NDArray unit = aligned.div(aligned.square().sum(new int[] {-1}, true).add(1e-6f).sqrt());
        NDArray bankUnit = bank.div(bank.square().sum(new int[] {-1}, true).add(1e-6f).sqrt());
        NDArray cosines = unit.matMul(bankUnit.transpose());
        NDArray logits = Scalars.times(cosines, (float) scale);
        if (topK > 0 && topK < bank.getShape().get(0)) {
            // which states take part is a choice, not a function to differentiate: the k-th cosine as a threshold
            NDArray fixed = cosines.stopGradient();
            NDArray kth = fixed.topK(topK, -1).get(0).min(new int[] {-1}, true);
            logits = logits.sub(fixed.lt(kth).toType(DataType.FLOAT32, false).mul(1e4f));
        }
        return logits.softmax(-1).matMul(bank);
    }

    static void write(float[][] states, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(states.length * states[0].length * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] state : states) {
            for (float value : state) {
                buffer.putFloat(value);
            }
        }
        Files.write(file, buffer.array());
    }

    static NDArray read(Path file, int dimension, NDManager manager) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % (dimension * Float.BYTES) != 0) {
            throw new IOException(file + " is not a whole number of " + dimension + "-wide float32 states");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return manager.create(values, new Shape(values.length / dimension, dimension));
    }
}
