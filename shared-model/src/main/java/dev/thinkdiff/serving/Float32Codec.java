package dev.thinkdiff.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Float arrays as base64 of little-endian IEEE-754 float32, the wire form of embeddings. */
public final class Float32Codec {

    private Float32Codec() {
    }

    public static String encode(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * Decodes exactly {@code expected} finite floats.
     *
     * @throws RequestException naming {@code field} for invalid base64, a length that is not {@code expected} floats,
     *                          or a NaN / infinite value
     */
    public static float[] decode(String field, String base64, int expected) {
        Fields.required(field, base64);
        String payload = Base64Input.strip(base64);
        long expectedChars = 4L * ((expected * (long) Float.BYTES + 2) / 3);
        if (payload.length() > expectedChars + 4) {
            throw RequestException.badInput(field, payload.length() + " base64 characters, but the shape needs "
                    + expected + " float32 values (" + expectedChars + " characters)");
        }
        byte[] bytes = Base64Input.decode(field, payload);
        if (bytes.length != expected * Float.BYTES) {
            throw RequestException.badInput(field, "holds " + bytes.length + " bytes, but the shape needs "
                    + expected + " little-endian float32 values (" + expected * Float.BYTES + " bytes)");
        }
        float[] values = new float[expected];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw RequestException.badInput(field, "value " + i + " is " + values[i] + "; all must be finite");
            }
        }
        return values;
    }
}
