package dev.thinkdiff.job;

import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.llm.LlmDecoderConfig;
import dev.thinkdiff.llm.LlmDecoderEvaluation;
import dev.thinkdiff.llm.LlmDecoderTraining;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.train.ConfigCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The LLM decoder: measured on held-out captions, clean and with noise on the prompt states. */
final class LlmDecoderComponent implements TrainableComponent {

    private static final int DEFAULT_CELLS_PER_THEME = 40;

    @Override
    public String name() {
        return Components.LLM_DECODER;
    }

    @Override
    public ConfigCodec<LlmDecoderConfig> codec() {
        return LlmDecoderConfig.CODEC;
    }

    @Override
    public Map<String, Object> defaultSettings() {
        return LlmDecoderConfig.defaults().toMap();
    }

    @Override
    public List<String> keyMetrics() {
        return List.of("reconstruction.exact", "continuation.token_accuracy");
    }

    @Override
    public Manifest train(Map<String, Object> settings, Path runDir, boolean resume, ModelRef ref,
            ModelCache models) throws IOException {
        return LlmDecoderTraining.run(LlmDecoderConfig.CODEC.fromMap(settings), runDir, resume, -1).manifest(ref)
                .build();
    }

    @Override
    public void evaluate(LoadedModel model, Integer size, ModelCache models, Path reportDir) {
        try (LlmDecoder decoder = LlmDecoder.load(model);
                MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load()) {
            int cells = size == null ? DEFAULT_CELLS_PER_THEME : size;
            System.out.println(LlmDecoderEvaluation.run(decoder, encoder, cells).table());
        }
    }
}
