package dev.thinkdiff.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Feeds a {@link TokenBatch} to a BERT-style ONNX encoder and returns its token states [B, T, D] flat. Inputs are
 * named as in the graph, so their order does not matter; the batch is already padded, hence no batchifier.
 */
final class BertEncoderTranslator implements NoBatchifyTranslator<TokenBatch, float[]> {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    @Override
    public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch.batchSize(), batch.sequenceLength());
        return new NDList(
                named(manager.create(batch.inputIds(), shape), INPUT_IDS),
                named(manager.create(batch.attentionMask(), shape), ATTENTION_MASK),
                named(manager.create(batch.tokenTypeIds(), shape), TOKEN_TYPE_IDS));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray states = outputs.get(LAST_HIDDEN_STATE);
        if (states == null) {
            throw new IllegalStateException("the encoder returned no " + LAST_HIDDEN_STATE + " output");
        }
        return states.toFloatArray();
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }
}
