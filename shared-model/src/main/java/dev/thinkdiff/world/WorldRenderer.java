package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Renders the synthetic CoBSAT world: any of the 5 × 10 × 10 cells at 64×64 RGB, deterministic in (cell, seed). The
 * seed varies position, scale, small rotation, shade and pattern phase; it never changes what the cell shows.
 * Headless Java2D; an instance reuses one canvas, so use one renderer per thread.
 */
public final class WorldRenderer implements ImageSource {

    public static final int SIZE = 64;

    private final BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    private final int[] pixels = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();

    @Override
    public BufferedImage image(Cell cell, long seed) {
        return render(cell, seed);
    }

    /** Renders into a new image (safe to keep). */
    public BufferedImage render(Cell cell, long seed) {
        paint(cell, seed);
        BufferedImage copy = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        copy.setRGB(0, 0, SIZE, SIZE, pixels, 0, SIZE);
        return copy;
    }

    /**
     * Renders and returns the packed pixels, row-major, colour in the low 24 bits (0xRRGGBB; ignore the top byte);
     * the array is reused by the next call.
     */
    public int[] renderPixels(Cell cell, long seed) {
        paint(cell, seed);
        return pixels;
    }

    private void paint(Cell cell, long seed) {
        Variation v = Variation.draw(new SplittableRandom(mix(cell, seed)));
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            // Start from a blank canvas so a scene that leaves a pixel unpainted never shows the previous render.
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            Theme theme = cell.theme();
            switch (theme) {
                case COLOR -> ObjectPainter.paintColored(g, cell.subject(), cell.attribute(), v);
                case TEXTURE -> ObjectPainter.paintTextured(g, cell.subject(), cell.attribute(), v);
                case STYLE -> ObjectPainter.paintStyled(g, canvas, cell.subject(), cell.attribute(), v);
                case BACKGROUND -> {
                    Scenes.paint(g, cell.attribute(), v);
                    paintAnimal(g, cell.subject(), -1, v);
                }
                case ACTION -> {
                    Scenes.studio(g, v);
                    paintAnimal(g, cell.subject(), cell.attribute(), v);
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** An animal, doing {@code action} (or nothing when -1), placed by the seed's variation. */
    private static void paintAnimal(Graphics2D g, int animal, int action, Variation v) {
        AffineTransform saved = g.getTransform();
        // Animals face right and action cues sit around the head, so acting animals stand a little left of centre.
        double centreX = action < 0 ? 32 : 28;
        g.translate(centreX + v.dx() * (action < 0 ? 1 : 0.6), 36 + v.dy() * 0.5);
        g.rotate(v.rotation() * 0.5);
        g.scale(v.scale(), v.scale());
        if (action < 0) {
            AnimalPainter.paint(g, animal, AnimalPainter.Pose.STAND, false, v);
        } else {
            g.translate(0, -ActionCues.lift(action));
            AnimalPainter.Anchors anchors = AnimalPainter.paint(g, animal, ActionCues.pose(action),
                    ActionCues.eyesClosed(action), v);
            ActionCues.paint(g, action, anchors, v);
        }
        g.setTransform(saved);
    }

    /** One 64-bit stream per (cell, seed): SplitMix-style mixing so neighbouring seeds give unrelated variations. */
    static long mix(Cell cell, long seed) {
        long z = seed * 0x9E3779B97F4A7C15L + (cell.theme().ordinal() * 100L + cell.subject() * 10L + cell.attribute());
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
