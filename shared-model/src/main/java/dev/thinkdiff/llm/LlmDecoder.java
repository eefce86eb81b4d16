package dev.thinkdiff.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trained pocket LLM decoder, frozen: reads prompt-encoder states and writes text. ThinkDiff's aligner trains
 * THROUGH it: {@link #crossEntropy} builds a graph in which gradients reach the states (if they require gradients)
 * while the decoder's own parameters never change.
 *
 * <p>{@link #generate} is thread-safe (serialised); the training-graph methods are meant for one training thread.
 * Close the decoder to free its native memory.
 */
public final class LlmDecoder implements AutoCloseable {

    /** The parameter file's name in a published decoder version. */
    public static final String PARAMETERS_FILE = "llm-decoder.params";

    private final LlmDecoderConfig config;
    private final Vocabulary vocabulary;
    private final MiniLmTokenizer tokenizer;
    private final NDManager manager;
    private final LlmDecoderNet net;
    private final ParameterStore parameterStore;

    private LlmDecoder(LlmDecoderConfig config, Vocabulary vocabulary, MiniLmTokenizer tokenizer, NDManager manager,
            LlmDecoderNet net) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.net = net;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Loads a published decoder: config from the manifest, its parameter and vocabulary files. */
    public static LlmDecoder load(LoadedModel model) {
        return load(LlmDecoderConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE),
                model.path(Vocabulary.FILE_NAME));
    }

    public static LlmDecoder load(LlmDecoderConfig config, Path parameters, Path vocabularyFile) {
        NDManager manager = NDManager.newBaseManager();
        MiniLmTokenizer tokenizer = null;
        try {
            Vocabulary vocabulary = Vocabulary.read(vocabularyFile);
            LlmDecoderNet net = LlmDecoderNet.create(config, vocabulary.size(), manager);
            TrainingRun.loadParameters(net, manager, parameters);
            net.freezeParameters(true);
            tokenizer = MiniLmTokenizer.load();
            return new LlmDecoder(config, vocabulary, tokenizer, manager, net);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load LLM decoder " + parameters, e);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
            throw e;
        }
    }

    public LlmDecoderConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The decoder's parameters, all frozen (no gradients), e.g. to check that training through it leaves them be. */
    public ParameterList parameters() {
        return net.getParameters();
    }

    /**
     * Next-token logits [B, L, V] of teacher-forced token indices [B, L] given states [B, T, M] and mask [B, T];
     * a training-mode graph (arrays belong to the inputs' manager).
     */
    public NDArray forward(NDArray tokens, NDArray states, NDArray stateMask) {
        return net.forward(parameterStore, tokens, states, stateMask, true);
    }

    /** Teacher-forcing arrays for target texts (tokenised to the vocabulary, end token appended). */
    public TargetTokens targets(List<String> texts) {
        List<int[]> indices = texts.stream().map(text -> vocabulary.encode(tokenizer, text)).toList();
        return TargetTokens.of(indices, vocabulary, config.maxTargetTokens());
    }

    /**
     * Mean token cross-entropy of the targets (end token included) given the states: ThinkDiff's training loss.
     * Differentiable in {@code states}; the decoder's parameters are frozen.
     */
    public NDArray crossEntropy(NDArray states, NDArray stateMask, List<String> targets) {
        NDManager arrays = states.getManager();
        TargetTokens tokens = targets(targets);
        NDArray logits = forward(tokens.inputArray(arrays), states, stateMask);
        return LlmDecoderNet.crossEntropy(logits, tokens.labelArray(arrays), vocabulary.padIndex());
    }

    /** Greedy decoding of prompt-encoder output, one text per prompt. */
    public List<String> generate(EncodedPrompts prompts, int maxTokens) {
        try (NDManager scope = manager.newSubManager()) {
            Shape shape = new Shape(prompts.batchSize(), prompts.sequenceLength());
            NDArray states = scope.create(prompts.states(), shape.add(prompts.dimension()));
            return generate(states, scope.create(prompts.mask(), shape), maxTokens);
        }
    }

    /**
     * Greedy decoding: from [CLS], append the most likely token until [SEP] or {@code maxTokens} tokens.
     *
     * @param states [B, T, M]
     * @param stateMask [B, T], 1 at real tokens
     */
    public synchronized List<String> generate(NDArray states, NDArray stateMask, int maxTokens) {
        int batch = Math.toIntExact(states.getShape().get(0));
        int steps = Math.min(maxTokens, config.maxTargetTokens());
        boolean[] finished = new boolean[batch];
        int[] tokens = new int[batch];
        Arrays.fill(tokens, vocabulary.startIndex());
        int length = 1;
        for (int step = 0; step < steps && !allTrue(finished); step++) {
            int[] next;
            // the scope also frees what the step computes from the caller's states (attached to their manager)
            try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
                NDArray input = scope.create(tokens, new Shape(batch, length));
                NDArray logits = net.forward(parameterStore, input, states, stateMask, false);
                next = logits.get(":, -1, :").argMax(-1).toType(DataType.INT32, false)
                        .toIntArray();
                temporaries.suppressNotUsedWarning();
            }
            int[] longer = new int[batch * (length + 1)];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(tokens, i * length, longer, i * (length + 1), length);
                longer[i * (length + 1) + length] = finished[i] ? vocabulary.padIndex() : next[i];
                finished[i] |= next[i] == vocabulary.endIndex();
            }
            tokens = longer;
            length++;
        }
        List<String> texts = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            texts.add(vocabulary.decode(Arrays.copyOfRange(tokens, i * length, (i + 1) * length)));
        }
        return texts;
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean value : values) {
            if (!value) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        tokenizer.close();
        manager.close();
    }
}
