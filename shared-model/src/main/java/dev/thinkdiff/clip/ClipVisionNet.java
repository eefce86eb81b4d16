package dev.thinkdiff.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import dev.thinkdiff.nn.GroupNorm;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.world.WorldRenderer;

/**
 * The pocket CLIP vision encoder (EVA ViT-g's role in ThinkDiff-CLIP): conv stages, the last feature map pooled to a
 * g×g grid of patch tokens, and a pooled token (the mean of the patch tokens, CLIP's CLS) whose projection is trained
 * contrastively against the prompt encoder's sentence embeddings.
 *
 * <pre>
 * images [N, 3, 64, 64] ──conv stages──► [N, C, g, g] ──► [N, g², C] ──project──► patches [N, g², W]
 * pooled = mean(patches) [N, 1, W];   tokens = concat(pooled, patches) [N, 1 + g², W]   (the CLIP features)
 * embedding = head(pooled) [N, E]   (compared with sentence embeddings by cosine; training only)
 * </pre>
 */
public final class ClipVisionNet extends AbstractBlock {

    public static final Shape IMAGE_SHAPE = new Shape(1, 3, WorldRenderer.SIZE, WorldRenderer.SIZE);

    private static final byte VERSION = 1;

    private final SequentialBlock trunk;
    private final Linear project;
    private final Linear head;

    private ClipVisionNet(ClipConfig config) {
        super(VERSION);
        SequentialBlock stages = new SequentialBlock();
        for (int stage = 0; stage < config.channels().size(); stage++) {
            for (int conv = 0; conv < config.convsPerStage(); conv++) {
                int stride = stage == 0 && conv == 0 ? ClipConfig.STEM_STRIDE : 1;
                stages.add(Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .optStride(new Shape(stride, stride))
                        .setFilters(config.channels().get(stage))
                        .optBias(false) // the GroupNorm shift that follows makes a bias redundant
                        .build());
                stages.add(new GroupNorm(config.normGroups()));
                // The last unit stays signed and normalised, as in the VLM's trunk: after a ReLU every image's pooled
                // features would share one large positive mean.
                if (stage < config.channels().size() - 1 || conv < config.convsPerStage() - 1) {
                    stages.add(Activation.reluBlock());
                }
            }
            if (stage < config.channels().size() - 1) {
                stages.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        int finalMap = WorldRenderer.SIZE / ClipConfig.STEM_STRIDE >> (config.channels().size() - 1);
        int pool = finalMap / config.grid();
        stages.add(Pool.avgPool2dBlock(new Shape(pool, pool), new Shape(pool, pool)));
        trunk = addChildBlock("trunk", stages);
        project = addChildBlock("project", Linear.builder().setUnits(config.width()).build());
        head = addChildBlock("head", Linear.builder().setUnits(config.embedDimension()).build());
    }

    /** Builds the network in {@code manager}: He-normal kernels, PyTorch-default Linears, all from {@code seed}. */
    public static ClipVisionNet create(ClipConfig config, NDManager manager, long seed) {
        ClipVisionNet net = new ClipVisionNet(config);
        net.initialize(manager, DataType.FLOAT32, IMAGE_SHAPE);
        ParameterInit.heNormal(net.trunk, seed);
        ParameterInit.linearDefault(net.project, seed + 1);
        ParameterInit.linearDefault(net.head, seed + 2);
        return net;
    }

    /** Images [N, 3, 64, 64] in [0, 1] → tokens [N, 1 + g², W]: the pooled token first, then the patches by rows. */
    public NDArray tokens(ParameterStore parameterStore, NDArray images, boolean training) {
        NDArray grid = trunk.forward(parameterStore, new NDList(images.mul(2).sub(1)), training).singletonOrThrow();
        Shape shape = grid.getShape(); // [N, C, g, g]
        NDArray patches = project.forward(parameterStore, new NDList(grid.reshape(shape.get(0), shape.get(1),
                shape.get(2) * shape.get(3)).transpose(0, 2, 1)), training).singletonOrThrow();
        return NDArrays.concat(new NDList(patches.mean(new int[] {1}, true), patches), 1);
    }

    /** The contrastive embedding [N, E] of tokens [N, 1 + g², W] (from the pooled token), not normalised. */
    public NDArray embedding(ParameterStore parameterStore, NDArray tokens, boolean training) {
        return head.forward(parameterStore, new NDList(tokens.get(":, 0, :")), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(tokens(parameterStore, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes[0]);
        Shape grid = trunk.getOutputShapes(inputShapes)[0];
        Shape patches = new Shape(grid.get(0), grid.get(2) * grid.get(3), grid.get(1));
        project.initialize(manager, dataType, patches);
        head.initialize(manager, dataType, project.getOutputShapes(new Shape[] {patches})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape grid = trunk.getOutputShapes(inputShapes)[0];
        Shape patches = new Shape(grid.get(0), grid.get(2) * grid.get(3), grid.get(1));
        Shape projected = project.getOutputShapes(new Shape[] {patches})[0];
        return new Shape[] {new Shape(grid.get(0), 1 + grid.get(2) * grid.get(3), projected.get(2))};
    }
}
