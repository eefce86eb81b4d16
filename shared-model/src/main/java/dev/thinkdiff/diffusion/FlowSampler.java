package dev.thinkdiff.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.train.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Integrates the rectified-flow ODE dx/dt = v(x, t) from pure noise (t = 1) to an image latent (t = 0) over evenly
 * spaced t, with classifier-free guidance v = v∅ + s·(v_c − v∅) (s = 1 is the conditional velocity alone and skips the
 * unconditional pass). Two solvers: Euler as FLUX samples, x_{t−Δ} = x_t − Δ·v(x_t, t), one denoiser pass per step;
 * and Heun's second-order correction x_{t−Δ} = x_t − Δ/2·(v(x_t, t) + v(x̃, t−Δ)) with x̃ the Euler estimate, two
 * passes per step except the last, which stays Euler (as in EDM: the velocity at t = 0 is barely trained).
 *
 * <p>Deterministic: image i's starting noise is drawn in Java from {@code seeds[i]} alone, so an image does not depend
 * on the batch it is sampled in, and the same seed gives the same image on the same machine.
 */
public final class FlowSampler {

    /** How each step integrates. */
    public enum Solver {
        EULER, HEUN;

        /** Denoiser passes (each a batch of conditional and unconditional rows) to sample one image. */
        public int passes(int steps) {
            return this == EULER ? steps : 2 * steps - 1;
        }

        public static Solver byId(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What the caller chooses per request. */
    public record Settings(int steps, double guidanceScale, Solver solver) {

        public Settings {
            if (steps < 1 || guidanceScale < 0 || solver == null) {
                throw new IllegalArgumentException("steps " + steps + ", guidance " + guidanceScale + ", solver "
                        + solver);
            }
        }

        public Settings(int steps, double guidanceScale) {
            this(steps, guidanceScale, Solver.EULER);
        }

        public static Settings of(DiffusionConfig config) {
            return new Settings(config.sampleSteps(), config.guidanceScale());
        }

        public int passes() {
            return solver.passes(steps);
        }
    }

    private final DiffusionTransformer net;
    private final ParameterStore parameterStore;

    public FlowSampler(DiffusionTransformer net, ParameterStore parameterStore) {
        this.net = net;
        this.parameterStore = parameterStore;
    }

    /**
     * Latents [B, C, H, W] (flat) for the prompts, one seed per prompt. Everything the steps share (the guidance
     * batch, the prompt's keys and values, every step's modulations) is computed once before the first step, and
     * the latents stay in the engine until the last.
     */
    public float[] sample(NDManager manager, PromptEmbedding prompts, long[] seeds, Settings settings) {
        DiffusionConfig config = net.config();
        int batch = prompts.batchSize();
        if (seeds.length != batch) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + batch + " prompts");
        }
        int perImage = config.latentFloats();
        float[] noise = new float[batch * perImage];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(initialNoise(seeds[i], perImage), 0, noise, i * perImage, perImage);
        }
        boolean guided = settings.guidanceScale() != 1.0;
        int rows = guided ? 2 * batch : batch;
        int steps = settings.steps();
        boolean heun = settings.solver() == Solver.HEUN;
        float dt = 1f / steps;
        // Euler reads t_0..t_{S−1}; Heun's corrector also reads t_{i+1}, up to t_{S−1} (its last step is Euler)
        float[] times = new float[steps * rows];
        for (int step = 0; step < steps; step++) {
            Arrays.fill(times, step * rows, (step + 1) * rows, 1f - step * dt);
        }
        try (NDManager run = manager.newSubManager(); NDScope temporaries = new NDScope()) {
            NDArray states = run.create(prompts.states(), new Shape(batch, prompts.length(), prompts.dimension()));
            NDArray mask = run.create(prompts.mask(), new Shape(batch, prompts.length()));
            // with guidance: one pass over [conditional; unconditional], the second half on the null prompt
            NDArray drop = guided ? run.zeros(new Shape(batch)).concat(run.ones(new Shape(batch))) : null;
            DiffusionTransformer.Conditioning conditioning = net.condition(parameterStore,
                    run.create(times, new Shape(steps, rows)), guided ? states.concat(states) : states,
                    guided ? mask.concat(mask) : mask, drop, false);
            // in patch space throughout: patchify once here, unpatchify once after the last step
            NDArray x = net.patchify(run.create(noise, new Shape(batch, config.latentChannels(), config.latentSize(),
                    config.latentSize())));
            NDArray stepSize = run.create(dt);
            NDArray halfStep = run.create(dt / 2);
            NDArray guidance = guided ? run.create((float) settings.guidanceScale()) : null;
            for (int step = 0; step < steps; step++) {
                try (NDScope stepTemporaries = new NDScope()) {
                    NDArray velocity = velocity(x, conditioning, step, guidance);
                    NDArray next;
                    if (heun && step + 1 < steps) {
                        NDArray predicted = x.sub(velocity.mul(stepSize));
                        NDArray corrected = velocity.add(velocity(predicted, conditioning, step + 1, guidance));
                        next = x.sub(corrected.mul(halfStep));
                    } else {
                        next = x.sub(velocity.mul(stepSize));
                    }
                    NDScope.unregister(next);
                    x = next;
                }
            }
            return net.unpatchify(x).toFloatArray();
        }
    }

    /**
     * The guided velocity v∅ + s·(v_c − v∅) at one step, or the conditional one without guidance (null), of patches
     * [B, N, p·p·C].
     */
    private NDArray velocity(NDArray patches, DiffusionTransformer.Conditioning conditioning, int step,
            NDArray guidance) {
        if (guidance == null) {
            return net.forwardPatches(parameterStore, patches, conditioning, step, false);
        }
        NDList both = net.forwardPatches(parameterStore, patches.concat(patches), conditioning, step, false)
                .split(2);
        NDArray conditional = both.get(0);
        NDArray unconditional = both.get(1);
        return unconditional.add(conditional.sub(unconditional).mul(guidance));
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
