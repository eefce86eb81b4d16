package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/** Pixels decoded after the header checks: a damaged image is the client's fault (400), no memory is the node's (503). */
class ImageInputTest {

    private static final ServingConfig.Limits LIMITS = new SmallRyeConfigBuilder()
            .withMapping(ServingConfig.class).build()
            .getConfigMapping(ServingConfig.class).limits();

    @Test
    void decodesAPng() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0xff8000);
        BufferedImage decoded = ImageInput.decode("image", base64(ImageInput.png(image)), LIMITS);
        assertEquals(64, decoded.getWidth());
        assertEquals(0xff8000, decoded.getRGB(3, 4) & 0xffffff);
    }

    /** A sound header whose pixel data is cut short. */
    @Test
    void damagedPixelDataIsBadInput() {
        byte[] png = ImageInput.png(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB));
        RequestException refused = assertThrows(RequestException.class,
                () -> ImageInput.decode("image", base64(Arrays.copyOf(png, 60)), LIMITS));
        assertEquals(400, refused.status());
        assertEquals("image", refused.field());
    }

    /** ImageIO wraps a failed raster allocation in a read error; that is no fault of the image. */
    @Test
    void aMemoryFailureIsOverCapacityNotBadInput() {
        assertTrue(ImageInput.causedByMemory(new IIOException("Caught exception during read: ",
                new OutOfMemoryError("Java heap space"))));
        assertTrue(ImageInput.causedByMemory(new OutOfMemoryError()));
        assertFalse(ImageInput.causedByMemory(new IIOException("Error reading PNG image data")));
        RequestException refused = RequestException.outOfMemory("items[1].image");
        assertEquals(503, refused.status());
        assertEquals("over_capacity", refused.error());
        assertEquals("items[1].image", refused.field());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
