package dev.thinkdiff.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format: enough to walk an ONNX model's fields without a protobuf dependency.
 * Length-delimited fields are returned as zero-copy slices of the underlying buffer, so a 90 MB model is never copied.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buffer;
    private int fieldNumber;
    private int wireType;

    ProtoReader(ByteBuffer message) {
        this.buffer = message.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    /** Moves to the next field's key; false at the end of the message. */
    boolean next() {
        if (!buffer.hasRemaining()) {
            return false;
        }
        long key = readVarint();
        fieldNumber = (int) (key >>> 3);
        wireType = (int) (key & 0x7);
        return true;
    }

    int field() {
        return fieldNumber;
    }

    int wireType() {
        return wireType;
    }

    long varint() {
        return readVarint();
    }

    /** The current length-delimited field (a sub-message, string, bytes or packed array) as a little-endian slice. */
    ByteBuffer bytes() {
        int length = Math.toIntExact(readVarint());
        ByteBuffer slice = buffer.slice().limit(length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(buffer.position() + length);
        return slice;
    }

    String string() {
        ByteBuffer bytes = bytes();
        byte[] text = new byte[bytes.remaining()];
        bytes.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    float fixed32Float() {
        return buffer.getFloat();
    }

    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> buffer.position(buffer.position() + Long.BYTES);
            case LENGTH_DELIMITED -> bytes();
            case FIXED32 -> buffer.position(buffer.position() + Integer.BYTES);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
        }
    }

    private long readVarint() {
        long value = 0;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed protobuf varint");
    }
}
