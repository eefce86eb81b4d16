package dev.thinkdiff.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.nn.GroupNorm;
import dev.thinkdiff.nn.RmsNorm;
import dev.thinkdiff.nn.Transformer;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.List;

/**
 * The pocket VLM (Qwen2-VL's role): a conv vision encoder whose last feature map becomes a few image tokens, and a
 * causal transformer over the interleaved sequence of text and image tokens with a language-model head.
 *
 * <pre>
 * images [N, 3, 64, 64] ──conv stages──► [N, C, g, g] ──► [N, g², C] ──project──► image tokens [N, g², D]
 * x [B, L, D] = text embedding (text positions) + image token (image positions) + type embedding + position
 * repeat layers:  x += SelfAttention(norm x, causal);  x += Mlp(norm x)
 * states = finalNorm(x)   ← ThinkDiff's features: the state at position t predicted token t + 1
 * logits = head(states)
 * </pre>
 * In training only, an auxiliary head classifies each image's mean token (attribute and subject).
 * Inputs ({@link VlmInputs#arrays}): tokens [B, L] int (image positions hold [PAD]), imageRows [B, L] int (0 at text,
 * 1 + row of the flattened image tokens at image positions), types [B, L] int (0 text, 1 image), images [N, 3, 64, 64].
 * Sequences are right-padded; with the causal mask no real token ever sees padding, so no padding mask is needed.
 */
public final class VlmNet extends AbstractBlock {

    public static final Shape IMAGE_SHAPE = new Shape(1, 3, WorldRenderer.SIZE, WorldRenderer.SIZE);
    /** Auxiliary image labels: 5 themes × 10 attributes, then 10 objects and 10 animals. */
    static final int ATTRIBUTE_LABELS = 50;
    static final int IMAGE_LABELS = ATTRIBUTE_LABELS + 20;
    static final int TEXT_TYPE = 0;
    static final int IMAGE_TYPE = 1;

    private static final byte VERSION = 1;

    private final VlmConfig config;
    private final int vocabularySize;
    private final SequentialBlock vision;
    private final Linear imageProjection;
    private final Parameter types;
    private final Transformer.Embeddings embeddings;
    private final List<Transformer.Layer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final Linear head;
    private final Linear imageLabelHead;

    /** Key-value caches of every layer after a prefix, and the final-norm states of the tokens just run. */
    public record Decoding(NDArray states, List<NDList> cache) {
    }

