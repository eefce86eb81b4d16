package dev.thinkdiff.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.nn.Scalars;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.train.AdamW;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingLoop;
import dev.thinkdiff.train.TrainingResult;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Contrastive training of the CLIP vision encoder against the frozen prompt encoder: a batch of distinct cells, one
 * model-training-range render and one of its texts ({@link ClipTexts}) each; the symmetric InfoNCE loss between the
 * image's projected pooled token and the text's mean-pooled sentence embedding (both unit length, logits cos / τ).
 * Only the vision encoder trains; the sentence embeddings of all texts are computed once.
 *
 * <p>Deterministic and resumable: step k's batch is a function of (seed, k).
 */
public final class ClipTraining {

    private static final long INIT_STREAM = 0;
    private static final long DATA_STREAM = 1;

    /** Step k's inputs: planar images [B, 3, 64, 64] and the unit sentence embeddings [B, E] of their texts. */
    record Batch(float[] images, float[] texts, int size) {
    }

    private ClipTraining() {
    }

    /**
     * Trains (or resumes) in {@code runDir}; at the end measures retrieval on benchmark-range renders.
     *
     * @param stopAfterStep stop (with a checkpoint) once this many steps are done; -1 runs to {@code config.steps()}
     */
    public static TrainingResult<ClipConfig> run(ClipConfig config, PromptEncoder encoder, Path runDir, boolean resume,
            int stopAfterStep) throws IOException {
        if (encoder.dimension() != config.embedDimension()) {
            throw new IllegalArgumentException("the embedding is " + config.embedDimension() + "-wide, the encoder's "
                    + encoder.dimension());
        }
        int lastStep = TrainingLoop.lastStep(config, stopAfterStep);
        float[][][] texts = sentenceEmbeddings(encoder, ClipTexts.all());
        long dataSeed = Seeds.mix(config.seed(), DATA_STREAM);
        try (NDManager manager = NDManager.newBaseManager();
                TrainingRun run = TrainingRun.open(runDir)) {
            ClipVisionNet net = ClipVisionNet.create(config, manager, Seeds.mix(config.seed(), INIT_STREAM));
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager, config.optimizerSettings())) {
                TrainingLoop.Outcome outcome = TrainingLoop.run(Components.CLIP_VISION, run, net, manager, optimizer, config,
                        lastStep, resume, step -> batch(config, texts, dataSeed, step),
                        (batch, arrays) -> loss(net, parameterStore, config, batch, arrays));
                return TrainingLoop.finish(outcome, run, net, config, ClipVision.PARAMETERS_FILE,
                        "clip-vision: symmetric InfoNCE", parameters -> {
                            try (ClipVision vision = ClipVision.load(config, parameters, "run:" + runDir)) {
                                ClipRetrieval retrieval = ClipRetrieval.run(vision, encoder, config.evalImages(),
                                        config.seed());
                                System.out.println(retrieval.table());
                                return retrieval.metrics();
                            }
                        }).withInput(Components.PROMPT_ENCODER, encoder.artifact());
            }
        }
    }

    /**
     * The contrastive targets: mean-pooled sentence embeddings, less the mean over every text of {@link ClipTexts}
     * (all captions of the world share one large direction, cosine ~0.6 between unrelated ones), at unit length:
     * [cell][text][E]. A fixed function of the frozen encoder.
     */
    static float[][][] sentenceEmbeddings(PromptEncoder encoder, List<List<String>> texts) {
        float[] centre = centre(encoder);
        float[][][] embeddings = new float[texts.size()][][];
        EncodedPrompts encoded = encoder.encode(texts.stream().flatMap(List::stream).toList());
        for (int c = 0, k = 0; c < texts.size(); c++) {
            embeddings[c] = new float[texts.get(c).size()][];
            for (int t = 0; t < texts.get(c).size(); t++, k++) {
                float[] pooled = encoded.meanPooled(k);
                for (int d = 0; d < pooled.length; d++) {
                    pooled[d] -= centre[d];
                }
                embeddings[c][t] = unit(pooled);
            }
        }
        return embeddings;
    }

    /** The mean sentence embedding of every text of every cell. */
    private static float[] centre(PromptEncoder encoder) {
        List<String> all = ClipTexts.all().stream().flatMap(List::stream).toList();
        EncodedPrompts encoded = encoder.encode(all);
        float[] mean = new float[encoded.dimension()];
        for (int k = 0; k < all.size(); k++) {
            float[] pooled = encoded.meanPooled(k);
            for (int d = 0; d < mean.length; d++) {
                mean[d] += pooled[d] / all.size();
            }
        }
        return mean;
    }

    /** Step k's batch: distinct cells, a model-training-range render and a random text of each. */
    static Batch batch(ClipConfig config, float[][][] texts, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        List<Cell> cells = BenchmarkImages.allCells();
        int size = Math.min(config.batchSize(), cells.size());
        int[] order = partialShuffle(cells.size(), size, random);
        WorldRenderer renderer = new WorldRenderer();
        List<int[]> images = new ArrayList<>(size);
        float[] sentences = new float[size * config.embedDimension()];
        for (int i = 0; i < size; i++) {
            Cell cell = cells.get(order[i]);
            images.add(renderer.renderPixels(cell, SeedRange.MODEL_TRAINING.seed(
                    random.nextLong(SeedRange.MODEL_TRAINING.size()))).clone()); // the renderer reuses its array
            float[][] cellTexts = texts[order[i]];
            System.arraycopy(cellTexts[random.nextInt(cellTexts.length)], 0, sentences,
                    i * config.embedDimension(), config.embedDimension());
        }
        return new Batch(ClipImages.planar(images), sentences, size);
    }

    /** The first {@code count} entries of a seeded Fisher-Yates shuffle of 0..n-1: distinct indices. */
    private static int[] partialShuffle(int n, int count, SplittableRandom random) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return Arrays.copyOf(indices, count);
    }

    private static NDArray loss(ClipVisionNet net, ParameterStore parameterStore, ClipConfig config, Batch batch,
            NDManager arrays) {
        NDArray images = arrays.create(batch.images(), new Shape(batch.size(), 3, WorldRenderer.SIZE,
                WorldRenderer.SIZE));
        NDArray embedding = net.embedding(parameterStore, net.tokens(parameterStore, images, true), true);
        NDArray texts = arrays.create(batch.texts(), new Shape(batch.size(), config.embedDimension()));
        return infoNce(unit(embedding), texts, config.temperature());
    }

    /**
     * Symmetric InfoNCE of matching rows: logits = images · textsᵀ / τ, the mean of the image→text and text→image
     * cross-entropies with row i's match at column i. Both inputs unit length [B, E].
     */
    static NDArray infoNce(NDArray images, NDArray texts, double temperature) {
        NDArray logits = Scalars.over(images.matMul(texts.transpose()), (float) temperature);
        NDArray diagonal = logits.getManager().eye(Math.toIntExact(logits.getShape().get(0)));
        NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum().neg();
        NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum().neg();
        return Scalars.over(imageToText.add(textToImage), 2f * logits.getShape().get(0));
    }

    static NDArray unit(NDArray vectors) {
        return vectors.div(vectors.square().sum(new int[] {-1}, true).add(1e-12f).sqrt());
    }

    static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / Math.sqrt(norm + 1e-12));
        }
        return unit;
    }
}
