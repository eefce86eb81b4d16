package dev.thinkdiff.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trained pocket VLM, frozen: reads interleaved texts and images, generates text, and exposes the final-norm state
 * that predicted every generated token (ThinkDiff's features) and the prompt tokens' states.
 *
 * <p>Generation runs prompts of equal token length together in lock-step with a key-value cache (no padding, so no
 * masks); {@link #generate} groups a call's prompts by length itself. Thread-safe: calls may run concurrently (each
 * has its own arrays and parameter store; the weights are only read). Close the model, after its last call, to free
 * its native memory.
 */
public final class Vlm implements AutoCloseable {

    /** The parameter file's name in a published VLM version. */
    public static final String PARAMETERS_FILE = "vlm.params";

    /** Prompts run together at most. */
    private static final int BATCH = 128;

    private final VlmConfig config;
    private final Vocabulary vocabulary;
    private final MiniLmTokenizer tokenizer;
    private final VlmTokenizer prompts;
    private final NDManager manager;
    private final VlmNet net;

    private Vlm(VlmConfig config, Vocabulary vocabulary, MiniLmTokenizer tokenizer, NDManager manager, VlmNet net) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.prompts = new VlmTokenizer(tokenizer, vocabulary, config.imageTokens());
        this.manager = manager;
        this.net = net;
    }

    /** Loads a published VLM: config from the manifest, its parameter and vocabulary files. */
    public static Vlm load(LoadedModel model) {
        return load(VlmConfig.CODEC.fromMap(model.manifest().config()), model.path(PARAMETERS_FILE),
                model.path(Vocabulary.FILE_NAME));
    }

    public static Vlm load(VlmConfig config, Path parameters, Path vocabularyFile) {
        DjlRuntime.configure();
        NDManager manager = NDManager.newBaseManager();
        MiniLmTokenizer tokenizer = null;
        try {
            Vocabulary vocabulary = Vocabulary.read(vocabularyFile);
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            TrainingRun.loadParameters(net, manager, parameters);
            net.freezeParameters(true);
            tokenizer = MiniLmTokenizer.load();
            return new Vlm(config, vocabulary, tokenizer, manager, net);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load VLM " + parameters, e);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
            throw e;
        }
    }

    public VlmConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The feature width D. */
    public int dimension() {
        return config.width();
    }

    /** The length of a prompt in the VLM's tokens (image tokens included); it must leave room for an answer. */
    public int promptTokens(List<VlmItem> prompt) {
        return prompts.prompt(prompt).length();
    }

    public Generation generateOne(List<VlmItem> prompt, Sampling sampling, int maxNewTokens) {
        return generate(List.of(prompt), sampling, maxNewTokens).get(0);
    }

    /**
     * Generates for every prompt (any mix of lengths); results in the prompts' order. Prompt i samples from the
     * stream {@code Seeds.mix(sampling.seed(), i)}.
     */
    public List<Generation> generate(List<List<VlmItem>> prompts, Sampling sampling, int maxNewTokens) {
        long[] streams = new long[prompts.size()];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = Seeds.mix(sampling.seed(), i);
        }
        return generate(prompts, sampling, streams, maxNewTokens);
    }

    /**
     * Generates for every prompt, prompt i sampling from its own stream {@code streams[i]} (ignored when greedy), so
     * that a prompt's text does not depend on what it was batched with.
     */
    public List<Generation> generate(List<List<VlmItem>> prompts, Sampling sampling, long[] streams,
            int maxNewTokens) {
        if (streams.length != prompts.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + streams.length + " seeds");
        }
        List<TokenSequence> sequences = prompts.stream().map(this.prompts::prompt).toList();
        List<TokenSequence> contrasts = sampling.queryContrast() > 0 ? prompts.stream().map(this::withoutQuery).toList()
                : null;
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int i = 0; i < sequences.size(); i++) {
            int length = sequences.get(i).length();
            if (length >= config.maxPositions()) {
                throw new IllegalArgumentException("prompt " + i + " has " + length + " tokens; the VLM reads at most "
                        + (config.maxPositions() - 1));
            }
            byLength.computeIfAbsent(length, l -> new ArrayList<>()).add(i);
        }
        Generation[] results = new Generation[sequences.size()];
        for (List<Integer> group : byLength.values()) {
            for (int from = 0; from < group.size(); from += BATCH) {
                List<Integer> chunk = group.subList(from, Math.min(group.size(), from + BATCH));
                List<Generation> generated = generateLockStep(chunk.stream().map(sequences::get).toList(),
                        contrasts == null ? null : chunk.stream().map(contrasts::get).toList(),
                        chunk.stream().map(i -> sampling.greedy() ? null
                                : new SplittableRandom(streams[i])).toList(),
                        sampling, maxNewTokens);
                for (int j = 0; j < chunk.size(); j++) {
                    results[chunk.get(j)] = generated.get(j);
                }
            }
        }
        return List.of(results);
    }

    /** The prompt without its final text item (the query), or null if it does not end in a text after something. */
    private TokenSequence withoutQuery(List<VlmItem> prompt) {
        if (prompt.size() < 2 || !(prompt.get(prompt.size() - 1) instanceof VlmItem.Text)) {
            return null;
        }
        return prompts.prompt(prompt.subList(0, prompt.size() - 1));
    }

    /**
     * Prompts of one length, decoded together: one prefill, then one cached step per new token.
     *
     * @param contrasts with query-contrastive decoding, each prompt without its query (null: that prompt has none);
     *     null without
     */
    private List<Generation> generateLockStep(List<TokenSequence> sequences, List<TokenSequence> contrasts,
            List<SplittableRandom> randoms, Sampling sampling, int maxNewTokens) {
        int batch = sequences.size();
        int promptLength = sequences.get(0).length();
        int width = config.width();
        int steps = Math.min(maxNewTokens, config.maxPositions() - promptLength);
        ParameterStore parameterStore = new ParameterStore(manager, false);
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<float[]>> features = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            tokens.add(new ArrayList<>());
            features.add(new ArrayList<>());
        }
        boolean[] finished = new boolean[batch];
        float[] inputStates;
        // Operations on parameters may attach their results to the model's long-lived manager, so nothing here is
        // left to a manager: step temporaries die with their NDScope, the key-value cache is closed explicitly.
        try (NDManager scope = manager.newSubManager();
                QueryContrast contrast = contrasts == null ? null
                        : new QueryContrast(contrasts, parameterStore, scope)) {
            VlmNet.Decoding decoding = prefill(sequences, parameterStore, scope);
            try {
                inputStates = decoding.states().toFloatArray();
                for (int step = 0; step < steps; step++) {
                    float[] states;
                    float[] logits;
                    try (NDScope temporaries = new NDScope()) {
                        NDArray last = step == 0 ? decoding.states().get(":, -1:, :") : decoding.states();
                        states = last.toFloatArray(); // [B, 1, D]
                        logits = net.logits(parameterStore, last, false).toFloatArray();
                    }
                    int vocabularySize = logits.length / batch;
                    if (contrast != null) {
                        contrast.apply(logits, vocabularySize, sampling.queryContrast(), step);
                    }
                    int[] next = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        if (finished[b]) {
                            next[b] = vocabulary.endIndex();
                            continue;
                        }
                        float[] row = Arrays.copyOfRange(logits, b * vocabularySize, (b + 1) * vocabularySize);
                        next[b] = choose(row, sampling, randoms.get(b));
                        tokens.get(b).add(next[b]);
                        features.get(b).add(Arrays.copyOfRange(states, b * width, (b + 1) * width));
                        finished[b] = next[b] == vocabulary.endIndex();
                    }
                    if (allTrue(finished) || step == steps - 1) {
                        break;
                    }
                    decoding = step(decoding, next, promptLength + step, parameterStore, scope);
                    if (contrast != null) {
                        contrast.step(next, step);
                    }
                }
            } finally {
                close(decoding);
            }
        }
        List<Generation> generations = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] ids = tokens.get(b).stream().mapToInt(Integer::intValue).toArray();
            float[][] inputs = new float[promptLength][];
            for (int t = 0; t < promptLength; t++) {
                int offset = (b * promptLength + t) * width;
                inputs[t] = Arrays.copyOfRange(inputStates, offset, offset + width);
            }
            generations.add(new Generation(vocabulary.decode(ids), ids, features.get(b).toArray(float[][]::new),
                    inputs, finished[b]));
        }
        return generations;
    }

    /** Prompts of one length read at once: the cache and every position's state, kept past the temporaries. */
    private VlmNet.Decoding prefill(List<TokenSequence> sequences, ParameterStore parameterStore, NDManager scope) {
        try (NDScope temporaries = new NDScope()) {
            NDList inputs = VlmInputs.of(sequences, vocabulary.padIndex(), config.imageTokens(), true).arrays(scope);
            VlmNet.Decoding decoding = net.prefill(parameterStore, inputs);
            unregister(decoding);
            return decoding;
        }
    }

    /** One cached step: the tokens at {@code position} appended; the previous decoding closed. */
    private VlmNet.Decoding step(VlmNet.Decoding previous, int[] tokens, long position, ParameterStore parameterStore,
            NDManager scope) {
        VlmNet.Decoding next;
        try (NDScope temporaries = new NDScope()) {
            next = net.step(parameterStore, scope.create(tokens, new Shape(tokens.length, 1)), position,
                    previous.cache());
            unregister(next);
        }
        close(previous);
        return next;
    }

    /**
     * The query-contrastive stream of a lock-step batch: the prompts without their query, grouped by their own token
     * length (each group one cached decoding), fed the batch's answer tokens as they are chosen.
     */
    private final class QueryContrast implements AutoCloseable {

        private final ParameterStore parameterStore;
        private final NDManager scope;
        private final List<int[]> rows = new ArrayList<>(); // batch rows of each group
        private final List<Integer> lengths = new ArrayList<>();
        private final List<VlmNet.Decoding> decodings = new ArrayList<>();

        QueryContrast(List<TokenSequence> contrasts, ParameterStore parameterStore, NDManager scope) {
            this.parameterStore = parameterStore;
            this.scope = scope;
            Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
            for (int b = 0; b < contrasts.size(); b++) {
                if (contrasts.get(b) != null) {
                    byLength.computeIfAbsent(contrasts.get(b).length(), l -> new ArrayList<>()).add(b);
                }
            }
            byLength.forEach((length, group) -> {
                decodings.add(prefill(group.stream().map(contrasts::get).toList(), parameterStore, scope));
                rows.add(group.stream().mapToInt(Integer::intValue).toArray());
                lengths.add(length);
            });
        }

        /** Rows with a contrast become (1 + α)·l − α·l', in place ([B × V] flat). */
        void apply(float[] logits, int vocabularySize, double strength, int step) {
            for (int g = 0; g < rows.size(); g++) {
                float[] without;
                try (NDScope temporaries = new NDScope()) {
                    NDArray states = decodings.get(g).states();
                    without = net.logits(parameterStore, step == 0 ? states.get(":, -1:, :") : states, false)
                            .toFloatArray();
                }
                int[] group = rows.get(g);
                for (int j = 0; j < group.length; j++) {
                    int row = group[j] * vocabularySize;
                    for (int v = 0; v < vocabularySize; v++) {
                        logits[row + v] = (float) ((1 + strength) * logits[row + v]
                                - strength * without[j * vocabularySize + v]);
                    }
                }
            }
        }

        /** The batch's chosen tokens appended to each group's own positions. */
        void step(int[] next, int step) {
            for (int g = 0; g < rows.size(); g++) {
                int[] tokens = Arrays.stream(rows.get(g)).map(b -> next[b]).toArray();
                decodings.set(g, Vlm.this.step(decodings.get(g), tokens, lengths.get(g) + step, parameterStore,
                        scope));
            }
        }

        @Override
        public void close() {
            decodings.forEach(Vlm::close);
        }
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean value : values) {
            if (!value) {
                return false;
            }
        }
        return true;
    }

    private static void close(VlmNet.Decoding decoding) {
        decoding.cache().forEach(NDList::close);
        decoding.states().close();
    }

    private static void unregister(VlmNet.Decoding decoding) {
        NDScope.unregister(decoding.states());
        decoding.cache().forEach(NDScope::unregister);
    }

    /** Greedy argmax or temperature + top-p sampling; never a special token other than the end token. */
    private int choose(float[] logits, Sampling sampling, SplittableRandom random) {
        for (int special : new int[] {vocabulary.padIndex(), vocabulary.startIndex(), vocabulary.unknownIndex()}) {
            logits[special] = Float.NEGATIVE_INFINITY;
        }
        if (sampling.greedy()) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] probabilities = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp((logits[i] - max) / sampling.temperature());
            total += probabilities[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparingInt(i -> i));
        int nucleus = 0;
        double kept = 0;
        while (nucleus < order.length && (nucleus == 0 || kept < sampling.topP() * total)) {
            kept += probabilities[order[nucleus++]];
        }
        double draw = random.nextDouble() * kept;
        for (int i = 0; i < nucleus; i++) {
            draw -= probabilities[order[i]];
            if (draw < 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    /**
     * Teacher-forced features of given answers: for each (prompt, answer), the final-norm states that predict the
     * answer's tokens and its end token ([answer tokens + 1][D]) — what {@link #generate} returns as features when it
     * generates exactly that answer.
     */
    public List<float[][]> answerStates(List<List<VlmItem>> prompts, List<String> answers) {
        if (prompts.size() != answers.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + answers.size() + " answers");
        }
        List<float[][]> results = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += BATCH) {
            List<TokenSequence> sequences = new ArrayList<>();
            for (int i = from; i < Math.min(prompts.size(), from + BATCH); i++) {
                sequences.add(this.prompts.withAnswer(prompts.get(i), answers.get(i)));
            }
            AnswerPositions positions = AnswerPositions.of(sequences);
            ParameterStore parameterStore = new ParameterStore(manager, false);
            try (NDManager scope = manager.newSubManager(); NDScope temporaries = new NDScope()) {
                NDList inputs = VlmInputs.of(sequences, vocabulary.padIndex(), config.imageTokens(), true)
                        .arrays(scope);
                NDArray states = net.hiddenStates(parameterStore, inputs, false);
                float[] gathered = positions.gather(states).toFloatArray();
                int row = 0;
                for (TokenSequence sequence : sequences) {
                    float[][] perToken = new float[sequence.answerLength()][];
                    for (int t = 0; t < perToken.length; t++, row++) {
                        perToken[t] = Arrays.copyOfRange(gathered, row * config.width(),
                                (row + 1) * config.width());
                    }
                    results.add(perToken);
                }
                temporaries.suppressNotUsedWarning();
            }
        }
        return results;
    }

    /** Flat positions of the answer states of a right-padded batch, and the answer tokens they predict. */
    record AnswerPositions(int[] rows, int[] labels) {

        static AnswerPositions of(List<TokenSequence> sequences) {
            int length = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
            int count = sequences.stream().mapToInt(TokenSequence::answerLength).sum();
            int[] rows = new int[count];
            int[] labels = new int[count];
            int m = 0;
            for (int b = 0; b < sequences.size(); b++) {
                TokenSequence sequence = sequences.get(b);
                for (int t = 0; t < sequence.answerLength(); t++, m++) {
                    rows[m] = b * length + sequence.firstAnswerState() + t;
                    labels[m] = sequence.tokens()[sequence.promptLength() + t];
                }
            }
            return new AnswerPositions(rows, labels);
        }

        /** states [B, L, D] → the answer states [M, D] (differentiable). */
        NDArray gather(NDArray states) {
            long width = states.getShape().get(2);
            NDArray flat = states.reshape(-1, width);
            NDArray index = states.getManager().create(rows);
            return Embedding.embedding(index, flat, SparseFormat.DENSE).singletonOrThrow();
        }
    }

    @Override
    public synchronized void close() {
        tokenizer.close();
        manager.close();
    }
}
