package dev.thinkdiff.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MiniLM's lower-cased WordPiece tokenizer on its own, without special tokens, truncation or padding: the target
 * side of the LLM decoder (which predicts MiniLM word pieces, as flan-T5's decoder predicts T5's). Thread-safe.
 */
public final class MiniLmTokenizer implements AutoCloseable {

    public static final long PAD = 0;
    public static final long UNKNOWN = 100;
    /** [CLS]: also the LLM decoder's start-of-text token. */
    public static final long CLS = 101;
    /** [SEP]: also the LLM decoder's end-of-text token. */
    public static final long SEP = 102;
    public static final Map<Long, String> SPECIAL_TOKENS =
            Map.of(PAD, "[PAD]", UNKNOWN, "[UNK]", CLS, "[CLS]", SEP, "[SEP]");

    private final HuggingFaceTokenizer tokenizer;

    private MiniLmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static MiniLmTokenizer load() {
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try (InputStream json = MiniLmPromptEncoder.resource(MiniLmPromptEncoder.TOKENIZER_RESOURCE)) {
            return new MiniLmTokenizer(HuggingFaceTokenizer.newInstance(json, options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MiniLmPromptEncoder.TOKENIZER_RESOURCE, e);
        }
    }

    /** The word-piece ids of a text, no special tokens. */
    public long[] ids(String text) {
        return tokenizer.encode(text).getIds();
    }

    /** Every word piece (id → piece, e.g. 102 → "##s") that occurs in the texts. */
    public Map<Long, String> pieces(Collection<String> texts) {
        Map<Long, String> pieces = new TreeMap<>();
        for (Encoding encoding : tokenizer.batchEncode(List.copyOf(texts))) {
            long[] ids = encoding.getIds();
            String[] tokens = encoding.getTokens();
            for (int i = 0; i < ids.length; i++) {
                pieces.put(ids[i], tokens[i]);
            }
        }
        return pieces;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
