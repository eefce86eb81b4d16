package dev.thinkdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying or dividing by a constant inside a graph that is differentiated: use these, never DJL's
 * {@code mul(Number)} / {@code div(Number)} there.
 *
 * <p>Why: DJL's PyTorch engine turns the number into a 0-d tensor over a Java direct buffer ({@code from_blob}) and
 * closes it as soon as the op returns; autograd keeps that tensor for the backward pass ({@code mul} and {@code div}
 * save their other operand), but nothing keeps the buffer. A garbage collection between the forward and the backward
 * frees it, glibc writes its free-list pointer into it, and the backward scales the gradient by that garbage: a wrong
 * step, or NaN. It struck at random steps (the VLM fine-tune at step 217, VlmTest at ~140), when a GC fell inside a
 * step. Here the constant is made by PyTorch ({@code full}), so autograd's reference keeps its memory alive; the
 * arithmetic is the same (a 0-d float tensor), bit for bit.
 */
public final class Scalars {

    private Scalars() {
    }

    /** x · factor, safe to differentiate. */
    public static NDArray times(NDArray x, double factor) {
        return x.mul(constant(x, factor));
    }

    /** x / divisor, safe to differentiate. */
    public static NDArray over(NDArray x, double divisor) {
        return x.div(constant(x, divisor));
    }

    private static NDArray constant(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
