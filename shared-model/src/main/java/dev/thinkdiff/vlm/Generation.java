package dev.thinkdiff.vlm;

/**
 * What the VLM generated for one prompt.
 *
 * @param text the decoded text (end token excluded)
 * @param tokens the generated vocabulary indices, in order, the end token included when it was generated
 * @param features for every generated token, the final-norm hidden state that predicted it ([tokens][D]): ThinkDiff's
 *     features. {@code features[0]} is the state at the prompt's closing [SEP]
 * @param inputStates the final-norm states of the prompt's own tokens ([prompt length][D]), image positions included:
 *     the paper's input-token ablation
 * @param finished the end token was generated (else the token limit stopped it)
 */
public record Generation(String text, int[] tokens, float[][] features, float[][] inputStates, boolean finished) {
}
