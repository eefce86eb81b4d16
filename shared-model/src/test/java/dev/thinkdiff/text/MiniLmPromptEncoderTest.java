package dev.thinkdiff.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniLmPromptEncoderTest {

    private static final int DIMENSION = 384;
    /** BERT uncased vocabulary ids. */
    private static final long PAD = 0;
    private static final long CLS = 101;
    private static final long SEP = 102;
    private static final String LONG_TEXT = "a green car ".repeat(40).trim();

    private static MiniLmPromptEncoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = MiniLmPromptEncoder.load();
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    @Test
    void batchIsRightPaddedToItsLongestTextAndMasked() {
        List<String> texts = List.of("a cat", "a photo of a green car in an amusement park", "");
        EncodedPrompts encoded = encoder.encode(texts);

        assertEquals(3, encoded.batchSize());
        assertEquals(DIMENSION, encoded.dimension());
        assertEquals(encoded.length(1), encoded.sequenceLength(), "padded to the longest text");
        assertEquals(2, encoded.length(2), "an empty text is [CLS] [SEP]");
        for (int i = 0; i < texts.size(); i++) {
            int length = encoded.length(i);
            long[] ids = encoded.tokenIds(i);
            assertEquals(CLS, ids[0]);
            assertEquals(SEP, ids[length - 1]);
            for (int t = 0; t < encoded.sequenceLength(); t++) {
                int token = i * encoded.sequenceLength() + t;
                boolean real = t < length;
                assertEquals(real ? 1f : 0f, encoded.mask()[token]);
                if (!real) {
                    assertEquals(PAD, encoded.tokenIds()[token]);
                }
                for (int d = 0; d < DIMENSION; d++) {
                    float value = encoded.states()[token * DIMENSION + d];
                    assertTrue(Float.isFinite(value));
                    if (!real) {
                        assertEquals(0f, value, "padding states are zero");
                    }
                }
            }
        }
    }

    @Test
    void textGetsTheSameStatesAloneAndInABatch() {
        String text = "a sleeping cat";
        EncodedPrompts alone = encoder.encode(text);
        EncodedPrompts batched = encoder.encode(List.of("a photo of a green car in an amusement park", text));

        assertArrayEquals(alone.tokenIds(0), batched.tokenIds(1));
        assertArrayEquals(alone.tokenStates(0), batched.tokenStates(1), 1e-5f);
    }

    @Test
    void encodingIsDeterministic() {
        List<String> texts = List.of("a red apple", "a dog reading a book");
        assertArrayEquals(encoder.encode(texts).states(), encoder.encode(texts).states());
    }

    @Test
    void paraphrasesAreCloserThanDifferentSubjects() {
        EncodedPrompts encoded = encoder.encode(List.of("a green car", "a car painted green", "a sleeping cat"));
        double paraphrase = cosine(encoded.meanPooled(0), encoded.meanPooled(1));
        double different = cosine(encoded.meanPooled(0), encoded.meanPooled(2));
        assertTrue(paraphrase > different, "paraphrase " + paraphrase + " vs different subject " + different);
    }

    @Test
    void longTextKeepsItsFirstWordPiecesThenSep() {
        EncodedPrompts full = encoder.encode(LONG_TEXT);
        assertEquals(MiniLmPromptEncoder.DEFAULT_MAX_TOKENS, full.length(0));
        assertEquals(SEP, full.tokenIds(0)[full.length(0) - 1]);

        int shortMax = 8;
        try (MiniLmPromptEncoder shortEncoder = MiniLmPromptEncoder.load(shortMax)) {
            long[] truncated = shortEncoder.encode(LONG_TEXT).tokenIds(0);
            assertEquals(shortMax, truncated.length);
            for (int t = 0; t < shortMax - 1; t++) {
                assertEquals(full.tokenIds(0)[t], truncated[t], "prefix kept at " + t);
            }
            assertEquals(SEP, truncated[shortMax - 1]);
        }
    }

    @Test
    void finalNormWeightIsTheLastLayerNormScale() {
        float[] weight = encoder.finalNormWeight();
        assertEquals(DIMENSION, weight.length);
        boolean allOnes = true;
        for (float w : weight) {
            assertTrue(Float.isFinite(w));
            allOnes &= w == 1f;
        }
        assertTrue(!allOnes, "a trained scale, not the ones of a fresh norm");
    }

    /**
     * The point of copying the weight: whatever the scale of its input, an RMSNorm with it emits vectors at the scale
     * of real encoder states, closer to it than the same norm with its weight left at ones.
     */
    @Test
    void rmsNormWithTheWeightEmitsTheScaleOfEncoderStates() {
        float[] states = encoder.encode("a photo of a green car in an amusement park").tokenStates(0);
        double stateRms = rms(states);

        Random random = new Random(7);
        float[] input = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            input[d] = (float) (random.nextGaussian() * 50);
        }
        float[] ones = new float[DIMENSION];
        Arrays.fill(ones, 1f);
        double copiedRms = rms(rmsNorm(input, encoder.finalNormWeight()));
        double onesRms = rms(rmsNorm(input, ones));

        assertTrue(Math.abs(Math.log(copiedRms / stateRms)) < Math.abs(Math.log(onesRms / stateRms)),
                "rms with copied weight " + copiedRms + ", with ones " + onesRms + ", encoder states " + stateRms);
        assertTrue(copiedRms > stateRms / 2 && copiedRms < stateRms * 2);
    }

    @Test
    void artifactNamesVersionAndHashOfTheWeights() {
        assertEquals("all-minilm-l6-v2@langchain4j-1.19.0-beta29"
                        + "#sha256:759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
                encoder.artifact(), "trained pocket models depend on these exact encoder states");
    }

    @Test
    void theModelIsExtractedOnceAndACorruptedExtractIsExtractedAgain(@TempDir Path cache) throws Exception {
        List<String> texts = List.of("a green car", "create an image of a red apple");
        EncodedPrompts expected = encoder.encode(texts);
        for (int start = 0; start < 3; start++) {
            try (MiniLmPromptEncoder loaded = MiniLmPromptEncoder.load(MiniLmPromptEncoder.DEFAULT_MAX_TOKENS,
                    cache)) {
                assertEquals(encoder.artifact(), loaded.artifact(), "start " + start);
                assertArrayEquals(expected.states(), loaded.encode(texts).states(), 0f, "start " + start);
            }
            List<Path> files;
            try (Stream<Path> found = Files.walk(cache)) {
                files = found.filter(f -> f.toString().endsWith(".onnx")).toList();
            }
            assertEquals(1, files.size(), "one extracted file: " + files);
            if (start == 1) {
                // a damaged extract (one byte off) must not be trusted: its CRC-32 differs from the jar entry's
                try (FileChannel channel = FileChannel.open(files.get(0), StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(new byte[] {42}), channel.size() / 2);
                }
            }
        }
    }

    @Test
    void emptyBatchAndTooSmallMaximumAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of()));
        assertThrows(IllegalArgumentException.class, () -> MiniLmPromptEncoder.load(1));
    }

    /** RMSNorm as the aligner ends with it (eps 1e-6). */
    private static float[] rmsNorm(float[] x, float[] weight) {
        double rms = Math.sqrt(Math.pow(rms(x), 2) + 1e-6);
        float[] out = new float[x.length];
        for (int d = 0; d < x.length; d++) {
            out[d] = (float) (x[d] / rms * weight[d]);
        }
        return out;
    }

    private static double rms(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum / values.length);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
