package dev.thinkdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.train.ParameterInit;

/**
 * Root-mean-square normalisation (Zhang &amp; Sennrich, 2019) over the last axis, as in T5 and ThinkDiff's aligner:
 * {@code x / sqrt(mean(x²) + eps) * weight}. No centring, no bias. The weight starts at ones, or at given values
 * ({@link #setWeight}) — the aligner copies the prompt encoder's final-norm scale into it.
 */
public final class RmsNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dimension;
    private final float epsilon;
    private final Parameter weight;

    public RmsNorm(int dimension, float epsilon) {
        super(VERSION);
        this.dimension = dimension;
        this.epsilon = epsilon;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dimension))
                .build());
    }

    public RmsNorm(int dimension) {
        this(dimension, 1e-6f);
    }

    /** Overwrites the (initialised) weight, e.g. with the prompt encoder's final-norm scale. */
    public void setWeight(float[] values) {
        if (values.length != dimension) {
            throw new IllegalArgumentException(values.length + " weights for an RmsNorm over " + dimension);
        }
        ParameterInit.overwrite(weight, values);
    }

    public NDArray forward(ParameterStore parameterStore, NDArray x, boolean training) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        NDArray scale = parameterStore.getValue(weight, x.getDevice(), training);
        return x.div(meanSquare.add(epsilon).sqrt()).mul(scale);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
