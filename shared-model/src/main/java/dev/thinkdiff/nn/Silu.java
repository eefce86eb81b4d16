package dev.thinkdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * SiLU, x · σ(x): use this, never DJL's {@code Activation.swish(x, 1f)} / {@code swishBlock(1f)}, in a graph
 * that is differentiated. DJL's swish computes σ(x · β) with {@code mul(Number)}, whose constant a garbage
 * collection can free between the forward and the backward pass (see {@link Scalars}); with β = 1 the product is x
 * itself, so this is the same function bit for bit, without the constant.
 */
public final class Silu {

    private Silu() {
    }

    /** x · σ(x), elementwise. */
    public static NDArray of(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** The activation as a block, for sequential networks. */
    public static Block block() {
        return LambdaBlock.singleton(Silu::of, "silu");
    }
}
