package dev.thinkdiff.vlm;

import java.util.List;

/**
 * One tokenised VLM sequence: {@code [CLS] items… [SEP]} then, for teacher forcing, {@code answer… [SEP]}. Image
 * items take {@code imageTokens} positions each, holding [PAD] in {@code tokens} and type {@link VlmNet#IMAGE_TYPE}.
 * The [SEP] that closes the prompt marks "answer here" in every mode, so the state that predicts the first answer
 * token always sits on the same token.
 *
 * @param promptLength tokens up to and including the prompt's closing [SEP]; answer token i is at promptLength + i
 * @param answerLength answer tokens plus the end token (0 for a bare prompt)
 */
record TokenSequence(int[] tokens, int[] types, List<int[]> images, int promptLength, int answerLength) {

    int length() {
        return tokens.length;
    }

    /** Positions whose states predict the answer tokens and the end token: promptLength − 1 …. */
    int firstAnswerState() {
        return promptLength - 1;
    }
}
