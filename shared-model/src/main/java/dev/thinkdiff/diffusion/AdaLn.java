package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The adaptive-LayerNorm pieces DJL lacks (DiT, Peebles &amp; Xie 2023): a LayerNorm without affine parameters, whose
 * shift and scale come per sample from the conditioning vector instead, and the gated residual of adaLN-Zero.
 * Shapes: x [B, N, D]; shift, scale, gate [B, 1, D].
 */
final class AdaLn {

    private static final float EPSILON = 1e-6f;

    private AdaLn() {
    }

    /** The unit scale and zero shift [D] that make the engine's LayerNorm affine-free (its kernel needs both). */
    static NDList identity(NDManager manager, int width) {
        return new NDList(manager.ones(new Shape(width)), manager.zeros(new Shape(width)));
    }

    /** (x − mean) / std over the last axis, no learned affine: the engine's fused LayerNorm with {@link #identity}. */
    static NDArray normalize(NDArray x, NDList identity) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().tail()), identity.get(0), identity.get(1), EPSILON)
                .singletonOrThrow();
    }

    /** normalize(x) · (1 + scale) + shift, given 1 + scale ({@link #chunksPerStep} adds the 1). */
    static NDArray modulate(NDArray x, NDArray shift, NDArray onePlusScale, NDList identity) {
        return normalize(x, identity).mul(onePlusScale).add(shift);
    }

    /**
     * Splits modulation vectors [S·B, k·D] (S steps of B samples, steps outer) into, per step, k arrays [B, 1, D],
     * the chunks at {@code scales} as 1 + scale: one add, reshape, transpose and split for all steps, not an add per
     * step and chunk.
     */
    static List<NDList> chunksPerStep(NDArray modulation, int steps, int k, int... scales) {
        Shape shape = modulation.getShape();
        long batch = shape.get(0) / steps;
        long width = shape.get(1) / k;
        // -0 elsewhere: x + (-0) is x bit for bit, also for x = -0 (+0 would turn it into +0)
        float[] offsets = new float[k];
        Arrays.fill(offsets, -0f);
        for (int scale : scales) {
            offsets[scale] = 1f;
        }
        NDArray offset = modulation.getManager().create(offsets).reshape(1, 1, k, 1);
        NDList parts = modulation.reshape(steps, batch, k, width).add(offset).transpose(0, 2, 1, 3)
                .reshape((long) steps * k * batch, 1, width).split(steps * k);
        List<NDList> perStep = new ArrayList<>(steps);
        for (int step = 0; step < steps; step++) {
            perStep.add(parts.subNDList(step * k, step * k + k));
        }
        return perStep;
    }
}
