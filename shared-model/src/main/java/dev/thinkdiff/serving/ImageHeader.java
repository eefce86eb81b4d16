package dev.thinkdiff.serving;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Format and dimensions of an encoded image, read from its header alone, so that oversized images (decompression
 * bombs) are refused before any pixel is decoded. The JDK's {@code javax.imageio} readers recognise the format and
 * read the header (PNG's IHDR, JPEG's frame header); only PNG and JPEG are accepted.
 */
public record ImageHeader(String format, int width, int height) {

    private static final Set<String> ACCEPTED = Set.of("png", "jpeg");

    /** @throws RequestException 415 for a format other than PNG or JPEG, 400 for a damaged or truncated header */
    public static ImageHeader read(String field, byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw RequestException.unsupportedFormat(field, "is not a PNG or JPEG image ("
                        + (bytes.length == 0 ? "empty" : bytes.length + " bytes of unknown format") + ")");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!ACCEPTED.contains(format)) {
                    throw RequestException.unsupportedFormat(field, "is a " + format.toUpperCase(Locale.ROOT)
                            + " image, not PNG or JPEG");
                }
                reader.setInput(in, true, true);
                return dimensions(field, format, reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an in-memory image", e);
        }
    }

    private static ImageHeader dimensions(String field, String format, ImageReader reader) {
        String name = format.toUpperCase(Locale.ROOT);
        try {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1) {
                throw RequestException.badInput(field, name + " header claims " + width + "×" + height + " pixels");
            }
            return new ImageHeader(format, width, height);
        } catch (IOException e) {
            throw RequestException.badInput(field, name + " header is damaged or truncated (" + e.getMessage() + ")");
        }
    }

    /** @throws RequestException 413 if either side exceeds {@code maxSide} */
    public ImageHeader requireSidesAtMost(String field, int maxSide) {
        if (width > maxSide || height > maxSide) {
            throw RequestException.tooLarge(field, format.toUpperCase(Locale.ROOT) + " header says " + width + "×"
                    + height + " pixels; at most " + maxSide + "×" + maxSide);
        }
        return this;
    }
}
