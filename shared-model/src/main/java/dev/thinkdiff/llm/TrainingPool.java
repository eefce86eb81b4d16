package dev.thinkdiff.llm;

import dev.thinkdiff.store.Sha256;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.Seeds;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jboss.logging.Logger;

/**
 * The training texts with their prompt-encoder states computed once (MiniLM costs milliseconds per text, a training
 * step must not wait for it) and cached in the run directory, so a resumed run reloads them. Step k's batch is a pure
 * function of (data seed, k): which examples, their noise, scale and dropped tokens.
 */
final class TrainingPool {

    private static final Logger LOG = Logger.getLogger(TrainingPool.class);

    static final String CACHE_FILE = "encoded-texts.bin";

    private static final int ENCODE_BATCH = 128;
    private static final int CACHE_MAGIC = 0x54444531; // "TDE1"
    private static final int IO_CHUNK_FLOATS = 1 << 20;

    /** An input text (index into the encoded texts) and its target as vocabulary indices, end token excluded. */
    record Example(int input, int[] target) {
    }

    /** Prompt states [B, T, D] and mask [B, T] (flat, noised and token-dropped) plus teacher-forcing arrays. */
    record Batch(float[] states, float[] mask, int batchSize, int stateLength, int dimension, TargetTokens targets) {
    }

    private final Vocabulary vocabulary;
    private final int dimension;
    private final float[] states;
    private final int[] offsets;
    private final int[] lengths;
    /** [source][task]: source 0 corpus, 1 answers, 2 captions; task 0 reconstruction, 1 continuation. */
    private final List<List<List<Example>>> examples;

    private TrainingPool(Vocabulary vocabulary, int dimension, float[] states, int[] lengths,
            List<List<List<Example>>> examples) {
        this.vocabulary = vocabulary;
        this.dimension = dimension;
        this.states = states;
        this.lengths = lengths;
        this.offsets = new int[lengths.length];
        for (int i = 1; i < lengths.length; i++) {
            offsets[i] = offsets[i - 1] + lengths[i - 1];
        }
        this.examples = examples;
    }

    /** Encodes every distinct input (or reloads them from {@code cacheFile} if it holds exactly these texts). */
    static TrainingPool build(TrainingTexts texts, Vocabulary vocabulary, MiniLmTokenizer tokenizer,
            PromptEncoder encoder, int maxTargetTokens, Path cacheFile) throws IOException {
        Map<String, Integer> inputIndex = new LinkedHashMap<>();
        List<List<List<Example>>> examples = new ArrayList<>();
        for (List<TrainingTexts.TextPair> source : List.of(texts.corpus(), texts.answers(), texts.captions())) {
            List<Example> reconstruction = new ArrayList<>();
            List<Example> continuation = new ArrayList<>();
            for (TrainingTexts.TextPair pair : source) {
                int[] target = vocabulary.encode(tokenizer, pair.target());
                if (target.length >= maxTargetTokens) {
                    continue; // too long to end within the decoder's positions; the world has no such text
                }
                int input = inputIndex.computeIfAbsent(pair.input(), text -> inputIndex.size());
                (pair.continuation() ? continuation : reconstruction).add(new Example(input, target));
            }
            examples.add(List.of(reconstruction, continuation));
        }
        List<String> inputs = List.copyOf(inputIndex.keySet());
        String key = Sha256.of((encoder.artifact() + "\n" + String.join("\n", inputs))
                .getBytes(StandardCharsets.UTF_8));
        TrainingPool cached = readCache(cacheFile, key, inputs.size(), vocabulary, examples);
        if (cached != null) {
            LOG.infof("reloaded the states of %d texts from %s", inputs.size(), cacheFile);
            return cached;
        }
        TrainingPool pool = encode(inputs, encoder, vocabulary, examples);
        pool.writeCache(cacheFile, key);
        return pool;
    }

    private static TrainingPool encode(List<String> inputs, PromptEncoder encoder, Vocabulary vocabulary,
            List<List<List<Example>>> examples) {
        long started = System.nanoTime();
        int[] lengths = new int[inputs.size()];
        List<float[]> perText = new ArrayList<>(inputs.size());
        long total = 0;
        for (int from = 0; from < inputs.size(); from += ENCODE_BATCH) {
            int to = Math.min(inputs.size(), from + ENCODE_BATCH);
            EncodedPrompts prompts = encoder.encode(inputs.subList(from, to));
            for (int i = 0; i < to - from; i++) {
                lengths[from + i] = prompts.length(i);
                perText.add(prompts.tokenStates(i));
                total += perText.get(from + i).length;
            }
            if (to / 5000 != from / 5000 || to == inputs.size()) {
                LOG.infof("encoded %d / %d texts (%.0f s)", to, inputs.size(),
                        (System.nanoTime() - started) / 1e9);
            }
        }
        float[] states = new float[Math.toIntExact(total)];
        int position = 0;
        for (float[] text : perText) {
            System.arraycopy(text, 0, states, position, text.length);
            position += text.length;
        }
        return new TrainingPool(vocabulary, encoder.dimension(), states, lengths, examples);
    }

