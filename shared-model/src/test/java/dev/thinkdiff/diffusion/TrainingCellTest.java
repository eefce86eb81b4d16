package dev.thinkdiff.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.thinkdiff.cobsat.Theme;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How the diffusion training draws its examples' cells, with and without theme weights. */
class TrainingCellTest {

    @Test
    void withoutWeightsEveryCellIsDrawnAsBeforeTheKey() {
        SplittableRandom drawn = new SplittableRandom(7);
        SplittableRandom uniform = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertEquals(uniform.nextInt(AutoencoderEvaluation.CELLS), DiffusionTraining.trainingCell(List.of(),
                    drawn));
        }
    }

    @Test
    void themesAreDrawnInProportionToTheirWeightsAndCellsUniformlyWithin() {
        List<Double> weights = List.of(1.0, 0.0, 3.0, 1.5, 0.5);
        int[] perTheme = new int[Theme.values().length];
        int[] styleCells = new int[100];
        SplittableRandom random = new SplittableRandom(11);
        int draws = 60_000;
        for (int i = 0; i < draws; i++) {
            int cell = DiffusionTraining.trainingCell(weights, random);
            Theme theme = AutoencoderEvaluation.cellOf(cell).theme();
            perTheme[theme.ordinal()]++;
            if (theme == Theme.STYLE) {
                styleCells[cell % 100]++;
            }
        }
        for (Theme theme : Theme.values()) {
            assertEquals(weights.get(theme.ordinal()) / 6.0, perTheme[theme.ordinal()] / (double) draws, 0.01,
                    theme.id());
        }
        for (int count : styleCells) {
            assertEquals(draws * 0.5 / 100, count, 60, "style cells equally often");
        }
    }

    @Test
    void weightsMustBeOnePerThemeAndNotAllZero() {
        DiffusionConfig defaults = DiffusionConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> DiffusionConfigBuilder.builder(defaults)
                .themeWeights(List.of(1.0, 2.0)).build());
        assertThrows(IllegalArgumentException.class, () -> DiffusionConfigBuilder.builder(defaults)
                .themeWeights(List.of(0.0, 0.0, 0.0, 0.0, 0.0)).build());
        assertThrows(IllegalArgumentException.class, () -> DiffusionConfigBuilder.builder(defaults)
                .themeWeights(List.of(1.0, -1.0, 1.0, 1.0, 1.0)).build());
    }
}
