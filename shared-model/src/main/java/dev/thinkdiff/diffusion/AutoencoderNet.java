package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.nn.GroupNorm;
import dev.thinkdiff.nn.Scalars;
import dev.thinkdiff.nn.Silu;
import java.util.List;

/**
 * The image autoencoder's network (the pocket family's stand-in for FLUX's VAE): a plain deterministic conv
 * autoencoder, 64×64×3 ↔ s×s×c. Encoder: a 3×3 conv → GroupNorm → SiLU at 64×64, then per stage a stride-2 conv
 * and a residual block, closed by a 1×1 conv to the latent channels. Decoder: the mirror, upsampling by
 * nearest-neighbour repeat followed by a conv (no transposed convs: no checkerboard artefacts). Images are in [-1, 1]; latents are unscaled
 * (the scale to unit variance is applied by {@link ImageAutoencoder}).
 */
public final class AutoencoderNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final SequentialBlock encoder;
    private final SequentialBlock decoder;
    private final int latentChannels;
    private final int latentSize;

    public AutoencoderNet(AutoencoderConfig config) {
        super(VERSION);
        List<Integer> widths = config.channels();
        int groups = config.normGroups();
        int last = widths.size() - 1;
        latentChannels = config.latentChannels();
        latentSize = config.latentSize();
        SequentialBlock down = new SequentialBlock();
        convNormSilu(down, widths.get(0), 1, groups); // 64×64
        for (int stage = 1; stage <= last; stage++) {
            convNormSilu(down, widths.get(stage), 2, groups); // halves the side
            down.add(residual(widths.get(stage), groups));
        }
        down.add(conv(latentChannels, 1, 1));
        encoder = addChildBlock("encoder", down);

        SequentialBlock up = new SequentialBlock();
        convNormSilu(up, widths.get(last), 1, groups); // latent grid
        up.add(residual(widths.get(last), groups));
        for (int stage = last; stage >= 1; stage--) {
            up.add(LambdaBlock.singleton(AutoencoderNet::upsample, "upsample")); // doubles the side
            if (!widths.get(stage - 1).equals(widths.get(stage))) {
                convNormSilu(up, widths.get(stage - 1), 1, groups);
            }
            up.add(residual(widths.get(stage - 1), groups));
        }
        up.add(conv(3, 3, 1));
        decoder = addChildBlock("decoder", up);
    }

    /** Builds and initialises a network whose parameters live in {@code manager}. */
    public static AutoencoderNet create(AutoencoderConfig config, NDManager manager) {
        AutoencoderNet net = new AutoencoderNet(config);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, ImageTensors.SIZE, ImageTensors.SIZE));
        return net;
    }

    /** images [B, 3, 64, 64] in [-1, 1] → latents [B, c, s, s]. */
    public NDArray encode(ParameterStore parameterStore, NDArray images, boolean training) {
        return encoder.forward(parameterStore, new NDList(images), training).singletonOrThrow();
    }

    /** latents [B, c, s, s] → images [B, 3, 64, 64] (unclamped). */
    public NDArray decode(ParameterStore parameterStore, NDArray latents, boolean training) {
        return decoder.forward(parameterStore, new NDList(latents), training).singletonOrThrow();
    }

    /**
     * The training loss: mean |x̂−x| + mean (x̂−x)² + edgeWeight · mean |∇x̂ − ∇x| (finite differences), plus
     * latentPenalty · mean z².
     */
    public static NDArray loss(NDArray reconstruction, NDArray images, NDArray latents, AutoencoderConfig config) {
        NDArray error = reconstruction.sub(images);
        NDArray loss = error.abs().mean().add(error.square().mean());
        NDArray edges = horizontalDifference(error).abs().mean().add(verticalDifference(error).abs().mean());
        return loss.add(Scalars.times(edges, (float) config.edgeWeight()))
                .add(Scalars.times(latents.square().mean(), (float) config.latentPenalty()));
    }

    private static NDArray horizontalDifference(NDArray x) {
        return x.get(":, :, :, 1:").sub(x.get(":, :, :, :-1"));
    }

    private static NDArray verticalDifference(NDArray x) {
        return x.get(":, :, 1:, :").sub(x.get(":, :, :-1, :"));
    }

    private static NDArray upsample(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    /** x + (conv → GroupNorm → SiLU)(x): same-width stages as residual blocks, which train faster and stabler. */
    private static ParallelBlock residual(int channels, int groups) {
        SequentialBlock branch = new SequentialBlock();
        convNormSilu(branch, channels, 1, groups);
        return new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow()
                .add(outputs.get(1).singletonOrThrow())), List.of(branch, Blocks.identityBlock()));
    }

    private static void convNormSilu(SequentialBlock block, int filters, int stride, int groups) {
        block.add(conv(filters, 3, stride));
        block.add(new GroupNorm(groups));
        block.add(Silu.block());
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray latents = encode(parameterStore, inputs.singletonOrThrow(), training);
        return new NDList(decode(parameterStore, latents, training), latents);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        Shape latentShape = new Shape(inputShapes[0].get(0), latentChannels, latentSize, latentSize);
        decoder.initialize(manager, dataType, latentShape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0), latentChannels, latentSize,
                latentSize)};
    }
}
