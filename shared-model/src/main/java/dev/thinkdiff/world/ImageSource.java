package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import java.awt.image.BufferedImage;

/**
 * Where benchmark images come from: the renderer (any number of seeds per cell) or a dataset folder in the benchmark's
 * layout (one image per cell; the seed is ignored), e.g. the real CoBSAT photographs.
 */
public interface ImageSource {

    BufferedImage image(Cell cell, long seed);
}
