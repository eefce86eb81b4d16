package dev.thinkdiff.serving;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Images on the wire: base64 PNG or JPEG in, base64 PNG out. Sizes are checked before anything is decoded. */
public final class ImageInput {

    private ImageInput() {
    }

    /**
     * Decodes a base64 PNG/JPEG (also in lines or as a data URL, see {@link Base64Input}): the byte size from the base64 length first, then format and dimensions from the
     * header, and only then the pixels.
     */
    public static BufferedImage decode(String field, String base64, ServingConfig.Limits limits) {
        Fields.required(field, base64);
        if (base64.isEmpty()) {
            throw RequestException.badInput(field, "must not be empty");
        }
        String payload = Base64Input.strip(base64);
        long approxBytes = payload.length() / 4L * 3;
        if (approxBytes > limits.imageBytes() + 3L) {
            throw RequestException.tooLarge(field, "about " + approxBytes + " bytes; at most " + limits.imageBytes());
        }
        byte[] bytes = Base64Input.decode(field, payload);
        ImageHeader.read(field, bytes).requireSidesAtMost(field, limits.imageSide());
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw causedByMemory(e) ? RequestException.outOfMemory(field)
                    : RequestException.badInput(field, "the image cannot be decoded (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw RequestException.badInput(field, "the image cannot be decoded");
        }
        return image;
    }

    /** ImageIO reports a failed raster allocation as a read error ({@code IIOException} caused by the error). */
    static boolean causedByMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** PNG bytes of an image; the encoder is deterministic, so equal pixels give equal bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
