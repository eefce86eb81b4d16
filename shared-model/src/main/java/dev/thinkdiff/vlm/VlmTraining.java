package dev.thinkdiff.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.nn.Scalars;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.SeedRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Trains the pocket VLM on paired in-context episodes and captions of MODEL_TRAINING renders
 * ({@link VlmTrainingData}): cross-entropy on the answer tokens and the end token of both, plus λ × (1 − cosine)
 * between the answer-position final-norm states of each episode and its caption (mode consistency, docs/design.md §3,
 * finding 2), plus an auxiliary image-label loss on every image (the vision encoder learns what it
 * sees directly, as a pretrained one would already know). Then evaluates it on benchmark-range renders
 * ({@link VlmEvaluation}).
 *
 * <p>Deterministic: step k's batch is a function of (seed, k) and the parameters start from a seeded initialisation,
 * so a run stopped and resumed from a checkpoint ends bit-identical to an unbroken one.
 */
public final class VlmTraining {

    private static final double INIT_STD = 0.02;
    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;
    private static final long VISION_INIT_STREAM = 2;

    /**
     * The published VLM a fine-tuning run starts from ({@link VlmConfig#initFrom()}): its parameters and vocabulary,
     * which the new version keeps (the embedding and output layers are sized by it).
     */
    public record Parent(String version, Path parameters, Path vocabulary) {
    }

    private VlmTraining() {
    }

