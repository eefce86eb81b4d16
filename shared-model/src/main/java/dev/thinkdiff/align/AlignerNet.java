package dev.thinkdiff.align;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.nn.RmsNorm;
import dev.thinkdiff.train.ParameterInit;

/**
 * ThinkDiff's aligner, exactly the authors' layout: Linear(d_vlm → d, bias) → GELU (erf) → Linear(d → d, bias) →
 * RMSNorm(d, eps 1e-6), applied to every feature vector independently. The Linears start at PyTorch's default
 * initialisation; the RMSNorm weight is a copy of the prompt encoder's final layer-norm weight (or ones, or the norm
 * is left out: the paper's Fig. 7 ablations).
 */
public final class AlignerNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Linear expand;
    private final Linear project;
    private final RmsNorm norm;
    private final int vlmWidth;

    private AlignerNet(AlignerConfig config) {
        super(VERSION);
        vlmWidth = config.vlmWidth();
        expand = addChildBlock("expand", Linear.builder().setUnits(config.promptDimension()).build());
        project = addChildBlock("project", Linear.builder().setUnits(config.promptDimension()).build());
        norm = config.norm() == AlignerConfig.Norm.NONE ? null
                : addChildBlock("norm", new RmsNorm(config.promptDimension(), 1e-6f));
    }

    /**
     * Builds and initialises an aligner in {@code manager}.
     *
     * @param encoderNormWeight the prompt encoder's final-norm weight, copied into the RMSNorm when the config asks
     */
    public static AlignerNet create(AlignerConfig config, float[] encoderNormWeight, NDManager manager, long seed) {
        AlignerNet net = new AlignerNet(config);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, config.vlmWidth()));
        ParameterInit.linearDefault(net, seed);
        if (config.norm() == AlignerConfig.Norm.ENCODER) {
            net.norm.setWeight(encoderNormWeight);
        }
        return net;
    }

    /** features [B, S, d_vlm] → aligned [B, S, d]. */
    public NDArray forward(ParameterStore parameterStore, NDArray features, boolean training) {
        NDArray hidden = Activation.gelu(expand.forward(parameterStore, new NDList(features), training)
                .singletonOrThrow());
        NDArray aligned = project.forward(parameterStore, new NDList(hidden), training).singletonOrThrow();
        return norm == null ? aligned : norm.forward(parameterStore, aligned, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        expand.initialize(manager, dataType, input);
        Shape hidden = expand.getOutputShapes(new Shape[] {input})[0];
        project.initialize(manager, dataType, hidden);
        if (norm != null) {
            norm.initialize(manager, dataType, hidden);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        return new Shape[] {input.slice(0, input.dimension() - 1).add(project.getOutputShapes(
                expand.getOutputShapes(inputShapes))[0].getShape()[input.dimension() - 1])};
    }

    int vlmWidth() {
        return vlmWidth;
    }
}
