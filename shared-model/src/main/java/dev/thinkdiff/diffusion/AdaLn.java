package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/**
 * The adaptive-LayerNorm pieces DJL lacks (DiT, Peebles &amp; Xie 2023): a LayerNorm without affine parameters, whose
 * shift and scale come per sample from the conditioning vector instead, and the gated residual of adaLN-Zero.
 * Shapes: x [B, N, D]; shift, scale, gate [B, 1, D].
 */
final class AdaLn {

    private static final float EPSILON = 1e-6f;

    private AdaLn() {
    }

    /** (x − mean) / std over the last axis, no learned affine. */
    static NDArray normalize(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        return centred.div(centred.square().mean(new int[] {-1}, true).add(EPSILON).sqrt());
    }

    /** normalize(x) · (1 + scale) + shift. */
    static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return normalize(x).mul(scale.add(1f)).add(shift);
    }

    /** Splits a modulation vector [B, k·D] into k arrays [B, 1, D]. */
    static NDList chunks(NDArray modulation, int k) {
        long batch = modulation.getShape().get(0);
        NDList parts = modulation.split(k, 1);
        NDList shaped = new NDList(k);
        for (NDArray part : parts) {
            shaped.add(part.reshape(batch, 1, -1));
        }
        return shaped;
    }

    static NDArray silu(NDArray x) {
        return Activation.swish(x, 1f);
    }
}
