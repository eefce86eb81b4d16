package dev.thinkdiff.vlm;

import dev.thinkdiff.world.WorldRenderer;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** One element of an interleaved VLM prompt: a text or a 64×64 RGB image. */
public sealed interface VlmItem permits VlmItem.Text, VlmItem.Image {

    int PIXELS = WorldRenderer.SIZE * WorldRenderer.SIZE;

    record Text(String text) implements VlmItem {
    }

    /** Packed 0xRRGGBB pixels, row-major 64×64 (the top byte is ignored); the array is copied. */
    record Image(int[] rgb) implements VlmItem {

        public Image {
            if (rgb.length != PIXELS) {
                throw new IllegalArgumentException("expected " + PIXELS + " pixels (64×64), got " + rgb.length);
            }
            rgb = rgb.clone();
        }
    }

    static VlmItem text(String text) {
        return new Text(text);
    }

    static VlmItem image(int[] rgb) {
        return new Image(rgb);
    }

    /** Any image, scaled (bilinear) to the VLM's 64×64 if it has another size; alpha is dropped. */
    static VlmItem image(BufferedImage image) {
        int size = WorldRenderer.SIZE;
        BufferedImage rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return new Image(rgb.getRGB(0, 0, size, size, null, 0, size));
    }
}