    public VlmNet(VlmConfig config, int vocabularySize) {
        super(VERSION);
        this.config = config;
        this.vocabularySize = vocabularySize;
        SequentialBlock stages = new SequentialBlock();
        List<Integer> channels = config.channels();
        for (int stage = 0; stage < channels.size(); stage++) {
            for (int conv = 0; conv < config.convsPerStage(); conv++) {
                int stride = stage == 0 && conv == 0 ? config.stemStride() : 1;
                stages.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optStride(new Shape(stride, stride))
                        .setFilters(channels.get(stage))
                        .optBias(false) // the GroupNorm shift that follows makes a bias redundant
                        .build());
                stages.add(new GroupNorm(config.normGroups()));
                // The last unit stays signed and normalised: after a ReLU every image's features would share one
                // large positive mean, and the image-specific part would reach the transformer 10× weaker.
                boolean lastUnit = stage == channels.size() - 1 && conv == config.convsPerStage() - 1;
                if (!lastUnit) {
                    stages.add(Activation.reluBlock());
                }
            }
            if (stage < channels.size() - 1) {
                stages.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        int finalMap = WorldRenderer.SIZE / config.stemStride() >> (channels.size() - 1);
        int pool = finalMap / config.visualGrid();
        stages.add(Pool.avgPool2dBlock(new Shape(pool, pool), new Shape(pool, pool)));
        vision = addChildBlock("vision", stages);
        imageProjection = addChildBlock("image_projection", Linear.builder().setUnits(config.width()).build());
        types = addParameter(Parameter.builder().setName("types").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(2, config.width())).build());
        embeddings = addChildBlock("embeddings",
                new Transformer.Embeddings(vocabularySize, config.width(), config.maxPositions()));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i,
                    new Transformer.Layer(config.width(), config.heads(), config.mlpHidden(), 0)));
        }
        finalNorm = addChildBlock("final_norm", new RmsNorm(config.width()));
        head = addChildBlock("head", Linear.builder().setUnits(vocabularySize).build());
        imageLabelHead = addChildBlock("image_label_head", Linear.builder().setUnits(IMAGE_LABELS).build());
    }

    /** Builds and initialises a network whose parameters live in {@code manager} (constant init; see ParameterInit). */
    public static VlmNet create(VlmConfig config, int vocabularySize, NDManager manager) {
        VlmNet net = new VlmNet(config, vocabularySize);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), IMAGE_SHAPE);
        return net;
    }

    /** The conv trunk, which wants He initialisation rather than the transformer's N(0, 0.02²). */
    Block vision() {
        return vision;
    }

    /** Packed RGB images [N, 3, 64, 64] in [0, 1] → image tokens [N, g², D]. */
    public NDArray encodeImages(ParameterStore parameterStore, NDArray images, boolean training) {
        NDArray centred = images.mul(2).sub(1);
        NDArray grid = vision.forward(parameterStore, new NDList(centred), training).singletonOrThrow();
        Shape shape = grid.getShape(); // [N, C, g, g]
        NDArray tokens = grid.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3)).transpose(0, 2, 1);
        return imageProjection.forward(parameterStore, new NDList(tokens), training).singletonOrThrow();
    }

    /**
     * Training-only auxiliary logits [N, 70] from the mean of each image's tokens [N, g², D]: attribute (theme × 10)
     * in columns 0..49, subject (objects, then animals) in 50..69. A vision encoder that already knows what it sees
     * (as Qwen2-VL's pretrained one does) lets the causal model learn to read it far sooner.
     */
    public NDArray imageLabelLogits(ParameterStore parameterStore, NDArray imageTokens, boolean training) {
        return imageLabelHead.forward(parameterStore, new NDList(imageTokens.mean(new int[] {1})), training)
                .singletonOrThrow();
    }

    /** Cross-entropy of both auxiliary labels, summed, mean over images. */
    public static NDArray imageLabelLoss(NDArray logits, NDArray attributeLabels, NDArray subjectLabels) {
        return crossEntropy(logits.get(":, 0:" + ATTRIBUTE_LABELS), attributeLabels)
                .add(crossEntropy(logits.get(":, " + ATTRIBUTE_LABELS + ":"), subjectLabels));
    }

    /** The input embeddings [B, L, D] of the NDList form of {@link VlmInputs}, before positions. */
    private NDArray embed(ParameterStore parameterStore, NDList inputs, NDArray imageTokens, boolean training) {
        NDArray tokens = inputs.get(0);
        NDArray imageRows = inputs.get(1);
        NDArray typeIds = inputs.get(2);
        NDArray x = embeddings.embedTokens(parameterStore, tokens, training)
                .mul(typeIds.eq(TEXT_TYPE).toType(DataType.FLOAT32, false).expandDims(-1));
        NDArray typeTable = parameterStore.getValue(types, tokens.getDevice(), training);
        x = x.add(Embedding.embedding(typeIds, typeTable, SparseFormat.DENSE).singletonOrThrow());
        if (imageTokens == null && inputs.size() > 3 && inputs.get(3).getShape().get(0) > 0) {
            imageTokens = encodeImages(parameterStore, inputs.get(3), training);
        }
        if (imageTokens != null) {
            // row 0 is the zero vector that text positions pick
            NDArray table = x.getManager().zeros(new Shape(1, config.width()))
                    .concat(imageTokens.reshape(-1, config.width()), 0);
            x = x.add(Embedding.embedding(imageRows, table, SparseFormat.DENSE).singletonOrThrow());
        }
        return x;
    }

    /** Final-norm states [B, L, D] of every position (teacher forcing). */
    public NDArray hiddenStates(ParameterStore parameterStore, NDList inputs, boolean training) {
        return hiddenStates(parameterStore, inputs, null, training);
    }

    /** As {@link #hiddenStates(ParameterStore, NDList, boolean)} with the images already encoded (or null). */
    public NDArray hiddenStates(ParameterStore parameterStore, NDList inputs, NDArray imageTokens,
            boolean training) {
        NDArray x = embeddings.addPositions(parameterStore, embed(parameterStore, inputs, imageTokens, training),
                training);
        NDArray causal = Transformer.causalMask(x.getManager(), x.getShape().get(1));
        for (Transformer.Layer layer : layers) {
            x = layer.forward(parameterStore, x, causal, null, null, training);
        }
        return finalNorm.forward(parameterStore, x, training);
    }

    /** Next-token logits [..., V] of final-norm states [..., D]. */
    public NDArray logits(ParameterStore parameterStore, NDArray states, boolean training) {
        return head.forward(parameterStore, new NDList(states), training).singletonOrThrow();
    }

    /** Runs a whole prompt batch (all of one length, no padding) and keeps every layer's keys and values. */
    public Decoding prefill(ParameterStore parameterStore, NDList inputs) {
        NDArray x = embeddings.addPositions(parameterStore, embed(parameterStore, inputs, null, false), false);
        NDArray causal = Transformer.causalMask(x.getManager(), x.getShape().get(1));
        List<NDList> cache = new ArrayList<>();
        for (Transformer.Layer layer : layers) {
            NDList out = layer.forwardCached(parameterStore, x, causal, null, false);
            x = out.get(0);
            cache.add(new NDList(out.get(1), out.get(2)));
        }
        return new Decoding(finalNorm.forward(parameterStore, x, false), cache);
    }

    /** One more text token [B, 1] at {@code position} after a prefix whose caches are given. */
    public Decoding step(ParameterStore parameterStore, NDArray tokens, long position, List<NDList> cache) {
        NDArray x = embeddings.embedTokens(parameterStore, tokens, false);
        NDArray typeTable = parameterStore.getValue(types, tokens.getDevice(), false);
        x = embeddings.addPositions(parameterStore, x.add(typeTable.get(TEXT_TYPE)), position, false);
        List<NDList> longer = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            NDList out = layers.get(i).forwardCached(parameterStore, x, null, cache.get(i), false);
            x = out.get(0);
            longer.add(new NDList(out.get(1), out.get(2)));
        }
        return new Decoding(finalNorm.forward(parameterStore, x, false), longer);
    }

    /** Mean cross-entropy of logits [M, V] against labels [M] (int). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        Shape shape = logits.getShape();
        int vocabulary = Math.toIntExact(shape.get(shape.dimension() - 1));
        return logits.logSoftmax(-1).mul(labels.oneHot(vocabulary)).sum(new int[] {-1}).neg().mean();
    }

    /** Mean of 1 − cosine between matching rows of two [M, D] arrays: the mode-consistency term. */
    public static NDArray cosineDistance(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {-1});
        NDArray norms = a.norm(new int[] {-1}).mul(b.norm(new int[] {-1})).add(1e-8f);
        return dot.div(norms).neg().add(1f).mean();
    }

    public VlmConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(parameterStore, hiddenStates(parameterStore, inputs, training), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        vision.initialize(manager, dataType, IMAGE_SHAPE);
        Shape trunkOut = vision.getOutputShapes(new Shape[] {IMAGE_SHAPE})[0];
        imageProjection.initialize(manager, dataType, new Shape(1, trunkOut.get(1)));
        embeddings.initialize(manager, dataType, inputShapes[0]);
        Shape hidden = new Shape(1, 1, config.width());
        for (Transformer.Layer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        finalNorm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
        imageLabelHead.initialize(manager, dataType, new Shape(1, config.width()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(vocabularySize)};
    }
}
