package dev.thinkdiff.text;

/** Tokenized texts as the BERT graph takes them: three [batchSize, sequenceLength] int64 tensors, flat row-major. */
record TokenBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int batchSize, int sequenceLength) {
}
