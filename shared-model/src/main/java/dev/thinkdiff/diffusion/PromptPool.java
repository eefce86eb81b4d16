package dev.thinkdiff.diffusion;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.text.EncodedPrompts;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.world.Captions;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every training text of every cell — its caption phrasings and the prompt-style answer ("create an image of …") —
 * then every edit phrase and roles phrase ({@link EditPhrases}), with its prompt-encoder states computed once (MiniLM
 * costs milliseconds per text; a training step must not wait for it) and cached in the run directory, so a resumed run reloads exactly the same floats.
 */
final class PromptPool {

    static final String CACHE_FILE = "prompt-states.bin";
    /** Texts per cell: the caption phrasings 0..3, then the answer. */
    static final int TEXTS_PER_CELL = 5;
    static final int ANSWER = TEXTS_PER_CELL - 1;

    private static final int MAGIC = 0x54445031; // "TDP1"
    private static final int ENCODE_BATCH = 128;

    private final List<String> texts;
    private final int dimension;
    private final float[][] states;

    private PromptPool(List<String> texts, int dimension, float[][] states) {
        this.texts = texts;
        this.dimension = dimension;
        this.states = states;
    }

    /** Where the edit phrases start: after every cell's texts; then the roles phrases. */
    private static final int EDITS_FROM = AutoencoderEvaluation.CELLS * TEXTS_PER_CELL;
    private static final int ROLES_FROM = EDITS_FROM + Theme.values().length * ItemList.SIZE * EditPhrases.WORDINGS;

    /** Text {@code variant} of cell {@code cellIndex} (cells in {@link AutoencoderEvaluation#cellOf} order). */
    static String text(int cellIndex, int variant) {
        Cell cell = AutoencoderEvaluation.cellOf(cellIndex);
        return variant == ANSWER ? TextCorpus.answer(cell) : Captions.caption(cell, variant);
    }

    static List<String> allTexts() {
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < AutoencoderEvaluation.CELLS; c++) {
            for (int v = 0; v < TEXTS_PER_CELL; v++) {
                texts.add(text(c, v));
            }
        }
        for (Theme theme : Theme.values()) {
            for (int a = 0; a < ItemList.SIZE; a++) {
                for (int w = 0; w < EditPhrases.WORDINGS; w++) {
                    texts.add(EditPhrases.phrase(theme, a, w));
                }
            }
        }
        for (Theme theme : Theme.values()) {
            for (boolean subjectFromFirst : new boolean[] {true, false}) {
                for (int w = 0; w < EditPhrases.WORDINGS; w++) {
                    texts.add(EditPhrases.roles(theme, subjectFromFirst, w));
                }
            }
        }
        return texts;
    }

    /** Loads the cache if it holds exactly these texts from this encoder, else encodes them and writes it. */
    static PromptPool build(PromptEncoder encoder, Path cacheFile) throws IOException {
        List<String> texts = allTexts();
        if (Files.exists(cacheFile)) {
            PromptPool cached = read(cacheFile, encoder.artifact());
            if (cached != null && cached.texts.equals(texts)) {
                return cached;
            }
        }
        float[][] states = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += ENCODE_BATCH) {
            int to = Math.min(texts.size(), from + ENCODE_BATCH);
            EncodedPrompts encoded = encoder.encode(texts.subList(from, to));
            for (int i = from; i < to; i++) {
                states[i] = encoded.tokenStates(i - from);
            }
        }
        PromptPool pool = new PromptPool(texts, encoder.dimension(), states);
        pool.write(cacheFile, encoder.artifact());
        return pool;
    }

    /** The pool index of text {@code variant} of cell {@code cellIndex}. */
    static int cellText(int cellIndex, int variant) {
        return cellIndex * TEXTS_PER_CELL + variant;
    }

    /** The pool index of the edit phrase asking for {@code attribute} of {@code theme} in {@code wording}. */
    static int editPhrase(Theme theme, int attribute, int wording) {
        return EDITS_FROM + (theme.ordinal() * ItemList.SIZE + attribute) * EditPhrases.WORDINGS + wording;
    }

    /** The pool index of the roles phrase of {@code theme} in {@code wording}. */
    static int rolesPhrase(Theme theme, boolean subjectFromFirst, int wording) {
        return ROLES_FROM + (theme.ordinal() * 2 + (subjectFromFirst ? 0 : 1)) * EditPhrases.WORDINGS + wording;
    }

    int dimension() {
        return dimension;
    }

    /**
     * Real-token states of text {@code index} ({@link #cellText}, {@link #editPhrase}, {@link #rolesPhrase}),
     * [length, D] flat.
     */
    float[] states(int index) {
        return states[index];
    }

    int length(int index) {
        return states[index].length / dimension;
    }

    private void write(Path file, String artifact) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(MAGIC);
            out.writeUTF(artifact);
            out.writeInt(texts.size());
            out.writeInt(dimension);
            for (int i = 0; i < texts.size(); i++) {
                out.writeUTF(texts.get(i));
                out.writeInt(states[i].length);
                for (float value : states[i]) {
                    out.writeFloat(value);
                }
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The cached pool, or null if the file is from another encoder. */
    private static PromptPool read(Path file, String artifact) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(artifact)) {
                return null;
            }
            int count = in.readInt();
            int dimension = in.readInt();
            List<String> texts = new ArrayList<>(count);
            float[][] states = new float[count][];
            for (int i = 0; i < count; i++) {
                texts.add(in.readUTF());
                states[i] = new float[in.readInt()];
                for (int k = 0; k < states[i].length; k++) {
                    states[i][k] = in.readFloat();
                }
            }
            return new PromptPool(List.copyOf(texts), dimension, states);
        }
    }
}
