package dev.thinkdiff.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.align.ClipAlignerConfig;
import dev.thinkdiff.clip.ClipConfig;
import dev.thinkdiff.diffusion.AutoencoderConfig;
import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.judge.JudgeConfig;
import dev.thinkdiff.llm.LlmDecoderConfig;
import dev.thinkdiff.vlm.VlmConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Case<C extends Record & ModelConfig>(C defaults, ConfigCodec<C> codec) {
    }

    static Stream<Case<?>> configs() {
        return Stream.of(new Case<>(JudgeConfig.defaults(), JudgeConfig.CODEC),
                new Case<>(LlmDecoderConfig.defaults(), LlmDecoderConfig.CODEC),
                new Case<>(VlmConfig.defaults(), VlmConfig.CODEC),
                new Case<>(AutoencoderConfig.defaults(), AutoencoderConfig.CODEC),
                new Case<>(DiffusionConfig.defaults(), DiffusionConfig.CODEC),
                new Case<>(AlignerConfig.defaults(), AlignerConfig.CODEC),
                new Case<>(AlignerConfig.reconstruction(), AlignerConfig.CODEC),
                new Case<>(ClipAlignerConfig.defaults(), ClipAlignerConfig.CODEC),
                new Case<>(ClipConfig.defaults(), ClipConfig.CODEC));
    }

    @ParameterizedTest
    @MethodSource("configs")
    <C extends Record & ModelConfig> void everyConfigSurvivesAJsonRoundTripWithOneSnakeCaseKeyPerComponent(Case<C> c)
            throws Exception {
        Map<String, Object> map = c.defaults().toMap();
        assertEquals(c.codec().keys(), map.keySet());
        map.keySet().forEach(key -> assertTrue(key.matches("[a-z]+(_[a-z]+)*"), key));
        @SuppressWarnings("unchecked")
        Map<String, Object> read = JSON.readValue(JSON.writeValueAsString(map), Map.class);
        assertEquals(c.defaults(), c.codec().fromMap(read));
        assertEquals(JSON.writeValueAsString(map), JSON.writeValueAsString(c.codec().fromMap(read).toMap()));
    }

    @ParameterizedTest
    @MethodSource("configs")
    <C extends Record & ModelConfig> void unknownAndMissingKeysAreRefusedByName(Case<C> c) {
        Map<String, Object> unknown = new LinkedHashMap<>(c.defaults().toMap());
        unknown.put("stepz", 3);
        assertTrue(message(() -> c.codec().fromMap(unknown)).contains("stepz"));
        Map<String, Object> missing = new LinkedHashMap<>(c.defaults().toMap());
        missing.remove("steps");
        assertTrue(message(() -> c.codec().fromMap(missing)).contains("lacks [steps]"));
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedByName() {
        for (Object wrong : List.of("12", 12.5, true)) {
            Map<String, Object> map = JudgeConfig.defaults().toMap();
            map.put("steps", wrong);
            assertEquals("judge config 'steps' must be an integer, got " + wrong,
                    message(() -> JudgeConfig.CODEC.fromMap(map)));
        }
        Map<String, Object> map = AlignerConfig.defaults().toMap();
        map.put("masking", "true");
        assertEquals("aligner config 'masking' must be true or false, got true",
                message(() -> AlignerConfig.CODEC.fromMap(map)));
        map.put("masking", false);
        map.put("norm", "cosine");
        assertTrue(message(() -> AlignerConfig.CODEC.fromMap(map)).startsWith("aligner config 'norm' must be one of"));
    }

    @Test
    void aConfigsOwnValidationStillApplies() {
        Map<String, Object> map = JudgeConfig.defaults().toMap();
        map.put("norm_groups", 7);
        assertTrue(message(() -> JudgeConfig.CODEC.fromMap(map)).contains("not divisible into 7 groups"));
    }

    @Test
    void keysAddedLaterTakeTheValueOlderVersionsWereTrainedWith() {
        Map<String, Object> old = AlignerConfig.defaults().toMap();
        for (String key : List.of("objective", "aligned_dropout", "manifold", "snap_states", "snap_scale",
                "inference_snap_scale", "max_gradient_norm")) {
            old.remove(key);
        }
        AlignerConfig read = AlignerConfig.CODEC.fromMap(old);
        assertEquals(AlignerConfig.Objective.DECODER, read.objective());
        assertEquals(0, read.snapStates());
        assertEquals(30, read.snapScale());
        assertEquals(30, read.inferenceSnapScale());
        old.put("snap_scale", 7.0);
        assertEquals(7, AlignerConfig.CODEC.fromMap(old).inferenceSnapScale());
        // a key without a legacy default is required
        old.remove("seed");
        assertTrue(message(() -> AlignerConfig.CODEC.fromMap(old)).contains("lacks [seed]"));
    }

    @Test
    void textSettingsAreParsedAsTheirKeysTypeStrictly() {
        JudgeConfig base = JudgeConfig.defaults();
        JudgeConfig set = JudgeConfig.CODEC.withText(base, Map.of("steps", "12", "learning_rate", "1e-2",
                "channels", "8, 16", "themes", "color"), Map.of());
        assertEquals(12, set.steps());
        assertEquals(0.01, set.learningRate());
        assertEquals(List.of(8, 16), set.channels());
        assertEquals(List.of("color"), set.themes());
        AlignerConfig aligner = AlignerConfig.CODEC.withText(AlignerConfig.defaults(),
                Map.of("masking", "true", "objective", "diffusion", "seed", "5"), Map.of());
        assertTrue(aligner.masking());
        assertEquals(AlignerConfig.Objective.DIFFUSION, aligner.objective());
        assertEquals(5L, aligner.seed());

        assertEquals("judge config 'steps' must be an integer, got 1.5 (from --set steps=1.5)",
                message(() -> JudgeConfig.CODEC.withText(base, Map.of("steps", "1.5"),
                        Map.of("steps", "--set steps=1.5"))));
        assertTrue(message(() -> JudgeConfig.CODEC.withText(base, Map.of("steps", "many"), Map.of()))
                .startsWith("judge config 'steps' must be an integer, got \"many\""));
        assertTrue(message(() -> AlignerConfig.CODEC.withText(AlignerConfig.defaults(), Map.of("masking", "yes"),
                Map.of())).startsWith("aligner config 'masking' must be true or false"));
        assertTrue(message(() -> JudgeConfig.CODEC.withText(base, Map.of("channels", "8,x"), Map.of()))
                .startsWith("judge config 'channels' must be a list"));
        assertTrue(message(() -> JudgeConfig.CODEC.withText(base, Map.of("stepz", "3"), Map.of("stepz", "here")))
                .equals("judge config: unknown key 'stepz'; known: " + JudgeConfig.CODEC.keys() + " (from here)"));
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }
}
