package dev.thinkdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Transformer building blocks that DJL lacks (a decoder block with cross-attention, RMSNorm pre-norm), written as
 * plain NDArray ops so they read like the paper. Shapes: B batch, L query tokens, T key/value tokens, D width.
 *
 * <p>Attention masks are additive biases broadcastable to [B, heads, L, T]: 0 where a query may look, {@link #BLOCKED}
 * where it may not. Build them with {@link #causalMask} and {@link #keyPaddingMask} and add them together to combine.
 *
 * <p>Every block has fixed parameter shapes from its constructor, so {@code initialize} needs no real input shapes.
 * Each block offers a typed {@code forward} (what callers use) next to DJL's NDList {@code forward}.
 */
public final class Transformer {

    /** Added to the scores of forbidden keys: softmax turns it into an exact 0 weight. */
    public static final float BLOCKED = -1e9f;

    private Transformer() {
    }

    /** [1, 1, L, L] bias letting query t see keys 0..t only (no tril in DJL: an arange comparison). */
    public static NDArray causalMask(NDManager manager, long length) {
        NDArray queries = manager.arange(length).reshape(length, 1);
        NDArray keys = manager.arange(length).reshape(1, length);
        return blockedWhereFalse(keys.lte(queries)).reshape(1, 1, length, length);
    }

    /** [B, 1, 1, T] bias from a [B, T] mask (1 = real key, 0 = padding or dropped key). */
    public static NDArray keyPaddingMask(NDArray keyMask) {
        Shape shape = keyMask.getShape();
        return blockedWhereFalse(keyMask.gt(0)).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    private static NDArray blockedWhereFalse(NDArray allowed) {
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED);
    }

    private static NDArray apply(AbstractBlock block, ParameterStore parameterStore, NDArray x, boolean training) {
        return block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    private static Linear linear(long units) {
        return Linear.builder().setUnits(units).build();
    }

    /**
     * Multi-head scaled dot-product attention. Self-attention: keys/values are the queries' own tokens
     * ({@code keyValueWidth == width}); cross-attention: they are another sequence of any width, e.g. 384-d prompt
     * encoder states. Inputs of the NDList form: queries [B, L, D], keysValues [B, T, K], optional mask bias.
     */
    public static final class Attention extends AbstractBlock {

        private static final byte VERSION = 1;

        private final int width;
        private final int keyValueWidth;
        private final int heads;
        private final Linear query;
        private final Linear key;
        private final Linear value;
        private final Linear output;

        public Attention(int width, int keyValueWidth, int heads) {
            super(VERSION);
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " does not split into " + heads + " heads");
            }
            this.width = width;
            this.keyValueWidth = keyValueWidth;
            this.heads = heads;
            query = addChildBlock("query", linear(width));
            key = addChildBlock("key", linear(width));
            value = addChildBlock("value", linear(width));
            output = addChildBlock("output", linear(width));
        }

        /**
         * @param maskBias additive bias broadcastable to [B, heads, L, T], or null to let every query see every key
         * @return [B, L, D]
         */
        public NDArray forward(ParameterStore parameterStore, NDArray queries, NDArray keysValues, NDArray maskBias,
                boolean training) {
            NDList projected = keysAndValues(parameterStore, keysValues, training);
            return attend(parameterStore, queries, projected.get(0), projected.get(1), maskBias, training);
        }

        /**
         * The projected keys and values of a sequence [B, T, K], each [B, heads, T, D / heads]: what a key-value
         * cache keeps, so that decoding one more token does not re-project the earlier ones.
         */
        public NDList keysAndValues(ParameterStore parameterStore, NDArray keysValues, boolean training) {
            return new NDList(splitHeads(apply(key, parameterStore, keysValues, training)),
                    splitHeads(apply(value, parameterStore, keysValues, training)));
        }

        /**
         * Attention of queries [B, L, D] over already projected keys and values ({@link #keysAndValues}).
         *
         * @param maskBias additive bias broadcastable to [B, heads, L, T], or null
         * @return [B, L, D]
         */
        public NDArray attend(ParameterStore parameterStore, NDArray queries, NDArray k, NDArray v, NDArray maskBias,
                boolean training) {
            NDArray q = splitHeads(apply(query, parameterStore, queries, training));
            NDArray scores = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(width / heads));
            if (maskBias != null) {
                scores = scores.add(maskBias);
            }
            NDArray mixed = scores.softmax(-1).matMul(v);
            Shape shape = queries.getShape();
            NDArray merged = mixed.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(1), width);
            return apply(output, parameterStore, merged, training);
        }

        /** [B, N, D] → [B, heads, N, D / heads]. */
        private NDArray splitHeads(NDArray x) {
            Shape shape = x.getShape();
            return x.reshape(shape.get(0), shape.get(1), heads, width / heads).transpose(0, 2, 1, 3);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray maskBias = inputs.size() > 2 ? inputs.get(2) : null;
            return new NDList(forward(parameterStore, inputs.get(0), inputs.get(1), maskBias, training));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            query.initialize(manager, dataType, new Shape(1, width));
            key.initialize(manager, dataType, new Shape(1, keyValueWidth));
            value.initialize(manager, dataType, new Shape(1, keyValueWidth));
            output.initialize(manager, dataType, new Shape(1, width));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** Position-wise feed-forward: Linear → GELU (erf) → Linear. */
    public static final class Mlp extends AbstractBlock {

        private static final byte VERSION = 1;

        private final int width;
        private final int hidden;
        private final Linear expand;
        private final Linear contract;

        public Mlp(int width, int hidden) {
            super(VERSION);
            this.width = width;
            this.hidden = hidden;
            expand = addChildBlock("expand", linear(hidden));
            contract = addChildBlock("contract", linear(width));
        }

        public NDArray forward(ParameterStore parameterStore, NDArray x, boolean training) {
            return apply(contract, parameterStore, Activation.gelu(apply(expand, parameterStore, x, training)),
                    training);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            expand.initialize(manager, dataType, new Shape(1, width));
            contract.initialize(manager, dataType, new Shape(1, hidden));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /**
     * A pre-norm transformer layer: x += SelfAttention(norm(x)); [x += CrossAttention(norm(x), memory)];
     * x += Mlp(norm(x)). Without memory width it is an encoder/decoder-only layer (causal or not, by its mask).
     * Inputs of the NDList form: x [B, L, D], self-attention bias, and with cross-attention memory [B, T, M] and its
     * bias.
     */
    public static final class Layer extends AbstractBlock {

        private static final byte VERSION = 1;

        private final RmsNorm selfNorm;
        private final Attention selfAttention;
        private final RmsNorm crossNorm;
        private final Attention crossAttention;
        private final RmsNorm mlpNorm;
        private final Mlp mlp;

        /**
         * @param memoryWidth width of the cross-attended sequence, or 0 for no cross-attention
         */
        public Layer(int width, int heads, int mlpHidden, int memoryWidth) {
            super(VERSION);
            selfNorm = addChildBlock("self_norm", new RmsNorm(width));
            selfAttention = addChildBlock("self_attention", new Attention(width, width, heads));
            if (memoryWidth > 0) {
                crossNorm = addChildBlock("cross_norm", new RmsNorm(width));
                crossAttention = addChildBlock("cross_attention", new Attention(width, memoryWidth, heads));
            } else {
                crossNorm = null;
                crossAttention = null;
            }
            mlpNorm = addChildBlock("mlp_norm", new RmsNorm(width));
            mlp = addChildBlock("mlp", new Mlp(width, mlpHidden));
        }

        /**
         * @param selfBias e.g. {@link #causalMask}, or null
         * @param memory [B, T, M] cross-attended states (ignored without cross-attention)
         * @param memoryBias e.g. {@link #keyPaddingMask} of the memory's mask, or null
         */
        public NDArray forward(ParameterStore parameterStore, NDArray x, NDArray selfBias, NDArray memory,
                NDArray memoryBias, boolean training) {
            NDArray normed = selfNorm.forward(parameterStore, x, training);
            x = x.add(selfAttention.forward(parameterStore, normed, normed, selfBias, training));
            if (crossAttention != null) {
                NDArray crossNormed = crossNorm.forward(parameterStore, x, training);
                x = x.add(crossAttention.forward(parameterStore, crossNormed, memory, memoryBias, training));
            }
            return x.add(mlp.forward(parameterStore, mlpNorm.forward(parameterStore, x, training), training));
        }

        /**
         * A self-attention-only layer over new tokens x [B, L, D] that also attend to the cached keys and values of
         * the tokens before them (a key-value cache for incremental decoding; same arithmetic as {@link #forward}).
         *
         * @param selfBias bias over [past + new] keys, broadcastable to [B, heads, L, past + L], or null
         * @param pastKeysValues the cache returned by the previous call ([B, heads, past, D / heads] each), or null
         * @return the new states [B, L, D], then this layer's keys and values over [past + new] tokens
         */
        public NDList forwardCached(ParameterStore parameterStore, NDArray x, NDArray selfBias,
                NDList pastKeysValues, boolean training) {
            if (crossAttention != null) {
                throw new IllegalStateException("the key-value cache is for self-attention-only layers");
            }
            NDArray normed = selfNorm.forward(parameterStore, x, training);
            NDList projected = selfAttention.keysAndValues(parameterStore, normed, training);
            NDArray keys = projected.get(0);
            NDArray values = projected.get(1);
            if (pastKeysValues != null) {
                keys = pastKeysValues.get(0).concat(keys, 2);
                values = pastKeysValues.get(1).concat(values, 2);
            }
            x = x.add(selfAttention.attend(parameterStore, normed, keys, values, selfBias, training));
            x = x.add(mlp.forward(parameterStore, mlpNorm.forward(parameterStore, x, training), training));
            return new NDList(x, keys, values);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray memory = inputs.size() > 2 ? inputs.get(2) : null;
            NDArray memoryBias = inputs.size() > 3 ? inputs.get(3) : null;
            return new NDList(forward(parameterStore, inputs.get(0), inputs.get(1), memory, memoryBias, training));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            for (var child : getChildren().values()) {
                child.initialize(manager, dataType, inputShapes);
            }
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /**
     * Token embeddings plus learned absolute position embeddings. The two are separate calls so that a model can
     * mix in other inputs (e.g. image tokens) before positions are added.
     */
    public static final class Embeddings extends AbstractBlock {

        private static final byte VERSION = 1;

        private final int width;
        private final int maxPositions;
        private final Parameter tokens;
        private final Parameter positions;

        public Embeddings(int vocabularySize, int width, int maxPositions) {
            super(VERSION);
            this.width = width;
            this.maxPositions = maxPositions;
            tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(vocabularySize, width)).build());
            positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(maxPositions, width)).build());
        }

        /** [B, L] integer token indices → [B, L, D]. */
        public NDArray embedTokens(ParameterStore parameterStore, NDArray ids, boolean training) {
            NDArray table = parameterStore.getValue(tokens, ids.getDevice(), training);
            return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
        }

        /** x [B, L, D] plus the embeddings of positions 0..L-1. */
        public NDArray addPositions(ParameterStore parameterStore, NDArray x, boolean training) {
            return addPositions(parameterStore, x, 0, training);
        }

        /** x [B, L, D] plus the embeddings of positions first..first+L-1 (tokens decoded after a cached prefix). */
        public NDArray addPositions(ParameterStore parameterStore, NDArray x, long first, boolean training) {
            long end = first + x.getShape().get(1);
            if (end > maxPositions) {
                throw new IllegalArgumentException(end + " tokens exceed the " + maxPositions + " positions");
            }
            NDArray table = parameterStore.getValue(positions, x.getDevice(), training);
            return x.add(table.get(first + ":" + end));
        }

        public NDArray forward(ParameterStore parameterStore, NDArray ids, boolean training) {
            return addPositions(parameterStore, embedTokens(parameterStore, ids, training), training);
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0].add(width)};
        }
    }
}
