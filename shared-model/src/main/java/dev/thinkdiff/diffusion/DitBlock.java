package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.nn.RmsNorm;
import dev.thinkdiff.nn.Transformer;
import java.util.List;

/**
 * One DiT block with cross-attention (as PixArt-α): adaLN-Zero self-attention over the latent tokens, cross-attention
 * to the prompt states, adaLN-Zero MLP. The conditioning vector c (timestep + pooled prompt) gives per-sample shift,
 * scale and gate of both modulated sub-layers; the gates start at zero so every block starts as the identity.
 * <pre>
 * x += gate1 · SelfAttention(modulate(x, shift1, scale1))
 * x += CrossAttention(rmsNorm(x), prompt, promptMask)
 * x += gate2 · Mlp(modulate(x, shift2, scale2))
 * </pre>
 */
final class DitBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final Linear modulation;
    private final Transformer.Attention selfAttention;
    private final RmsNorm crossNorm;
    private final Transformer.Attention crossAttention;
    private final Transformer.Mlp mlp;

    DitBlock(int width, int heads, int mlpHidden, int promptDimension) {
        super(VERSION);
        this.width = width;
        modulation = addChildBlock("modulation", Linear.builder().setUnits(6L * width).build());
        selfAttention = addChildBlock("self_attention", new Transformer.Attention(width, width, heads));
        crossNorm = addChildBlock("cross_norm", new RmsNorm(width));
        crossAttention = addChildBlock("cross_attention", new Transformer.Attention(width, promptDimension, heads));
        mlp = addChildBlock("mlp", new Transformer.Mlp(width, mlpHidden));
    }

    /**
     * @param x latent tokens [B, N, D]
     * @param m this step's six modulation chunks [B, 1, D] ({@link #modulations}), shift1, 1 + scale1, gate1,
     *     shift2, 1 + scale2, gate2
     * @param promptKeysValues the prompt's cross-attention keys and values ({@link #promptKeysValues})
     * @param promptBias additive key mask [B, 1, 1, T]
     * @param identity the affine-free LayerNorm's unit scale and zero shift ({@link AdaLn#identity})
     */
    NDArray forward(ParameterStore parameterStore, NDArray x, NDList m, NDList promptKeysValues, NDArray promptBias,
            NDList identity, boolean training) {
        NDArray h = AdaLn.modulate(x, m.get(0), m.get(1), identity);
        x = x.add(m.get(2).mul(selfAttention.forward(parameterStore, h, h, null, training)));
        x = x.add(crossAttention.attend(parameterStore, crossNorm.forward(parameterStore, x, training),
                promptKeysValues.get(0), promptKeysValues.get(1), promptBias, training));
        h = AdaLn.modulate(x, m.get(3), m.get(4), identity);
        return x.add(m.get(5).mul(mlp.forward(parameterStore, h, training)));
    }

    /** The prompt's projected cross-attention keys and values: the same at every step of a sampling run. */
    NDList promptKeysValues(ParameterStore parameterStore, NDArray prompt, boolean training) {
        return crossAttention.keysAndValues(parameterStore, prompt, training);
    }

    /**
     * Per step, the six modulation chunks of conditions [S·B, D] (steps outer), scales as 1 + scale: one linear for
     * all steps.
     */
    List<NDList> modulations(ParameterStore parameterStore, NDArray activeCondition, int steps, boolean training) {
        return AdaLn.chunksPerStep(modulation.forward(parameterStore, new NDList(activeCondition), training)
                .singletonOrThrow(), steps, 6, 1, 4);
    }

    /** Makes the block start as the identity: zero shift/scale/gate (adaLN-Zero). */
    void zeroModulation() {
        modulation.getParameters().values().forEach(p -> p.getArray().muli(0));
    }

    /** Runs only inside {@link DiffusionTransformer}, which prepares the per-step inputs. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException("a DiT block runs inside DiffusionTransformer.forward");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        modulation.initialize(manager, dataType, new Shape(1, width));
        selfAttention.initialize(manager, dataType, new Shape(1, 1, width));
        crossNorm.initialize(manager, dataType, new Shape(1, 1, width));
        crossAttention.initialize(manager, dataType, new Shape(1, 1, width));
        mlp.initialize(manager, dataType, new Shape(1, 1, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
