package dev.thinkdiff.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.text.MiniLmTokenizer;
import dev.thinkdiff.text.Vocabulary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VlmTrainingDataTest {

    private static MiniLmTokenizer miniLm;
    private static VlmTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        DjlRuntime.configure();
        miniLm = MiniLmTokenizer.load();
        tokenizer = new VlmTokenizer(miniLm, Vocabulary.ofWorld(miniLm), VlmConfig.defaults().imageTokens());
    }

    @AfterAll
    static void closeTokenizer() {
        miniLm.close();
    }

    @Test
    void typeOneTasksTakeTheirConfiguredShareOfEpisodes() {
        assertEquals(0.5, typeOneShare(withTypeOneShare(0.5)), 0.03);
        assertEquals(0.7, typeOneShare(withTypeOneShare(0.7)), 0.03);
    }

    @Test
    void aConfigWrittenBeforeTheNewKeysReadsAsItWasTrained() {
        Map<String, Object> old = new LinkedHashMap<>(VlmConfig.defaults().toMap());
        old.remove("type_one_share");
        old.remove("max_gradient_norm");
        old.remove("wording_share");
        old.remove("init_from");
        old.remove("eval_prompts");
        VlmConfig config = VlmConfig.CODEC.fromMap(old);
        assertEquals(0.5, config.typeOneShare());
        assertEquals(0.0, config.maxGradientNorm());
        assertEquals(0.0, config.wordingShare());
        assertEquals("", config.initFrom());
        assertEquals(1000, config.evalPrompts());
        assertEquals(VlmConfig.defaults(), VlmConfig.CODEC.fromMap(VlmConfig.defaults().toMap()));
    }

    private static VlmConfig withTypeOneShare(double share) {
        Map<String, Object> map = new LinkedHashMap<>(VlmConfig.defaults().toMap());
        map.put("type_one_share", share);
        return VlmConfig.CODEC.fromMap(map);
    }

    /** The share of type-I tasks among 4,000 drawn episodes. */
    private static double typeOneShare(VlmConfig config) {
        VlmTrainingData data = new VlmTrainingData(config, tokenizer, 5, cell -> true);
        SplittableRandom random = new SplittableRandom(11);
        int draws = 4000;
        long typeOne = IntStream.range(0, draws).filter(i -> data.randomEpisode(random).task().isTypeOne()).count();
        return typeOne / (double) draws;
    }
}
