package dev.thinkdiff.llm;

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
import java.util.ArrayList;
import java.util.List;

/**
 * The pocket LLM decoder (flan-T5's decoder role): a causal transformer over vocabulary tokens that cross-attends to
 * prompt-encoder token states.
 *
 * <pre>
 * tokens [B, L] ──embed + positions──► x [B, L, D]
 * repeat layers:  x += SelfAttention(norm x, causal)
 *                 x += CrossAttention(norm x, states [B, T, 384], key mask [B, T])
 *                 x += Mlp(norm x)
 * logits [B, L, V] = head(norm x)
 * </pre>
 * Inputs of the NDList form: token indices [B, L] (int), states [B, T, M] (float), state mask [B, T] (1 = real).
 * The states are read raw, as T5's decoder reads its encoder: no normalisation in front of the cross-attention.
 */
public final class LlmDecoderNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LlmDecoderConfig config;
    private final int vocabularySize;
    private final Transformer.Embeddings embeddings;
    private final List<Transformer.Layer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final Linear head;

    public LlmDecoderNet(LlmDecoderConfig config, int vocabularySize) {
        super(VERSION);
        this.config = config;
        this.vocabularySize = vocabularySize;
        embeddings = addChildBlock("embeddings",
                new Transformer.Embeddings(vocabularySize, config.width(), config.maxTargetTokens()));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new Transformer.Layer(config.width(), config.heads(),
                    config.mlpHidden(), config.memoryWidth())));
        }
        finalNorm = addChildBlock("final_norm", new RmsNorm(config.width()));
        head = addChildBlock("head", Linear.builder().setUnits(vocabularySize).build());
    }

    /** Builds and initialises a network whose parameters live in {@code manager} (constant init; see ParameterInit). */
    public static LlmDecoderNet create(LlmDecoderConfig config, int vocabularySize, NDManager manager) {
        LlmDecoderNet net = new LlmDecoderNet(config, vocabularySize);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1, config.memoryWidth()),
                new Shape(1, 1));
        return net;
    }

    /** Next-token logits [B, L, V] for every position of {@code tokens}. */
    public NDArray forward(ParameterStore parameterStore, NDArray tokens, NDArray states, NDArray stateMask,
            boolean training) {
        NDArray x = embeddings.forward(parameterStore, tokens, training);
        NDArray causal = Transformer.causalMask(tokens.getManager(), tokens.getShape().get(1));
        NDArray statePadding = Transformer.keyPaddingMask(stateMask);
        for (Transformer.Layer layer : layers) {
            x = layer.forward(parameterStore, x, causal, states, statePadding, training);
        }
        NDArray normed = finalNorm.forward(parameterStore, x, training);
        return head.forward(parameterStore, new NDList(normed), training).singletonOrThrow();
    }

    /**
     * Mean cross-entropy over the real target tokens.
     *
     * @param logits [B, L, V]
     * @param labels [B, L] int target indices; positions equal to {@code padIndex} do not count
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, int padIndex) {
        int vocabulary = Math.toIntExact(logits.getShape().get(2));
        NDArray tokenLoss = logits.logSoftmax(-1).mul(labels.oneHot(vocabulary)).sum(new int[] {-1}).neg();
        NDArray counted = labels.neq(padIndex).toType(DataType.FLOAT32, false);
        return tokenLoss.mul(counted).sum().div(counted.sum());
    }

    public LlmDecoderConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embeddings.initialize(manager, dataType, inputShapes[0]);
        Shape hidden = new Shape(1, 1, config.width());
        for (Transformer.Layer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        finalNorm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(vocabularySize)};
    }
}
