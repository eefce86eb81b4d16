package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.thinkdiff.nn.RmsNorm;
import dev.thinkdiff.nn.Silu;
import dev.thinkdiff.nn.Transformer;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The diffusion decoder: a small latent DiT that predicts the rectified-flow velocity (ε − x0) of noised latents,
 * conditioned on prompt states from the prompt encoder's space (the role FLUX plays in ThinkDiff).
 *
 * <ol>
 *   <li>Latents [B, C, H, W] are cut into p×p patches → N tokens, linearly embedded, plus learned positions.</li>
 *   <li>Prompt states [B, T, P] are RMS-normalised per token (so the prompt's norm cannot matter) and read two ways:
 *       by cross-attention in every block (masked by the prompt mask; with learned position codes if the config
 *       has them, so that it can tell a prompt's first part from its second), and pooled — the masked mean through
 *       an MLP — added to the timestep embedding. The pooled path puts "what" into every block's adaLN modulation;
 *       in the toy experiment it lifted subject accuracy from 0.15 to 0.57.</li>
 *   <li>Condition c = MLP(sinusoid(1000·t)) + MLP(pooled prompt) modulates the blocks and the final layer.</li>
 * </ol>
 *
 * <p><b>Classifier-free guidance.</b> A learned null prompt (one token) replaces the prompt of examples flagged in
 * {@code dropPrompt}; training flags ~10% of examples, so the same network also models the unconditional velocity.
 * Sampling extrapolates from it towards the conditional one, v = v∅ + s·(v_c − v∅), which sharpens what is
 * specific to the prompt (here: subject and attribute) at little cost. A learned embedding, not zeros, because zero
 * states are a point the prompt encoder never produces and the RMS normalisation cannot scale.
 */
public final class DiffusionTransformer extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final double INIT_STD = 0.02;
    private static final double MAX_PERIOD = 10_000;
    private static final float TIME_SCALE = 1000f;

    private final DiffusionConfig config;
    private final Linear patchEmbedding;
    private final Parameter positions;
    private final Parameter nullPrompt;
    /** [1, promptPositions, P], or null when the config has none. */
    private final Parameter promptPositions;
    private final RmsNorm promptNorm;
    private final Linear timeHidden;
    private final Linear timeOut;
    private final Linear pooledHidden;
    private final Linear pooledOut;
    private final List<DitBlock> blocks = new ArrayList<>();
    private final Linear finalModulation;
    private final Linear output;
    /** The timestep embedding's log-spaced frequencies, D / 2 of them. */
    private final float[] frequencies;

    public DiffusionTransformer(DiffusionConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.width();
        frequencies = new float[d / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / frequencies.length);
        }
        patchEmbedding = addChildBlock("patch_embedding", linear(d));
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, config.tokens(), d)).build());
        nullPrompt = addParameter(Parameter.builder().setName("null_prompt").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, config.promptDimension())).build());
        promptPositions = config.promptPositions() == 0 ? null : addParameter(Parameter.builder()
                .setName("prompt_positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, config.promptPositions(), config.promptDimension())).build());
        promptNorm = addChildBlock("prompt_norm", new RmsNorm(config.promptDimension()));
        timeHidden = addChildBlock("time_hidden", linear(d));
        timeOut = addChildBlock("time_out", linear(d));
        pooledHidden = addChildBlock("pooled_hidden", linear(d));
        pooledOut = addChildBlock("pooled_out", linear(d));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("block" + i,
                    new DitBlock(d, config.heads(), d * config.mlpRatio(), config.promptDimension())));
        }
        finalModulation = addChildBlock("final_modulation", linear(2L * d));
        output = addChildBlock("output", linear(config.patchFloats()));
    }

    /**
     * Builds a network in {@code manager} with seeded N(0, 0.02²) matrices and zeroed adaLN modulations and output
     * layer: every block starts as the identity and the first prediction is 0.
     */
    public static DiffusionTransformer create(DiffusionConfig config, NDManager manager, long seed) {
        DiffusionTransformer net = new DiffusionTransformer(config);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, config.latentChannels(), config.latentSize(),
                config.latentSize()));
        ParameterInit.normal(net, seed, INIT_STD);
        net.blocks.forEach(DitBlock::zeroModulation);
        net.finalModulation.getParameters().values().forEach(p -> p.getArray().muli(0));
        net.output.getParameters().values().forEach(p -> p.getArray().muli(0));
        return net;
    }

    /** A trained network, frozen: its parameters take no gradient, what flows through it still does. */
    public static DiffusionTransformer load(DiffusionConfig config, Path parameters, NDManager manager)
            throws IOException {
        DiffusionTransformer net = create(config, manager, 0);
        TrainingRun.loadParameters(net, manager, parameters);
        net.freezeParameters(true);
        return net;
    }

    public DiffusionConfig config() {
        return config;
    }

    /** A training time t ~ logit-normal (as SD3): most draws mid-way, where the velocity is hardest to predict. */
    public static float sampleTime(SplittableRandom random) {
        return (float) (1 / (1 + Math.exp(-random.nextGaussian())));
    }

    /**
     * The rectified-flow training loss (as FLUX): x_t = (1−t)·x0 + t·ε, and the mean squared error of the predicted
     * velocity against ε − x0.
     *
     * @param x0 clean scaled latents [B, C, H, W]
     * @param noise ε, the same shape
     * @param times t per sample [B]
     * @param dropPrompt as in {@link #forward}
     */
    public NDArray flowMatchingLoss(ParameterStore parameterStore, NDArray x0, NDArray noise, NDArray times,
            NDArray promptStates, NDArray promptMask, NDArray dropPrompt, boolean training) {
        NDArray t = times.reshape(-1, 1, 1, 1);
        NDArray noised = x0.mul(t.neg().add(1f)).add(noise.mul(t));
        NDArray velocity = forward(parameterStore, noised, times, promptStates, promptMask, dropPrompt, training);
        return velocity.sub(noise.sub(x0)).square().mean();
    }

    /**
     * The velocity prediction.
     *
     * @param latents noised latents x_t [B, C, H, W]
     * @param times t ∈ [0, 1] per sample [B] (1 = pure noise)
     * @param promptStates [B, T, P]
     * @param promptMask [B, T], 1 at real tokens
     * @param dropPrompt [B], 1 where the sample gets the null prompt instead, or null for none
     * @return velocity [B, C, H, W]
     */
    public NDArray forward(ParameterStore parameterStore, NDArray latents, NDArray times, NDArray promptStates,
            NDArray promptMask, NDArray dropPrompt, boolean training) {
        Conditioning conditioning = condition(parameterStore, times.reshape(1, -1), promptStates, promptMask,
                dropPrompt, training);
        return forward(parameterStore, latents, conditioning, 0, training);
    }

    /**
     * What every pass of a sampling run reads besides the latents, computed once for all its steps: the prompt's key
     * bias and each block's cross-attention keys and values, and per step the adaLN modulations of every block and of
     * the final layer (the condition c depends on the prompt and t only).
     *
     * @param times t per step and sample [S, B]
     * @param promptStates [B, T, P]
     * @param promptMask [B, T], 1 at real tokens
     * @param dropPrompt [B], 1 where the sample gets the null prompt instead, or null for none
     */
    public Conditioning condition(ParameterStore parameterStore, NDArray times, NDArray promptStates,
            NDArray promptMask, NDArray dropPrompt, boolean training) {
        if (dropPrompt != null) {
            NDList swapped = withNullPrompt(parameterStore, promptStates, promptMask, dropPrompt, training);
            promptStates = swapped.get(0);
            promptMask = swapped.get(1);
        }
        NDArray prompt = promptNorm.forward(parameterStore, promptStates, training);
        NDArray promptBias = Transformer.keyPaddingMask(promptMask);

        NDArray maskColumn = promptMask.expandDims(2);
        NDArray pooled = prompt.mul(maskColumn).sum(new int[] {1}).div(maskColumn.sum(new int[] {1}));
        int steps = Math.toIntExact(times.getShape().get(0));
        long batch = times.getShape().get(1);
        int d = config.width();
        NDArray condition = mlp(parameterStore, timeHidden, timeOut, timestepEmbedding(times.reshape(-1)), training)
                .reshape(steps, batch, d)
                .add(mlp(parameterStore, pooledHidden, pooledOut, pooled, training))
                .reshape(steps * batch, d);
        NDArray active = Silu.of(condition);

        NDArray attended = promptPositions == null ? prompt : prompt.add(positionCodes(parameterStore, prompt,
                training));
        List<NDList> promptKeysValues = new ArrayList<>(blocks.size());
        List<List<NDList>> blockModulations = new ArrayList<>(blocks.size());
        for (DitBlock block : blocks) {
            promptKeysValues.add(block.promptKeysValues(parameterStore, attended, training));
            blockModulations.add(block.modulations(parameterStore, active, steps, training));
        }
        List<NDList> finalModulations = AdaLn.chunksPerStep(apply(finalModulation, parameterStore, active, training),
                steps, 2, 1);
        return new Conditioning(steps, promptBias, promptKeysValues, blockModulations, finalModulations,
                AdaLn.identity(times.getManager(), d));
    }

    /**
     * The velocity at one step of a prepared run.
     *
     * @param latents noised latents x_t [B, C, H, W]
     * @param step which of the conditioning's steps (its row of times)
     * @return velocity [B, C, H, W]
     */
    public NDArray forward(ParameterStore parameterStore, NDArray latents, Conditioning conditioning, int step,
            boolean training) {
        return unpatchify(forwardPatches(parameterStore, patchify(latents), conditioning, step, training));
    }

    /**
     * The same velocity in patch space: {@link #patchify}(latents) → patchify(velocity), each [B, N, p·p·C]. The
     * sampler integrates there (the Euler step is elementwise), so a step needs no re-layout of the latents.
     */
    NDArray forwardPatches(ParameterStore parameterStore, NDArray patches, Conditioning conditioning, int step,
            boolean training) {
        NDArray x = apply(patchEmbedding, parameterStore, patches, training)
                .add(parameterStore.getValue(positions, patches.getDevice(), training));
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(parameterStore, x, conditioning.blockModulations().get(i).get(step),
                    conditioning.promptKeysValues().get(i), conditioning.promptBias(), conditioning.identity(),
                    training);
        }
        NDList m = conditioning.finalModulations().get(step);
        return apply(output, parameterStore, AdaLn.modulate(x, m.get(0), m.get(1), conditioning.identity()),
                training);
    }

    /**
     * The prepared inputs of {@link #forward(ParameterStore, NDArray, Conditioning, int, boolean)}; see
     * {@link #condition}. Its arrays live in the manager of the times it was made from.
     *
     * @param promptBias additive key mask [B, 1, 1, T]
     * @param promptKeysValues per block, the prompt's cross-attention keys and values
     * @param blockModulations per block, per step, the six adaLN chunks [B, 1, D] (scales as 1 + scale)
     * @param finalModulations per step, the final layer's shift and 1 + scale [B, 1, D]
     * @param identity the affine-free LayerNorm's unit scale and zero shift
     */
    public record Conditioning(int steps, NDArray promptBias, List<NDList> promptKeysValues,
                               List<List<NDList>> blockModulations, List<NDList> finalModulations, NDList identity) {
    }

    /** The position codes of a prompt [B, T, P] as [1, T, P]: tokens past the last code share it. */
    private NDArray positionCodes(ParameterStore parameterStore, NDArray prompt, boolean training) {
        long length = prompt.getShape().get(1);
        NDArray codes = parameterStore.getValue(promptPositions, prompt.getDevice(), training);
        long count = config.promptPositions();
        if (length <= count) {
            return codes.get(":, :{}, :", length);
        }
        return codes.concat(codes.get(":, -1:, :").repeat(1, length - count), 1);
    }

    /** Rows flagged in {@code dropPrompt} become the learned null prompt: one visible token, the rest masked. */
    private NDList withNullPrompt(ParameterStore parameterStore, NDArray states, NDArray mask, NDArray dropPrompt,
            boolean training) {
        long batch = states.getShape().get(0);
        long length = states.getShape().get(1);
        NDArray drop = dropPrompt.reshape(batch, 1);
        NDArray keep = drop.neg().add(1f);
        NDArray firstToken = states.getManager().arange(length).eq(0).toType(DataType.FLOAT32, false)
                .reshape(1, length);
        NDArray nullToken = parameterStore.getValue(nullPrompt, states.getDevice(), training);
        NDArray nullStates = nullToken.mul(firstToken.expandDims(2)).mul(drop.expandDims(2));
        return new NDList(states.mul(keep.expandDims(2)).add(nullStates), mask.mul(keep).add(drop.mul(firstToken)));
    }

    /** Sinusoidal embedding of 1000·t, width D: [cos(f·t), sin(f·t)] over log-spaced frequencies. */
    private NDArray timestepEmbedding(NDArray times) {
        int half = frequencies.length;
        NDArray angles = times.mul(TIME_SCALE).reshape(-1, 1)
                .mul(times.getManager().create(frequencies).reshape(1, half));
        return angles.cos().concat(angles.sin(), 1);
    }

    /** [B, C, H, W] → [B, N, p·p·C], tokens in row-major patch order. */
    NDArray patchify(NDArray latents) {
        long batch = latents.getShape().get(0);
        int p = config.patchSize();
        int side = config.latentSize() / p;
        return latents.reshape(batch, config.latentChannels(), side, p, side, p)
                .transpose(0, 2, 4, 3, 5, 1)
                .reshape(batch, (long) side * side, config.patchFloats());
    }

    /** The inverse of {@link #patchify}. */
    NDArray unpatchify(NDArray patches) {
        long batch = patches.getShape().get(0);
        int p = config.patchSize();
        int side = config.latentSize() / p;
        return patches.reshape(batch, side, side, p, p, config.latentChannels())
                .transpose(0, 5, 1, 3, 2, 4)
                .reshape(batch, config.latentChannels(), config.latentSize(), config.latentSize());
    }

    private static NDArray mlp(ParameterStore parameterStore, Linear hidden, Linear out, NDArray x,
            boolean training) {
        return apply(out, parameterStore, Silu.of(apply(hidden, parameterStore, x, training)), training);
    }

    private static NDArray apply(Linear layer, ParameterStore parameterStore, NDArray x, boolean training) {
        return layer.forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    private static Linear linear(long units) {
        return Linear.builder().setUnits(units).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray dropPrompt = inputs.size() > 4 ? inputs.get(4) : null;
        return new NDList(forward(parameterStore, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3),
                dropPrompt, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int d = config.width();
        patchEmbedding.initialize(manager, dataType, new Shape(1, config.patchFloats()));
        promptNorm.initialize(manager, dataType, new Shape(1, config.promptDimension()));
        timeHidden.initialize(manager, dataType, new Shape(1, d));
        timeOut.initialize(manager, dataType, new Shape(1, d));
        pooledHidden.initialize(manager, dataType, new Shape(1, config.promptDimension()));
        pooledOut.initialize(manager, dataType, new Shape(1, d));
        for (DitBlock block : blocks) {
            block.initialize(manager, dataType, new Shape(1, config.tokens(), d));
        }
        finalModulation.initialize(manager, dataType, new Shape(1, d));
        output.initialize(manager, dataType, new Shape(1, d));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
