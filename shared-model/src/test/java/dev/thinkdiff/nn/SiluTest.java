package dev.thinkdiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.thinkdiff.engine.DjlRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SiluTest {

    private static final float[] X = {1, -2, 3, 0.5f, -0.25f, 7};

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    @Test
    void equalsDjlSwishWithBetaOneBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            assertArrayEquals(Activation.swish(x, 1f).toFloatArray(), Silu.of(x).toFloatArray(), 0f);
        }
    }

    /** DJL's swish loses its β constant to a collection before the backward pass (see {@link Scalars}); this not. */
    @Test
    void theGradientSurvivesAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X, new Shape(X.length));
            x.setRequiresGradient(true);
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Silu.of(x.mul(step.ones(new Shape(X.length)))).sum();
                GarbageCollection.collect();
                collector.backward(y);
            }
            float[] expected = new float[X.length];
            for (int i = 0; i < X.length; i++) {
                double s = 1 / (1 + Math.exp(-X[i]));
                expected[i] = (float) (s * (1 + X[i] * (1 - s))); // d/dx x·σ(x)
            }
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
