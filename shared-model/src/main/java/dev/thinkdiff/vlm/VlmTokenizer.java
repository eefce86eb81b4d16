package dev.thinkdiff.vlm;

import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns interleaved items into {@link TokenSequence}s over the shared {@link Vocabulary}. Texts are tokenised by
 * MiniLM's WordPiece tokenizer once and memoised (the world's texts are few); the memo is bounded, so a server fed
 * arbitrary texts does not grow. Thread-safe.
 */
final class VlmTokenizer {

    private static final int MEMO_LIMIT = 4096;

    private final MiniLmTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final int imageTokens;
    private final Map<String, int[]> memo = new ConcurrentHashMap<>();

    VlmTokenizer(MiniLmTokenizer tokenizer, Vocabulary vocabulary, int imageTokens) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.imageTokens = imageTokens;
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    int[] encode(String text) {
        int[] known = memo.get(text);
        if (known != null) {
            return known;
        }
        int[] tokens = vocabulary.encode(tokenizer, text);
        if (memo.size() < MEMO_LIMIT) {
            memo.put(text, tokens);
        }
        return tokens;
    }

    TokenSequence prompt(List<VlmItem> items) {
        return sequence(items, null);
    }

    /** The prompt followed by the answer's tokens and the end token (teacher forcing). */
    TokenSequence withAnswer(List<VlmItem> items, String answer) {
        return sequence(items, answer);
    }

    private TokenSequence sequence(List<VlmItem> items, String answer) {
        int[] tokens = new int[64];
        int[] types = new int[64];
        int length = 0;
        List<int[]> images = new ArrayList<>();
        tokens[length++] = vocabulary.startIndex();
        for (VlmItem item : items) {
            int[] piece;
            int type;
            if (item instanceof VlmItem.Text text) {
                piece = encode(text.text());
                type = VlmNet.TEXT_TYPE;
            } else {
                images.add(((VlmItem.Image) item).rgb());
                piece = new int[imageTokens];
                Arrays.fill(piece, vocabulary.padIndex());
                type = VlmNet.IMAGE_TYPE;
            }
            if (length + piece.length + 1 > tokens.length) {
                tokens = Arrays.copyOf(tokens, 2 * (length + piece.length + 1));
                types = Arrays.copyOf(types, tokens.length);
            }
            System.arraycopy(piece, 0, tokens, length, piece.length);
            Arrays.fill(types, length, length + piece.length, type);
            length += piece.length;
        }
        tokens[length++] = vocabulary.endIndex();
        int promptLength = length;
        int answerLength = 0;
        if (answer != null) {
            int[] answerTokens = encode(answer);
            answerLength = answerTokens.length + 1;
            tokens = Arrays.copyOf(tokens, length + answerLength);
            types = Arrays.copyOf(types, tokens.length);
            System.arraycopy(answerTokens, 0, tokens, length, answerTokens.length);
            tokens[tokens.length - 1] = vocabulary.endIndex();
            length = tokens.length;
        }
        return new TokenSequence(Arrays.copyOf(tokens, length), Arrays.copyOf(types, length), images, promptLength,
                answerLength);
    }
}
