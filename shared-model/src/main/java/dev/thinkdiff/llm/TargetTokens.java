package dev.thinkdiff.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.text.Vocabulary;
import java.util.Arrays;
import java.util.List;

/**
 * Teacher-forcing arrays for a batch of target texts (vocabulary indices t1..tn): decoder inputs
 * {@code [start, t1, …, tn]} and labels {@code [t1, …, tn, end]}, both [B, L] int, right-padded with [PAD].
 */
public record TargetTokens(int[] inputs, int[] labels, int batchSize, int length) {

    /**
     * @param targets vocabulary indices per text, without start or end token
     * @param maxTokens longest allowed label row (end token included); longer targets are cut, keeping the end token
     */
    public static TargetTokens of(List<int[]> targets, Vocabulary vocabulary, int maxTokens) {
        int length = 1;
        for (int[] target : targets) {
            length = Math.max(length, Math.min(target.length + 1, maxTokens));
        }
        int[] inputs = new int[targets.size() * length];
        int[] labels = new int[targets.size() * length];
        Arrays.fill(inputs, vocabulary.padIndex());
        Arrays.fill(labels, vocabulary.padIndex());
        for (int i = 0; i < targets.size(); i++) {
            int[] target = targets.get(i);
            int kept = Math.min(target.length, length - 1);
            int row = i * length;
            inputs[row] = vocabulary.startIndex();
            System.arraycopy(target, 0, inputs, row + 1, kept);
            System.arraycopy(target, 0, labels, row, kept);
            labels[row + kept] = vocabulary.endIndex();
        }
        return new TargetTokens(inputs, labels, targets.size(), length);
    }

    public NDArray inputArray(NDManager manager) {
        return manager.create(inputs, new Shape(batchSize, length));
    }

    public NDArray labelArray(NDManager manager) {
        return manager.create(labels, new Shape(batchSize, length));
    }
}
