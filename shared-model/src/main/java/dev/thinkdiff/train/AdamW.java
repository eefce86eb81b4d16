package dev.thinkdiff.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter) in plain NDArray ops, because DJL's optimizers cannot save their state. Weight decay
 * is decoupled and applies only to parameters with ≥ 2 dims (kernels, matrices), never to biases or norm gains.
 * The state (step, first and second moments) saves to and loads from one NDList file, bit-exactly.
 *
 * <p>Call {@link #step()} after {@code GradientCollector.backward} and outside the collector: it updates the
 * parameters in place and zeroes their gradients (DJL's PyTorch engine accumulates them).
 */
public final class AdamW implements AutoCloseable {

    /**
     * The optimiser's hyper-parameters; the learning rate comes from the schedule.
     *
     * @param maxGradientNorm when positive, gradients whose global L2 norm exceeds it are scaled down to it before the
     *     update (one loss spike then cannot throw the weights out of their basin); 0 leaves them as they are
     */
    public record Settings(LearningRateSchedule schedule, double beta1, double beta2, double epsilon,
                           double weightDecay, double maxGradientNorm) {

        public Settings {
            if (maxGradientNorm < 0) {
                throw new IllegalArgumentException("maxGradientNorm must be >= 0 (0: no clipping)");
            }
        }

        public static Settings of(LearningRateSchedule schedule, double weightDecay) {
            return new Settings(schedule, 0.9, 0.999, 1e-8, weightDecay, 0);
        }

        public Settings withGradientClipping(double maxNorm) {
            return new Settings(schedule, beta1, beta2, epsilon, weightDecay, maxNorm);
        }
    }

    private final Settings settings;
    private final NDManager stateManager;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private int step;

    /** Tracks every trainable parameter of {@code parameterList}; the moments live in a sub-manager of {@code manager}. */
    public AdamW(ParameterList parameterList, NDManager manager, Settings settings) {
        this.settings = settings;
        this.stateManager = manager.newSubManager();
        for (Pair<String, Parameter> entry : parameterList) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            names.add(entry.getKey());
            parameters.add(parameter);
            firstMoments.add(stateManager.zeros(parameter.getArray().getShape()));
            secondMoments.add(stateManager.zeros(parameter.getArray().getShape()));
        }
    }

    /** Number of updates applied so far. */
    public int stepCount() {
        return step;
    }

    /** The learning rate the next update will use. */
    public double currentLearningRate() {
        return settings.schedule().at(step);
    }

    /** Applies one update from the parameters' current gradients, then zeroes them. */
    public void step() {
        double lr = settings.schedule().at(step);
        step++;
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float secondCorrection = (float) (1 / (1 - Math.pow(beta2, step)));
        float decay = (float) (1 - lr * settings.weightDecay());
        try (NDScope temporaries = new NDScope()) {
            float clipScale = clipScale();
            for (int i = 0; i < parameters.size(); i++) {
                NDArray weight = parameters.get(i).getArray();
                NDArray gradient = weight.getGradient();
                if (clipScale < 1) {
                    gradient.muli(clipScale);
                }
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
                if (weight.getShape().dimension() >= 2) {
                    weight.muli(decay);
                }
                NDArray denominator = v.mul(secondCorrection).sqrt().addi((float) settings.epsilon());
                weight.subi(m.mul(stepSize).divi(denominator));
                gradient.subi(gradient);
            }
            temporaries.suppressNotUsedWarning();
        }
    }

    /** The factor that brings the gradients' global norm down to the limit: 1 when within it or not clipping. */
    private float clipScale() {
        if (settings.maxGradientNorm() <= 0) {
            return 1;
        }
        NDArray squares = null;
        for (Parameter parameter : parameters) {
            NDArray sum = parameter.getArray().getGradient().square().sum();
            squares = squares == null ? sum : squares.add(sum);
        }
        double norm = squares == null ? 0 : Math.sqrt(squares.getFloat());
        return norm > settings.maxGradientNorm() ? (float) (settings.maxGradientNorm() / norm) : 1;
    }

    /** Writes step and moments (named by parameter) as one NDList file. */
    public void save(Path file) throws IOException {
        NDList state = new NDList();
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray stepArray = scratch.create(new long[] {step});
            stepArray.setName("step");
            state.add(stepArray);
            for (int i = 0; i < names.size(); i++) {
                firstMoments.get(i).setName(names.get(i) + ".m");
                secondMoments.get(i).setName(names.get(i) + ".v");
                state.add(firstMoments.get(i));
                state.add(secondMoments.get(i));
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                state.encode(out);
            }
        }
    }

    /** Restores what {@link #save} wrote; the optimiser must track the same parameters (same names and shapes). */
    public void load(Path file) throws IOException {
        NDList state;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            state = NDList.decode(stateManager, in);
        }
        if (state.size() != 1 + 2 * names.size()) {
            throw new IOException(file + " holds " + state.size() + " arrays; expected " + (1 + 2 * names.size()));
        }
        for (int i = 0; i < names.size(); i++) {
            NDArray m = state.get(1 + 2 * i);
            NDArray v = state.get(2 + 2 * i);
            requireMatch(file, names.get(i) + ".m", m, firstMoments.get(i));
            requireMatch(file, names.get(i) + ".v", v, secondMoments.get(i));
            firstMoments.set(i, m).close();
            secondMoments.set(i, v).close();
        }
        step = Math.toIntExact(state.get(0).toLongArray()[0]);
        state.get(0).close();
    }

    private static void requireMatch(Path file, String name, NDArray loaded, NDArray current) throws IOException {
        if (!name.equals(loaded.getName()) || !loaded.getShape().equals(current.getShape())) {
            throw new IOException(file + ": expected " + name + " " + current.getShape() + ", found "
                    + loaded.getName() + " " + loaded.getShape());
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
