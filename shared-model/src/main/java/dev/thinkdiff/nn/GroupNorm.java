package dev.thinkdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu &amp; He, 2018) over [B, C, H, W]: channels are split into groups, each group is normalised
 * over its channels and pixels per sample, then scaled and shifted per channel. Unlike BatchNorm it behaves the same
 * in training and inference and does not depend on the batch (DJL has no GroupNorm block).
 */
public final class GroupNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups, float epsilon) {
        super(VERSION);
        this.groups = groups;
        this.epsilon = epsilon;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    public GroupNorm(int groups) {
        this(groups, 1e-5f);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long channels = inputShapes[0].get(1);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long channels = shape.get(1);
        NDArray grouped = x.reshape(shape.get(0), groups, -1);
        NDArray centred = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normalised = centred.div(variance.add(epsilon).sqrt()).reshape(shape);
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray scale = parameterStore.getValue(gamma, x.getDevice(), training).reshape(perChannel);
        NDArray shift = parameterStore.getValue(beta, x.getDevice(), training).reshape(perChannel);
        return new NDList(normalised.mul(scale).add(shift));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
