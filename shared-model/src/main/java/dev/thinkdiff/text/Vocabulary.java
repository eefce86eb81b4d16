package dev.thinkdiff.text;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.Captions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The output vocabulary shared by the LLM decoder and the VLM: the MiniLM word pieces that the world's whole text
 * uses (every caption phrasing of every cell, the VLM answers and instructions, the episode items, everything
 * {@link TextCorpus} emits) plus [PAD], [UNK], [CLS] (start of text) and [SEP] (end of text). A few hundred entries
 * instead of MiniLM's 30,522, so output layers stay small.
 *
 * <p>Indices follow ascending MiniLM id, so the order is deterministic and [PAD] (id 0) is index 0. Saved with a
 * model as {@value #FILE_NAME}: one {@code "miniLmId piece"} line per index.
 */
public final class Vocabulary {

    public static final String FILE_NAME = "vocabulary.txt";

    /** Corpus sentences drawn to enumerate its words: every word of its 10-item lists appears with certainty. */
    private static final int CORPUS_SAMPLE = 100_000;
    private static final long CORPUS_SEED = 7;

    private final long[] miniLmIds;
    private final String[] pieces;
    private final Map<Long, Integer> indexByMiniLmId = new HashMap<>();

    private Vocabulary(long[] miniLmIds, String[] pieces) {
        this.miniLmIds = miniLmIds;
        this.pieces = pieces;
        for (int i = 0; i < miniLmIds.length; i++) {
            if (i > 0 && miniLmIds[i] <= miniLmIds[i - 1]) {
                throw new IllegalArgumentException("vocabulary ids must ascend: " + miniLmIds[i - 1] + ", "
                        + miniLmIds[i]);
            }
            indexByMiniLmId.put(miniLmIds[i], i);
        }
        for (long special : MiniLmTokenizer.SPECIAL_TOKENS.keySet()) {
            if (!indexByMiniLmId.containsKey(special)) {
                throw new IllegalArgumentException("vocabulary lacks " + MiniLmTokenizer.SPECIAL_TOKENS.get(special));
            }
        }
    }

    /** The vocabulary of the world's whole text. */
    public static Vocabulary ofWorld(MiniLmTokenizer tokenizer) {
        return of(tokenizer.pieces(worldWords()));
    }

    /** The special tokens plus the given word pieces (MiniLM id → piece). */
    public static Vocabulary of(Map<Long, String> wordPieces) {
        TreeMap<Long, String> all = new TreeMap<>(wordPieces);
        all.putAll(MiniLmTokenizer.SPECIAL_TOKENS);
        return new Vocabulary(all.keySet().stream().mapToLong(Long::longValue).toArray(),
                all.values().toArray(String[]::new));
    }

    /**
     * Every distinct whitespace-separated word of the world's text. Word pieces never cross whitespace, so the pieces
     * of these words are exactly the pieces of the texts.
     */
    public static List<String> worldWords() {
        List<String> texts = new ArrayList<>(TextCorpus.INSTRUCTIONS);
        for (Theme theme : Theme.values()) {
            for (int subject = 0; subject < ItemList.SIZE; subject++) {
                for (int attribute = 0; attribute < ItemList.SIZE; attribute++) {
                    Cell cell = new Cell(theme, subject, attribute);
                    for (int phrasing = 0; phrasing < Captions.phrasings(theme); phrasing++) {
                        texts.add(Captions.caption(cell, phrasing));
                    }
                    texts.add(TextCorpus.answer(cell));
                }
            }
        }
        for (ItemList list : ItemList.values()) {
            for (int i = 0; i < ItemList.SIZE; i++) {
                texts.add(list.display(i) + ":"); // episode text items, "green: "
            }
        }
        SplittableRandom random = new SplittableRandom(CORPUS_SEED);
        for (int i = 0; i < CORPUS_SAMPLE; i++) {
            texts.add(TextCorpus.sentence(random));
        }
        TreeSet<String> words = new TreeSet<>();
        for (String text : texts) {
            words.addAll(Arrays.asList(text.trim().split("\\s+")));
        }
        return List.copyOf(words);
    }

    public static Vocabulary read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        long[] ids = new long[lines.size()];
        String[] pieces = new String[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(" ", 2);
            ids[i] = Long.parseLong(fields[0]);
            pieces[i] = fields[1];
        }
        return new Vocabulary(ids, pieces);
    }

    public void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            out.append(miniLmIds[i]).append(' ').append(pieces[i]).append('\n');
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    public int size() {
        return miniLmIds.length;
    }

    public int padIndex() {
        return index(MiniLmTokenizer.PAD);
    }

    public int unknownIndex() {
        return index(MiniLmTokenizer.UNKNOWN);
    }

    /** [CLS]: the first input token of every decoded text. */
    public int startIndex() {
        return index(MiniLmTokenizer.CLS);
    }

    /** [SEP]: the last target token of every decoded text. */
    public int endIndex() {
        return index(MiniLmTokenizer.SEP);
    }

    /** The index of a MiniLM id; ids outside the vocabulary map to [UNK]. */
    public int index(long miniLmId) {
        Integer index = indexByMiniLmId.get(miniLmId);
        return index != null ? index : indexByMiniLmId.get(MiniLmTokenizer.UNKNOWN);
    }

    public boolean contains(long miniLmId) {
        return indexByMiniLmId.containsKey(miniLmId);
    }

    public long miniLmId(int index) {
        return miniLmIds[index];
    }

    public String piece(int index) {
        return pieces[index];
    }

    public int[] indices(long[] miniLmIds) {
        return Arrays.stream(miniLmIds).mapToInt(this::index).toArray();
    }

    /** Text → vocabulary indices, no special tokens. */
    public int[] encode(MiniLmTokenizer tokenizer, String text) {
        return indices(tokenizer.ids(text));
    }

    /**
     * Indices → text: stops at [SEP], skips [PAD] and [CLS], glues "##" continuations to the previous piece and
     * punctuation to the previous word, as BERT's WordPiece decoder does.
     */
    public String decode(int[] indices) {
        StringBuilder text = new StringBuilder();
        for (int index : indices) {
            if (index == endIndex()) {
                break;
            }
            if (index == padIndex() || index == startIndex()) {
                continue;
            }
            String piece = pieces[index];
            if (piece.startsWith("##")) {
                text.append(piece, 2, piece.length());
            } else {
                if (text.length() > 0 && !isPunctuation(piece)) {
                    text.append(' ');
                }
                text.append(piece);
            }
        }
        return text.toString();
    }

    private static boolean isPunctuation(String piece) {
        return piece.length() == 1 && ".,:;!?".indexOf(piece.charAt(0)) >= 0;
    }
}
