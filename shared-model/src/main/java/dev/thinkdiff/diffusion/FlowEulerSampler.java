package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.train.Seeds;
import java.util.SplittableRandom;

/**
 * Euler integration of the rectified-flow ODE dx/dt = v(x, t) from pure noise (t = 1) to an image latent (t = 0), as
 * FLUX samples: x_{t−Δ} = x_t − Δ·v, over evenly spaced t, with classifier-free guidance
 * v = v∅ + s·(v_c − v∅) (s = 1 is the conditional velocity alone and skips the unconditional pass).
 *
 * <p>Deterministic: image i's starting noise is drawn in Java from {@code seeds[i]} alone, so an image does not depend
 * on the batch it is sampled in, and the same seed gives the same image on the same machine.
 */
public final class FlowEulerSampler {

    /** What the caller chooses per request. */
    public record Settings(int steps, double guidanceScale) {

        public Settings {
            if (steps < 1 || guidanceScale < 0) {
                throw new IllegalArgumentException("steps " + steps + ", guidance " + guidanceScale);
            }
        }

        public static Settings of(DiffusionConfig config) {
            return new Settings(config.sampleSteps(), config.guidanceScale());
        }
    }

    private final DiffusionTransformer net;
    private final ParameterStore parameterStore;

    public FlowEulerSampler(DiffusionTransformer net, ParameterStore parameterStore) {
        this.net = net;
        this.parameterStore = parameterStore;
    }

    /** Latents [B, C, H, W] (flat) for the prompts, one seed per prompt. */
    public float[] sample(NDManager manager, PromptEmbedding prompts, long[] seeds, Settings settings) {
        DiffusionConfig config = net.config();
        int batch = prompts.batchSize();
        if (seeds.length != batch) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + batch + " prompts");
        }
        int perImage = config.latentFloats();
        float[] x = new float[batch * perImage];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(initialNoise(seeds[i], perImage), 0, x, i * perImage, perImage);
        }
        Shape latentShape = new Shape(batch, config.latentChannels(), config.latentSize(), config.latentSize());
        float dt = 1f / settings.steps();
        for (int step = 0; step < settings.steps(); step++) {
            float t = 1f - step * dt;
            try (NDManager stepManager = manager.newSubManager(); NDScope temporaries = new NDScope()) {
                NDArray latents = stepManager.create(x, latentShape);
                NDArray velocity = velocity(stepManager, latents, t, prompts, settings.guidanceScale());
                x = latents.sub(velocity.mul(dt)).toFloatArray();
            }
        }
        return x;
    }

    /** The guided velocity at time t; one forward pass over [conditional; unconditional] when guidance ≠ 1. */
    private NDArray velocity(NDManager manager, NDArray latents, float t, PromptEmbedding prompts, double guidance) {
        int batch = prompts.batchSize();
        Shape promptShape = new Shape(batch, prompts.length(), prompts.dimension());
        NDArray states = manager.create(prompts.states(), promptShape);
        NDArray mask = manager.create(prompts.mask(), new Shape(batch, prompts.length()));
        if (guidance == 1.0) {
            return net.forward(parameterStore, latents, manager.full(new Shape(batch), t), states, mask, null, false);
        }
        NDArray drop = manager.zeros(new Shape(batch)).concat(manager.ones(new Shape(batch)));
        NDArray both = net.forward(parameterStore, latents.concat(latents), manager.full(new Shape(2L * batch), t),
                states.concat(states), mask.concat(mask), drop, false);
        NDArray conditional = both.get("0:" + batch);
        NDArray unconditional = both.get(batch + ":");
        return unconditional.add(conditional.sub(unconditional).mul((float) guidance));
    }

    /** Standard normal noise drawn from the seed alone. */
    static float[] initialNoise(long seed, int count) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0));
        float[] noise = new float[count];
        for (int i = 0; i < count; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }
}
