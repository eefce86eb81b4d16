package dev.thinkdiff.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.WorldRenderer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained CoBSAT judge: answers a theme's two multiple-choice questions about 64×64 images.
 *
 * <p>Thread-safe: calls are serialised on the instance (one network, whose PyTorch ops already use every core), so
 * share one judge per process. Close it to free its native memory.
 */
public final class Judge implements AutoCloseable {

    /** The parameter file's name in a published judge version. */
    public static final String PARAMETERS_FILE = "judge.params";

    /** Images per forward pass; bounds native memory for large batched calls. */
    private static final int MAX_BATCH = 256;

    private final NDManager manager;
    private final JudgeNet net;
    private final ParameterStore parameterStore;
    private final JudgeConfig config;

    private Judge(JudgeConfig config, NDManager manager, JudgeNet net) {
        this.config = config;
        this.manager = manager;
        this.net = net;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Loads a published judge (frozen): config from the manifest, parameters from its {@value #PARAMETERS_FILE}. */
    public static Judge load(LoadedModel model) {
        return load(JudgeConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE));
    }

    public static Judge load(JudgeConfig config, Path parameters) {
        NDManager manager = NDManager.newBaseManager();
        try {
            JudgeNet net = JudgeNet.create(config, manager);
            TrainingRun.loadParameters(net, manager, parameters);
            // frozen like every other served model: a request thread (grad mode on) would otherwise record an
            // autograd graph over the parameters at each call, native memory that made the score function grow
            net.freezeParameters(true);
            return new Judge(config, manager, net);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load judge parameters " + parameters, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public JudgeConfig config() {
        return config;
    }

    /** Answers for one image given as packed 0xRRGGBB pixels, row-major 64×64. */
    public JudgeAnswer answer(int[] pixels, Theme theme) {
        return answerAll(List.of(pixels), List.of(theme)).get(0);
    }

    /** Answers for an image of any size (scaled to 64×64 first). */
    public JudgeAnswer answer(BufferedImage image, Theme theme) {
        return answer(pixelsOf(image), theme);
    }

    /**
     * The benchmark's verdict on an image generated for {@code task} that should show {@code expected}: the judge
     * answers the expected theme's two questions and the answers are scored as CoBSAT scores them.
     */
    public Judgement score(int[] pixels, Task task, Cell expected) {
        JudgeAnswer answer = answer(pixels, expected.theme());
        return Judgement.of(task, expected, answer.attributeOption(), answer.subjectOption());
    }

    /** Answers for each image with its theme, in order. */
    public synchronized List<JudgeAnswer> answerAll(List<int[]> images, List<Theme> themes) {
        if (images.size() != themes.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + themes.size() + " themes");
        }
        List<JudgeAnswer> answers = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += MAX_BATCH) {
            int to = Math.min(images.size(), from + MAX_BATCH);
            answers.addAll(answerBatch(JudgeImages.of(images.subList(from, to), themes.subList(from, to))));
        }
        return answers;
    }

    private List<JudgeAnswer> answerBatch(JudgeImages batch) {
        try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
            NDArray logits = net.forward(parameterStore, batch.inputs(scope), false).singletonOrThrow();
            float[] attribute = JudgeNet.attributeLogits(logits).softmax(1).toFloatArray();
            float[] subject = JudgeNet.subjectLogits(logits).softmax(1).toFloatArray();
            List<JudgeAnswer> answers = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                int attributeIndex = argMax(attribute, i * JudgeNet.OPTIONS);
                int subjectIndex = argMax(subject, i * JudgeNet.OPTIONS);
                answers.add(new JudgeAnswer(attributeIndex + 1, attribute[i * JudgeNet.OPTIONS + attributeIndex],
                        subjectIndex + 1, subject[i * JudgeNet.OPTIONS + subjectIndex]));
            }
            return answers;
        }
    }

    private static int argMax(float[] values, int offset) {
        int best = 0;
        for (int k = 1; k < JudgeNet.OPTIONS; k++) {
            if (values[offset + k] > values[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    static int[] pixelsOf(BufferedImage image) {
        int size = WorldRenderer.SIZE;
        BufferedImage rgb = image;
        if (image.getWidth() != size || image.getHeight() != size || image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, size, size, null);
            } finally {
                g.dispose();
            }
        }
        return rgb.getRGB(0, 0, size, size, null, 0, size);
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
