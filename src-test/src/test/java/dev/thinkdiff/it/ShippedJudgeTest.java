package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeEvaluation;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The judge that ships: verified on fetch, its manifest complete, and still that good on renders it never saw. */
class ShippedJudgeTest {

    /** Benchmark-range seeds far from those the training job evaluated on. */
    private static final long FRESH_SEED_OFFSET = 500_000;

    @Test
    void shippedJudgeIsVerifiedDocumentedAndAccurateOnFreshRenders(@TempDir Path cache) throws Exception {
        LoadedModel model = ShippedModels.fetchLatest("judge", cache);
        Manifest manifest = model.manifest();
        assertEquals("pocket", manifest.family());
        assertTrue(manifest.metrics().containsKey("train_seconds"), manifest.metrics().toString());
        for (Theme theme : Theme.values()) {
            assertTrue(manifest.metrics().get(theme.id() + ".both") >= 0.97, theme + " in " + manifest.metrics());
        }
        assertTrue(Files.size(model.path(Judge.PARAMETERS_FILE)) <= 4_000_000, "judge exceeds its 4 MB budget");

        try (Judge judge = Judge.load(model)) {
            Map<String, Double> fresh = JudgeEvaluation.run(judge, 1000, FRESH_SEED_OFFSET).metrics();
            for (Theme theme : Theme.values()) {
                assertTrue(fresh.get(theme.id() + ".both") >= 0.95, theme + " on fresh renders: " + fresh);
            }
        }
    }
}
