package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads a dataset folder in the benchmark's layout ({@code {theme}_{subject}/{attr}_{subject}.{png,jpg,…}}), as the
 * benchmark's own loader does, and brings every image to the world's 64×64 RGB.
 */
public final class DatasetFolder implements ImageSource {

    private static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "webp", "JPG", "Jpeg");

    private final Path root;

    public DatasetFolder(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("dataset folder " + root + " does not exist");
        }
        this.root = root;
    }

    @Override
    public BufferedImage image(Cell cell, long seed) {
        String stem = cell.datasetPath().substring(0, cell.datasetPath().length() - ".png".length());
        for (String extension : EXTENSIONS) {
            Path file = root.resolve(stem + "." + extension);
            if (Files.exists(file)) {
                return read(file);
            }
        }
        throw new IllegalArgumentException("no image for " + cell + " under " + root.resolve(stem) + ".*");
    }

    private static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException(file + " is not an image this JVM can read");
            }
            BufferedImage rgb = new BufferedImage(WorldRenderer.SIZE, WorldRenderer.SIZE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, WorldRenderer.SIZE, WorldRenderer.SIZE, null);
            g.dispose();
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
