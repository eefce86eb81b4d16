package dev.thinkdiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.thinkdiff.engine.DjlRuntime;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    /** DJL's mul(Number) / div(Number) lose their constant to a collection before the backward pass; these do not. */
    @Test
    void theGradientSurvivesAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, -2, 3, 0.5f}, new Shape(4));
            x.setRequiresGradient(true);
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Scalars.over(Scalars.times(x.mul(step.ones(new Shape(4))), 0.375), 2.5).sum();
                GarbageCollection.collect();
                collector.backward(y);
            }
            float[] expected = new float[4];
            Arrays.fill(expected, 0.375f / 2.5f);
            assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-7f);
        }
    }
}
