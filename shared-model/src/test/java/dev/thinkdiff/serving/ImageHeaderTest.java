package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Dimensions from the header only, and the refusals: 413 too large, 415 another format, 400 damaged. */
class ImageHeaderTest {

    private static final String FIELD = "image";

    @Test
    void readsTheDimensionsOfPngAndJpeg() throws IOException {
        assertEquals(new ImageHeader("png", 64, 48), ImageHeader.read(FIELD, encoded("png")));
        assertEquals(new ImageHeader("jpeg", 64, 48), ImageHeader.read(FIELD, encoded("jpeg")));
    }

    /** A header alone, 100000×100000, with no pixel data after it: refused as too large, never decoded. */
    @Test
    void aHugePngHeaderIsTooLarge() {
        byte[] header = ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(100_000).putInt(100_000)
                .put(new byte[] {8, 2, 0, 0, 0}).putInt(0).array();
        ImageHeader huge = ImageHeader.read(FIELD, header);
        assertEquals(100_000, huge.width());
        assertStatus(413, () -> huge.requireSidesAtMost(FIELD, 1024));
    }

    @Test
    void otherFormatsAndNonImagesAreUnsupported() {
        assertStatus(415, () -> ImageHeader.read(FIELD, ascii("GIF89a\u0001\u0000\u0001\u0000")));
        assertStatus(415, () -> ImageHeader.read(FIELD, ascii("hello world")));
        assertStatus(415, () -> ImageHeader.read(FIELD, new byte[0]));
    }

    @Test
    void aTruncatedOrDamagedHeaderIsBadInput() throws IOException {
        byte[] png = encoded("png");
        assertStatus(400, () -> ImageHeader.read(FIELD, Arrays.copyOf(png, 12)));
        byte[] noIhdr = png.clone();
        noIhdr[12] = 'X';
        assertStatus(400, () -> ImageHeader.read(FIELD, noIhdr));
        byte[] jpegStart = Arrays.copyOf(encoded("jpeg"), 20);
        assertStatus(400, () -> ImageHeader.read(FIELD, jpegStart));
    }

    private static byte[] encoded(String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertStatus(int status, Runnable call) {
        assertEquals(status, assertThrows(RequestException.class, call::run).status());
    }
}
