package dev.thinkdiff.serving;

import java.nio.charset.StandardCharsets;

/**
 * Format and dimensions of an encoded image, read from its header alone, so that oversized images (decompression
 * bombs) are refused before any pixel is decoded. Reads PNG (IHDR) and baseline/progressive JPEG (SOFn).
 */
public record ImageHeader(String format, int width, int height) {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** @throws RequestException 415 for a format other than PNG or JPEG, 400 for a damaged header */
    public static ImageHeader read(String field, byte[] bytes) {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return png(field, bytes);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return jpeg(field, bytes);
        }
        throw RequestException.unsupportedFormat(field, "is not a PNG or JPEG image (" + sniff(bytes) + ")");
    }

    private static ImageHeader png(String field, byte[] bytes) {
        // signature (8), chunk length (4), "IHDR" (4), width (4), height (4)
        if (bytes.length < 24 || !"IHDR".equals(new String(bytes, 12, 4, StandardCharsets.US_ASCII))) {
            throw RequestException.badInput(field, "PNG header is truncated or has no IHDR chunk");
        }
        return new ImageHeader("png", (int) uint32(bytes, 16), (int) Math.min(Integer.MAX_VALUE, uint32(bytes, 20)))
                .positive(field, uint32(bytes, 16), uint32(bytes, 20));
    }

    private static ImageHeader jpeg(String field, byte[] bytes) {
        int at = 2;
        while (at + 4 <= bytes.length) {
            if ((bytes[at] & 0xff) != 0xff) {
                throw RequestException.badInput(field, "JPEG header is damaged (no marker at byte " + at + ")");
            }
            int marker = bytes[at + 1] & 0xff;
            if (marker == 0xff) {
                at++;
                continue;
            }
            int length = uint16(bytes, at + 2);
            boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
                    && marker != 0xcc;
            if (startOfFrame) {
                if (at + 9 > bytes.length) {
                    break;
                }
                int height = uint16(bytes, at + 5);
                int width = uint16(bytes, at + 7);
                return new ImageHeader("jpeg", width, height).positive(field, width, height);
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                break;
            }
            at += 2 + length;
        }
        throw RequestException.badInput(field, "JPEG header is truncated: no frame header with the dimensions");
    }

    private ImageHeader positive(String field, long w, long h) {
        if (w < 1 || h < 1) {
            throw RequestException.badInput(field, "image header claims " + w + "×" + h + " pixels");
        }
        return this;
    }

    /** @throws RequestException 413 if either side exceeds {@code maxSide} */
    public ImageHeader requireSidesAtMost(String field, int maxSide) {
        if (width > maxSide || height > maxSide) {
            throw RequestException.tooLarge(field, format.toUpperCase() + " header says " + width + "×" + height
                    + " pixels; at most " + maxSide + "×" + maxSide);
        }
        return this;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String sniff(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4), StandardCharsets.ISO_8859_1);
        if (head.startsWith("GIF8")) {
            return "looks like GIF";
        }
        if (head.startsWith("BM")) {
            return "looks like BMP";
        }
        if (head.startsWith("RIFF")) {
            return "looks like WebP/RIFF";
        }
        return bytes.length == 0 ? "empty" : bytes.length + " bytes of unknown format";
    }

    private static long uint32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    private static int uint16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
