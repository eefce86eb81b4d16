package dev.thinkdiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.train.ParameterInit;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransformerTest {

    @Test
    void rmsNormDividesByTheRootMeanSquareAndScales() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(4, 1e-6f);
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            norm.setWeight(new float[] {1, 2, 0.5f, -1});
            float[] x = {1, -2, 3, 4};
            double rms = Math.sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
            float[] out = norm.forward(new ParameterStore(manager, false), manager.create(x, new Shape(1, 4)), false)
                    .toFloatArray();
            float[] expected = {(float) (1 / rms), (float) (-2 * 2 / rms), (float) (3 * 0.5 / rms), (float) (-4 / rms)};
            assertArrayEquals(expected, out, 1e-5f);
        }
    }

    @Test
    void causalMaskLetsEachPositionSeeOnlyItselfAndThePast() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] mask = Transformer.causalMask(manager, 3).toFloatArray();
            float b = Transformer.BLOCKED;
            assertArrayEquals(new float[] {0, b, b, 0, 0, b, 0, 0, 0}, mask);
        }
    }

    @Test
    void aCausalLayersOutputAtPositionTIgnoresLaterTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Transformer.Layer layer = new Transformer.Layer(16, 4, 32, 0);
            layer.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16));
            ParameterInit.normal(layer, 1, 0.2);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(2, 6, 16));
            NDArray changed = x.duplicate();
            changed.set(new ai.djl.ndarray.index.NDIndex(":, 4:, :"), manager.randomNormal(new Shape(2, 2, 16)));
            NDArray causal = Transformer.causalMask(manager, 6);
            NDArray before = layer.forward(store, x, causal, null, null, false);
            NDArray after = layer.forward(store, changed, causal, null, null, false);
            assertArrayEquals(before.get(":, 0:4, :").toFloatArray(), after.get(":, 0:4, :").toFloatArray(), 1e-6f);
            assertFalse(Arrays.equals(before.get(":, 4:, :").toFloatArray(), after.get(":, 4:, :").toFloatArray()));
        }
    }

    @Test
    void paddedKeysGetNoAttention() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Transformer.Attention attention = new Transformer.Attention(16, 24, 2);
            attention.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16));
            ParameterInit.normal(attention, 2, 0.2);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray queries = manager.randomNormal(new Shape(2, 3, 16));
            NDArray memory = manager.randomNormal(new Shape(2, 5, 24));
            NDArray keyMask = manager.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5));
            NDArray otherPadding = memory.duplicate();
            otherPadding.set(new ai.djl.ndarray.index.NDIndex("0, 3:, :"), manager.randomNormal(new Shape(2, 24)));
            NDArray bias = Transformer.keyPaddingMask(keyMask);
            NDArray before = attention.forward(store, queries, memory, bias, false);
            NDArray after = attention.forward(store, queries, otherPadding, bias, false);
            assertEquals(new Shape(2, 3, 16), before.getShape());
            assertArrayEquals(before.toFloatArray(), after.toFloatArray(), 1e-6f);
            // the same change without the mask does move the output
            assertFalse(Arrays.equals(attention.forward(store, queries, memory, null, false).toFloatArray(),
                    attention.forward(store, queries, otherPadding, null, false).toFloatArray()));
        }
    }
}