    /**
     * Trains (or resumes) a VLM in {@code runDir} on all cells, and runs the full evaluation when it completes.
     *
     * @param resume continue from the newest checkpoint in {@code runDir} if there is one
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<VlmConfig> run(VlmConfig config, Parent parent, Path runDir, boolean resume,
            int stopAfterStep) throws IOException {
        VlmEvaluation.Settings full = VlmEvaluation.Settings.full();
        return run(config, parent, runDir, resume, stopAfterStep, cell -> true, full.with(full.captionSeedsPerCell(),
                config.evalPrompts(), WordingFamily.BENCHMARK, SeedRange.BENCHMARK));
    }

    /**
     * @param parent the version {@code config.initFrom()} names, or null when it names none
     * @param cells the expected cells training may use (tests narrow it)
     * @param evaluation what to evaluate on completion, or null for nothing
     */
    static TrainingResult<VlmConfig> run(VlmConfig config, Parent parent, Path runDir, boolean resume,
            int stopAfterStep, Predicate<Cell> cells, VlmEvaluation.Settings evaluation) throws IOException {
        if (config.initFrom().isEmpty() != (parent == null)
                || parent != null && !parent.version().equals(config.initFrom())) {
            throw new IllegalArgumentException("init_from '" + config.initFrom() + "' needs its published VLM, got "
                    + (parent == null ? "none" : parent.version()));
        }
        DjlRuntime.configure();
        try (MiniLmTokenizer miniLm = MiniLmTokenizer.load();
                NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            Vocabulary vocabulary = parent == null ? Vocabulary.ofWorld(miniLm) : Vocabulary.read(parent.vocabulary());
            Path vocabularyFile = runDir.resolve(Vocabulary.FILE_NAME);
            vocabulary.write(vocabularyFile);
            VlmTokenizer tokenizer = new VlmTokenizer(miniLm, vocabulary, config.imageTokens());
            VlmTrainingData data = new VlmTrainingData(config, tokenizer, Seeds.mix(config.seed(), DATA_STREAM),
                    cells);

            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, Seeds.mix(config.seed(), INIT_STREAM), INIT_STD);
            ParameterInit.heNormal(net.vision(), Seeds.mix(config.seed(), VISION_INIT_STREAM));
            if (parent != null) {
                TrainingRun.loadParameters(net, manager, parent.parameters());
            }
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                // the loop's batch thread prepares step k+1 (render, tokenise, pack) while step k trains
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.VLM, run, net, manager, optimizer, config,
                        TrainingLoop.lastStep(config, stopAfterStep), resume,
                        step -> prepare(data, config, vocabulary, step),
                        (batch, arrays) -> loss(net, parameterStore, batch, config, arrays));
                return TrainingLoop.finish(outcome, run, net, config, Vlm.PARAMETERS_FILE,
                        "VLM: answer cross-entropy + λ · (1 − mode cosine)", parameters -> {
                            Map<String, Double> metrics = new LinkedHashMap<>();
                            if (evaluation != null) {
                                try (Vlm vlm = Vlm.load(config, parameters, vocabularyFile)) {
                                    metrics.putAll(VlmEvaluation.run(vlm, evaluation).metrics());
                                }
                            }
                            metrics.put("parameter_bytes", (double) Files.size(parameters));
                            return metrics;
                        })
                        .withFile(Vocabulary.FILE_NAME, vocabularyFile)
                        .withInput(Components.PROMPT_ENCODER, promptEncoderArtifact());
            }
        }
    }

    /** A packed training batch: both halves' inputs and where their answer states are. */
    record Prepared(VlmInputs episodes, VlmInputs captions, Vlm.AnswerPositions episodeAnswers,
                    Vlm.AnswerPositions captionAnswers, int[] attributeLabels, int[] subjectLabels) {
    }

    static Prepared prepare(VlmTrainingData data, VlmConfig config, Vocabulary vocabulary, int step) {
        VlmTrainingData.Batch batch = data.batch(step);
        List<Cell> cells = batch.imageCells();
        int[] attributes = new int[cells.size()];
        int[] subjects = new int[cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            attributes[i] = cell.theme().ordinal() * ItemList.SIZE + cell.attribute();
            subjects[i] = (cell.theme().subjects() == ItemList.OBJECT ? 0 : ItemList.SIZE) + cell.subject();
        }
        return new Prepared(VlmInputs.of(batch.episodes(), vocabulary.padIndex(), config.imageTokens()),
                VlmInputs.of(batch.captions(), vocabulary.padIndex(), config.imageTokens()),
                Vlm.AnswerPositions.of(batch.episodes()), Vlm.AnswerPositions.of(batch.captions()), attributes,
                subjects);
    }

    /** Answer cross-entropy of both halves, plus the mode-consistency and image-label terms the config weighs. */
    static NDArray loss(VlmNet net, ParameterStore parameterStore, Prepared batch, VlmConfig config,
            NDManager stepManager) {
        NDList episodeInputs = batch.episodes().arrays(stepManager);
        NDList captionInputs = batch.captions().arrays(stepManager);
        // both halves' images in one vision pass, in the order of the image labels
        NDArray imageTokens = net.encodeImages(parameterStore, episodeInputs.get(3).concat(captionInputs.get(3), 0),
                true);
        int episodeImages = batch.episodes().imageCount();
        NDArray episodeStates = batch.episodeAnswers().gather(net.hiddenStates(parameterStore, episodeInputs,
                imageTokens.get(episodeImages > 0 ? "0:" + episodeImages : "0:0"), true));
        NDArray captionStates = batch.captionAnswers().gather(net.hiddenStates(parameterStore, captionInputs,
                imageTokens.get(episodeImages + ":"), true));
        NDArray logits = net.logits(parameterStore, episodeStates.concat(captionStates, 0), true);
        NDArray labels = stepManager.create(batch.episodeAnswers().labels())
                .concat(stepManager.create(batch.captionAnswers().labels()), 0);
        NDArray crossEntropy = VlmNet.crossEntropy(logits, labels);
        NDArray consistency = VlmNet.cosineDistance(episodeStates, captionStates);
        NDArray total = config.consistencyWeight() > 0
                ? crossEntropy.add(Scalars.times(consistency, (float) config.consistencyWeight())) : crossEntropy;
        if (config.imageLabelWeight() > 0) {
            NDArray imageLoss = VlmNet.imageLabelLoss(net.imageLabelLogits(parameterStore, imageTokens, true),
                    stepManager.create(batch.attributeLabels()), stepManager.create(batch.subjectLabels()));
            total = total.add(Scalars.times(imageLoss, (float) config.imageLabelWeight()));
        }
        return total;
    }

    /**
     * The MiniLM artifact id whose tokenizer the vocabulary derives from. The id hashes the ONNX file, which is read
     * (not run) for it; a second's work once per training run.
     */
    private static String promptEncoderArtifact() {
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            return encoder.artifact();
        }
    }
}