    int texts() {
        return lengths.length;
    }

    int examples() {
        return examples.stream().flatMap(List::stream).mapToInt(List::size).sum();
    }

    /** The batch of step {@code step}: a pure function of (dataSeed, step). */
    Batch batch(LlmDecoderConfig config, long dataSeed, int step) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(dataSeed, step));
        int batchSize = config.batchSize();
        Example[] chosen = new Example[batchSize];
        int stateLength = 1;
        for (int i = 0; i < batchSize; i++) {
            double source = random.nextDouble();
            int sourceIndex = source < config.corpusShare() ? 0
                    : source < config.corpusShare() + config.answerShare() ? 1 : 2;
            int task = random.nextDouble() < config.continuationShare() ? 1 : 0;
            List<Example> candidates = examples.get(sourceIndex).get(task);
            if (candidates.isEmpty()) {
                throw new IllegalStateException("the config draws from source " + sourceIndex + ", task " + task
                        + ", but the pool has no such example");
            }
            chosen[i] = candidates.get(random.nextInt(candidates.size()));
            stateLength = Math.max(stateLength, lengths[chosen[i].input()]);
        }
        float[] batchStates = new float[batchSize * stateLength * dimension];
        float[] mask = new float[batchSize * stateLength];
        List<int[]> targets = new ArrayList<>(batchSize);
        double logMinScale = Math.log(config.minScale());
        for (int i = 0; i < batchSize; i++) {
            int input = chosen[i].input();
            System.arraycopy(states, offsets[input] * dimension, batchStates, i * stateLength * dimension,
                    lengths[input] * dimension);
            for (int t = 0; t < lengths[input]; t++) {
                mask[i * stateLength + t] = 1;
            }
            PromptStateNoise.scale(batchStates, i, stateLength, dimension,
                    Math.exp(logMinScale * (2 * random.nextDouble() - 1)));
            PromptStateNoise.addNoise(batchStates, mask, i, stateLength, dimension,
                    config.maxNoise() * random.nextDouble(), random);
            PromptStateNoise.dropKeys(mask, i, stateLength, config.keyDropout(), random);
            targets.add(chosen[i].target());
        }
        return new Batch(batchStates, mask, batchSize, stateLength, dimension,
                TargetTokens.of(targets, vocabulary, config.maxTargetTokens()));
    }

    private static TrainingPool readCache(Path file, String key, int count, Vocabulary vocabulary,
            List<List<List<Example>>> examples) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                DataInputStream header = new DataInputStream(Channels.newInputStream(channel))) {
            if (header.readInt() != CACHE_MAGIC || !header.readUTF().equals(key) || header.readInt() != count) {
                return null;
            }
            int dimension = header.readInt();
            int[] lengths = new int[count];
            long total = 0;
            for (int i = 0; i < count; i++) {
                lengths[i] = header.readInt();
                total += (long) lengths[i] * dimension;
            }
            float[] states = new float[Math.toIntExact(total)];
            ByteBuffer buffer = ByteBuffer.allocateDirect(IO_CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < states.length; from += IO_CHUNK_FLOATS) {
                int floats = Math.min(IO_CHUNK_FLOATS, states.length - from);
                buffer.clear().limit(floats * Float.BYTES);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) {
                        throw new IOException(file + " is truncated");
                    }
                }
                buffer.flip();
                buffer.asFloatBuffer().get(states, from, floats);
            }
            return new TrainingPool(vocabulary, dimension, states, lengths, examples);
        }
    }

    /** Header (magic, key, count, dimension, lengths) then the states as little-endian floats; atomic rename. */
    private void writeCache(Path file, String key) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            DataOutputStream header = new DataOutputStream(Channels.newOutputStream(channel));
            header.writeInt(CACHE_MAGIC);
            header.writeUTF(key);
            header.writeInt(lengths.length);
            header.writeInt(dimension);
            for (int length : lengths) {
                header.writeInt(length);
            }
            header.flush();
            ByteBuffer buffer = ByteBuffer.allocateDirect(IO_CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < states.length; from += IO_CHUNK_FLOATS) {
                int floats = Math.min(IO_CHUNK_FLOATS, states.length - from);
                buffer.clear();
                buffer.asFloatBuffer().put(states, from, floats);
                buffer.limit(floats * Float.BYTES);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
