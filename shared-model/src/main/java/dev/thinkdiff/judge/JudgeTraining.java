package dev.thinkdiff.judge;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains the CoBSAT judge on {@link SeedRange#JUDGE_TRAINING} renders only (cells uniform over all 500), with AdamW
 * on the summed cross-entropy of both questions, then evaluates it on fresh benchmark-range renders.
 *
 * <p>Deterministic: step k's batch is a function of (config seed, k) alone and the parameters start from a seeded
 * initialisation, so a run stopped and resumed from a checkpoint ends bit-identical to an unbroken one.
 */
public final class JudgeTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /** A training batch: images with themes, and the 0-based attribute and subject labels. */
    record LabelledBatch(JudgeImages images, int[] attributes, int[] subjects) {
    }

    private JudgeTraining() {
    }

    /**
     * Trains (or resumes) a judge in {@code runDir}.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<JudgeConfig> run(JudgeConfig config, Path runDir, boolean resume,
            int stopAfterStep) throws IOException {
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            JudgeNet net = JudgeNet.create(config, manager);
            ParameterInit.heNormal(net, Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                // the loop's batch thread renders step k+1 while step k trains
                WorldRenderer renderer = new WorldRenderer();
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.JUDGE, run, net, manager, optimizer, config,
                        TrainingLoop.lastStep(config, stopAfterStep), resume,
                        step -> trainingBatch(renderer, config, dataSeed, step),
                        (batch, arrays) -> JudgeNet.loss(
                                net.forward(parameterStore, batch.images().inputs(arrays), true).singletonOrThrow(),
                                arrays.create(batch.attributes()), arrays.create(batch.subjects())));
                return TrainingLoop.finish(outcome, run, net, config, Judge.PARAMETERS_FILE,
                        "judge: summed cross-entropy of both questions", parameters -> {
                            try (Judge judge = Judge.load(config, parameters)) {
                                JudgeEvaluation.Result evaluation = JudgeEvaluation.run(judge, config.evalImages(),
                                        config.evalSeedOffset());
                                System.out.println(evaluation.table());
                                return evaluation.metrics();
                            }
                        });
            }
        }
    }

    /** The batch of step {@code step}: a pure function of (dataSeed, step). */
    static LabelledBatch trainingBatch(WorldRenderer renderer, JudgeConfig config, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<Theme> themes = config.trainingThemes();
        int batchSize = config.batchSize();
        JudgeImages images = new JudgeImages(batchSize);
        int[] attributes = new int[batchSize];
        int[] subjects = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            Theme theme = themes.get(random.nextInt(themes.size()));
            Cell cell = new Cell(theme, random.nextInt(ItemList.SIZE), random.nextInt(ItemList.SIZE));
            long seed = SeedRange.JUDGE_TRAINING.seed(random.nextLong(SeedRange.JUDGE_TRAINING.size()));
            images.set(i, renderer.renderPixels(cell, seed), theme);
            attributes[i] = cell.attribute();
            subjects[i] = cell.subject();
        }
        return new LabelledBatch(images, attributes, subjects);
    }
}
