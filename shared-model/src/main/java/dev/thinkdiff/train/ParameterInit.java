package dev.thinkdiff.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.SplittableRandom;

/**
 * Seeded He-normal initialisation of every weight matrix / kernel (parameters with ≥ 2 dims), drawn in Java from
 * {@code mix(seed, parameter index)}: independent of the engine's global random state, so two runs with one seed start
 * from identical bits. Vectors (biases, norm gains) keep the block's constant initialisers. He-normal suits ReLU
 * convnets; {@link #normal} suits transformers.
 */
public final class ParameterInit {

    private ParameterInit() {
    }

    /** Transformer-style N(0, std²) for every matrix (std 0.02 as in GPT-2 / nanoGPT); vectors keep their constants. */
    public static void normal(Block block, long seed, double std) {
        int index = 0;
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            index++;
            if (array.getShape().dimension() >= 2) {
                overwrite(entry.getValue(), gaussian(Math.toIntExact(array.size()), std, Seeds.mix(seed, index)));
            }
        }
    }

    private static float[] gaussian(int count, double std, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }

    public static void heNormal(Block block, long seed) {
        int index = 0;
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            long[] shape = array.getShape().getShape();
            index++;
            if (shape.length < 2) {
                continue;
            }
            long fanIn = array.size() / shape[0];
            double std = Math.sqrt(2.0 / fanIn);
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, index));
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
            overwrite(entry.getValue(), values);
        }
    }

    /**
     * PyTorch's default for {@code nn.Linear}: weight and bias uniform in ±1/√fan_in, fan_in taken from the weight that
     * precedes the bias (DJL lists a layer's weight before its bias). Vectors that follow no matrix keep their constants.
     */
    public static void linearDefault(Block block, long seed) {
        int index = 0;
        long fanIn = 0;
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            long[] shape = array.getShape().getShape();
            index++;
            if (shape.length >= 2) {
                fanIn = array.size() / shape[0];
            } else if (!entry.getKey().endsWith("bias") || fanIn == 0) {
                continue;
            }
            double bound = 1 / Math.sqrt(fanIn);
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, index));
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            overwrite(entry.getValue(), values);
        }
    }

    /**
     * Replaces an initialised parameter's values, keeping its array (and so the block's reference to it). The new
     * tensor is swapped in rather than written with {@code NDArray.set}, which DJL's PyTorch engine runs under
     * libtorch's deprecated {@code AutoNonVariableTypeMode} and which makes libtorch print a deprecation warning. The
     * swapped-in tensor is a copy: an array created from Java values may only borrow the Java buffer's memory.
     */
    public static void overwrite(Parameter parameter, float[] values) {
        NDArray array = parameter.getArray();
        try (NDArray borrowed = array.getManager().create(values, array.getShape())) {
            array.intern(borrowed.duplicate());
        }
        if (parameter.requiresGradient()) {
            array.setRequiresGradient(true);
        }
    }
}
