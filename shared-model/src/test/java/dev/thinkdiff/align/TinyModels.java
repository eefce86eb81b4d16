package dev.thinkdiff.align;

import ai.djl.ndarray.NDManager;
import dev.thinkdiff.clip.ClipConfig;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.clip.ClipVisionNet;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.llm.LlmDecoderConfig;
import dev.thinkdiff.llm.LlmDecoderNet;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import dev.thinkdiff.train.ParameterInit;
import dev.thinkdiff.train.TrainingRun;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmConfig;
import dev.thinkdiff.vlm.VlmNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen models an aligner trains between, tiny and randomly initialised from fixed seeds, written to and loaded
 * from {@code dir} as a published model would be: a 48-wide VLM (VlmTest's tiny one), a 32-wide one-layer LLM
 * decoder reading 384-wide MiniLM states, and a 16-wide CLIP vision encoder with 5 image tokens.
 */
final class TinyModels {

    static final int VLM_WIDTH = 48;
    static final int CLIP_WIDTH = 16;

    private TinyModels() {
    }

    static Vlm vlm(Path dir) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>(VlmConfig.defaults().toMap());
        map.put("channels", List.of(8, 16, 16, 32));
        map.put("convs_per_stage", 1);
        map.put("norm_groups", 4);
        map.put("width", VLM_WIDTH);
        map.put("layers", 2);
        map.put("heads", 2);
        map.put("mlp_hidden", 96);
        map.put("max_positions", 96);
        VlmConfig config = VlmConfig.CODEC.fromMap(map);
        Path parameters = dir.resolve(Vlm.PARAMETERS_FILE);
        Path vocabularyFile = dir.resolve(Vocabulary.FILE_NAME);
        Vocabulary vocabulary = vocabulary(vocabularyFile);
        try (NDManager manager = NDManager.newBaseManager()) {
            VlmNet net = VlmNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 2, 0.3);
            TrainingRun.saveParameters(net, parameters);
        }
        return Vlm.load(config, parameters, vocabularyFile);
    }

    static LlmDecoder decoder(Path dir) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>(LlmDecoderConfig.defaults().toMap());
        map.put("width", 32);
        map.put("layers", 1);
        map.put("heads", 2);
        map.put("mlp_hidden", 64);
        map.put("max_target_tokens", 24);
        LlmDecoderConfig config = LlmDecoderConfig.CODEC.fromMap(map);
        Path parameters = dir.resolve(LlmDecoder.PARAMETERS_FILE);
        Path vocabularyFile = dir.resolve(Vocabulary.FILE_NAME);
        Vocabulary vocabulary = vocabulary(vocabularyFile);
        try (NDManager manager = NDManager.newBaseManager()) {
            LlmDecoderNet net = LlmDecoderNet.create(config, vocabulary.size(), manager);
            ParameterInit.normal(net, 4, 0.2);
            TrainingRun.saveParameters(net, parameters);
        }
        return LlmDecoder.load(config, parameters, vocabularyFile);
    }

    static ClipVision clipVision(Path dir) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>(ClipConfig.defaults().toMap());
        map.put("channels", List.of(8, 16));
        map.put("convs_per_stage", 1);
        map.put("norm_groups", 4);
        map.put("width", CLIP_WIDTH);
        ClipConfig config = ClipConfig.CODEC.fromMap(map);
        Path parameters = dir.resolve(ClipVision.PARAMETERS_FILE);
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun.saveParameters(ClipVisionNet.create(config, manager, 6), parameters);
        }
        return ClipVision.load(config, parameters, "test");
    }

    /** The world vocabulary, written to {@code file} (once) for the models that load it. */
    private static Vocabulary vocabulary(Path file) throws IOException {
        try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
            Vocabulary vocabulary = Vocabulary.ofWorld(tokenizer);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                vocabulary.write(file);
            }
            return vocabulary;
        }
    }
}
