package dev.thinkdiff.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FinalNormScaleTest {

    private static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";
    private static final String MINILM_OUTPUT = "last_hidden_state";

    @Test
    void minilmEndsWithTheLayerNormOfLayerFiveOutput() throws IOException {
        byte[] onnx;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MINILM_ONNX)) {
            onnx = in.readAllBytes();
        }
        FinalNormScale scale = FinalNormScale.read(ByteBuffer.wrap(onnx), MINILM_OUTPUT);

        assertEquals("encoder.layer.5.output.LayerNorm.weight", scale.initializerName());
        assertEquals(384, scale.values().length);
        assertEquals(0.645970344543457f, scale.values()[0], 1e-7f, "first value as stored in the file");
    }
}
