package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train-all} on the shipped family, in the packaged job: every component's LATEST already has the requested
 * config and inputs, so nothing trains; a changed setting makes that component and everything trained on it due.
 * The store is a copy of the shipped manifests and pointers only: deciding must not need the weights.
 */
class TrainAllTest {

    @TempDir
    Path dir;

    @Test
    void theShippedFamilyIsUpToDateAndOnlyAChangeAndWhatDependsOnItIsDue() throws Exception {
        Path store = copyManifestsAndPointers(dir.resolve("store"));
        long before = countFiles(store);

        TrainingJobProcess all = run(store, "all", "train-all");
        assertEquals(0, all.waitFor(), all.log());
        List<String> rows = tableRows(all.stdout());
        for (String component : List.of("judge", "llm-decoder", "vlm", "autoencoder", "diffusion", "aligner",
                "aligner-faithful", "aligner-reconstruction")) {
            assertTrue(rows.stream().anyMatch(row -> row.startsWith("| " + component + " ")
                    && row.contains(" skipped ")), component + " not skipped:\n" + all.stdout());
        }
        assertTrue(rows.get(0).contains("key metrics") && rows.get(0).contains("wall time"), rows.get(0));
        assertTrue(rows.stream().anyMatch(row -> row.contains("overall.both 1.000")), all.stdout());
        assertEquals(before, countFiles(store), "train-all wrote to the store although nothing was due");

        TrainingJobProcess changed = run(store, "changed", "train-all", "--dry-run", "--set", "judge.steps=10");
        assertEquals(0, changed.waitFor(), changed.log());
        List<String> plan = tableRows(changed.stdout());
        assertTrue(row(plan, "judge").contains("would train: steps 2400 -> 10"), changed.stdout());
        assertTrue(row(plan, "autoencoder").contains("would train: input judge retrained"), changed.stdout());
        assertTrue(row(plan, "diffusion").contains("would train: input"), changed.stdout());
        assertTrue(row(plan, "aligner-reconstruction").contains("would train: input"), changed.stdout());
        for (String component : List.of("llm-decoder", "vlm", "aligner")) {
            assertTrue(row(plan, component).contains(" skipped "), changed.stdout());
        }
    }

    private TrainingJobProcess run(Path store, String name, String... args) throws Exception {
        return TrainingJobProcess.start(dir.resolve("logs"), name,
                List.of("-Dthinkdiff.store.local.root=" + store, "-Dthinkdiff.store.cache-dir=" + dir.resolve("cache")),
                List.of(args));
    }

    private static Path copyManifestsAndPointers(Path store) throws Exception {
        Path shipped = ShippedModels.ROOT.resolve(ShippedModels.FAMILY);
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("LATEST") || name.equals("manifest.json")) {
                    Path copy = store.resolve(ShippedModels.FAMILY).resolve(shipped.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                }
            }
        }
        return store;
    }

    private static long countFiles(Path store) throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static List<String> tableRows(String output) {
        return output.lines().filter(line -> line.startsWith("| ")).toList();
    }

    private static String row(List<String> rows, String component) {
        return rows.stream().filter(row -> row.startsWith("| " + component + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + component + " in " + rows));
    }
}
