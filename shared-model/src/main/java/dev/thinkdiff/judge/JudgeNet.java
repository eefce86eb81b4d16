package dev.thinkdiff.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.nn.GroupNorm;
import dev.thinkdiff.world.WorldRenderer;

/**
 * The CoBSAT judge network. Inputs: images [B, 3, 64, 64] float in [0, 1] and theme ordinals [B] int. A conv trunk
 * (stages of 3×3 conv → GroupNorm → ReLU, max-pooled between stages, global-average-pooled at the end) feeds one
 * linear head with, per theme, 10 attribute + 10 subject logits; each sample keeps its own theme's 20.
 * Output: logits [B, 20], attribute options in columns 0..9 and subject options in 10..19.
 */
public final class JudgeNet extends AbstractBlock {

    public static final int THEMES = Theme.values().length;
    public static final int OPTIONS = ItemList.SIZE;
    public static final int LOGITS_PER_THEME = 2 * OPTIONS;
    public static final Shape IMAGE_SHAPE = new Shape(1, 3, WorldRenderer.SIZE, WorldRenderer.SIZE);

    private static final byte VERSION = 1;

    private final SequentialBlock trunk;
    private final Linear head;

    public JudgeNet(JudgeConfig config) {
        super(VERSION);
        SequentialBlock stages = new SequentialBlock();
        for (int stage = 0; stage < config.channels().size(); stage++) {
            for (int conv = 0; conv < config.convsPerStage(); conv++) {
                stages.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optStride(stage == 0 && conv == 0 ? new Shape(config.stemStride(), config.stemStride())
                                : new Shape(1, 1))
                        .setFilters(config.channels().get(stage))
                        .optBias(false) // the GroupNorm shift that follows makes a bias redundant
                        .build());
                stages.add(new GroupNorm(config.normGroups()));
                stages.add(Activation.reluBlock());
            }
            boolean last = stage == config.channels().size() - 1;
            stages.add(last ? Pool.globalAvgPool2dBlock() : Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        trunk = addChildBlock("trunk", stages);
        head = addChildBlock("head", Linear.builder().setUnits((long) THEMES * LOGITS_PER_THEME).build());
    }

    /** Builds and initialises a network whose parameters live in {@code manager}. */
    public static JudgeNet create(JudgeConfig config, NDManager manager) {
        JudgeNet net = new JudgeNet(config);
        net.initialize(manager, DataType.FLOAT32, IMAGE_SHAPE, new Shape(1));
        return net;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray themes = inputs.get(1);
        long batch = images.getShape().get(0);
        NDArray centred = images.mul(2).sub(1);
        NDArray features = trunk.forward(parameterStore, new NDList(centred), training).singletonOrThrow();
        NDArray allLogits = head.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        NDArray themeMask = themes.oneHot(THEMES).reshape(batch, THEMES, 1);
        NDArray logits = allLogits.reshape(batch, THEMES, LOGITS_PER_THEME).mul(themeMask).sum(new int[] {1});
        return new NDList(logits);
    }

    /** Mean over the batch of the cross-entropies of both questions (labels are 0-based option indices). */
    public static NDArray loss(NDArray logits, NDArray attributeLabels, NDArray subjectLabels) {
        NDArray attribute = crossEntropy(attributeLogits(logits), attributeLabels);
        NDArray subject = crossEntropy(subjectLogits(logits), subjectLabels);
        return attribute.add(subject);
    }

    public static NDArray attributeLogits(NDArray logits) {
        return logits.get(":, 0:" + OPTIONS);
    }

    public static NDArray subjectLogits(NDArray logits) {
        return logits.get(":, " + OPTIONS + ":" + LOGITS_PER_THEME);
    }

    private static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(labels.oneHot(OPTIONS)).sum(new int[] {1}).neg().mean();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), LOGITS_PER_THEME)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, trunk.getOutputShapes(new Shape[] {inputShapes[0]}));
    }
}
