package dev.thinkdiff.clip;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.Captions;
import java.util.ArrayList;
import java.util.List;

/** The texts ThinkDiff-CLIP trains on: every caption phrasing of a cell and the VLM's answer phrasing. */
public final class ClipTexts {

    private ClipTexts() {
    }

    /** The texts of one cell: phrasings 0..n-1, then {@code "create an image of …"}. */
    public static List<String> of(Cell cell) {
        List<String> texts = new ArrayList<>();
        for (int p = 0; p < Captions.phrasings(cell.theme()); p++) {
            texts.add(Captions.caption(cell, p));
        }
        texts.add(TextCorpus.answer(cell));
        return texts;
    }

    /** Every cell's texts, in {@link BenchmarkImages#allCells()} order. */
    static List<List<String>> all() {
        return BenchmarkImages.allCells().stream().map(ClipTexts::of).toList();
    }
}
