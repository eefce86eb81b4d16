package dev.thinkdiff.vlm;

import dev.thinkdiff.world.WorldRenderer;
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

    static VlmItem image(BufferedImage image) {
        if (image.getWidth() != WorldRenderer.SIZE || image.getHeight() != WorldRenderer.SIZE) {
            throw new IllegalArgumentException("expected a 64×64 image, got " + image.getWidth() + "×"
                    + image.getHeight());
        }
        return new Image(image.getRGB(0, 0, WorldRenderer.SIZE, WorldRenderer.SIZE, null, 0, WorldRenderer.SIZE));
    }
}
