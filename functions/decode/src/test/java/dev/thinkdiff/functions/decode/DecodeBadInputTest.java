package dev.thinkdiff.functions.decode;

import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.functions.core.HttpEdgeContract;
import dev.thinkdiff.serving.Float32Codec;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad decode input gets a 4xx JSON {error, message, field} — never a 5xx, never a stack trace. */
@QuarkusTest
class DecodeBadInputTest extends HttpEdgeContract {

    @Override
    protected String path() {
        return "/decode";
    }

    private static final String EMB = "{\"data\":\"" + Float32Codec.encode(new float[2 * 384]) + "\",\"shape\":[2,384]}";

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"text\":\"a car\"", 400, "body"),
                Arguments.of("not JSON at all", "hello", 400, "body"),
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("JSON null", "null", 400, "body"),
                Arguments.of("an array", "[1,2]", 400, "body"),
                Arguments.of("trailing garbage", "{\"text\":\"a car\"} x", 400, "body"),
                Arguments.of("unknown field", "{\"text\":\"a car\",\"sed\":1}", 400, "sed"),
                Arguments.of("no input", "{\"seed\":1}", 400, "text|embedding|embeddingUri"),
                Arguments.of("two inputs", "{\"text\":\"a\",\"embedding\":" + EMB + "}", 400,
                        "text|embedding|embeddingUri"),
                Arguments.of("empty text", "{\"text\":\"   \"}", 400, "text"),
                Arguments.of("huge text", "{\"text\":\"" + "a".repeat(5000) + "\"}", 413, "text"),
                Arguments.of("text is a number", "{\"text\":5}", 400, "text"),
                Arguments.of("seed is a string", "{\"text\":\"a\",\"seed\":\"abc\"}", 400, "seed"),
                Arguments.of("seed negative", "{\"text\":\"a\",\"seed\":-1}", 400, "seed"),
                Arguments.of("seed fraction", "{\"text\":\"a\",\"seed\":1.5}", 400, "seed"),
                Arguments.of("steps zero", "{\"text\":\"a\",\"steps\":0}", 400, "steps"),
                Arguments.of("steps too many", "{\"text\":\"a\",\"steps\":100000}", 400, "steps"),
                Arguments.of("steps fraction", "{\"text\":\"a\",\"steps\":2.5}", 400, "steps"),
                Arguments.of("guidance NaN literal", "{\"text\":\"a\",\"guidance\":NaN}", 400, "guidance"),
                Arguments.of("guidance Infinity literal", "{\"text\":\"a\",\"guidance\":Infinity}", 400,
                        "guidance"),
                Arguments.of("guidance -Infinity literal", "{\"text\":\"a\",\"guidance\":-Infinity}", 400,
                        "guidance"),
                Arguments.of("guidance beyond a double", "{\"text\":\"a\",\"guidance\":1e400}", 400, "guidance"),
                Arguments.of("steps NaN literal", "{\"text\":\"a\",\"steps\":NaN}", 400, "steps"),
                Arguments.of("mask entry NaN literal", "{\"embedding\":" + EMB.replace("}", ",\"mask\":[1,NaN]}")
                        + "}", 400, "embedding.mask[1]"),
                Arguments.of("text only zero-width and bidi marks", "{\"text\":\"\\u200b\\u200e\\u202e\\u2060"
                        + "\\ufeff\"}", 400, "text"),
                Arguments.of("text only emoji", "{\"text\":\"\\ud83d\\ude97 \\ud83d\\udc36\"}", 400, "text"),
                Arguments.of("text only punctuation", "{\"text\":\"?!…\"}", 400, "text"),
                Arguments.of("text with a lone surrogate", "{\"text\":\"a red car \\ud800\"}", 400, "text"),
                Arguments.of("text with a lone low surrogate", "{\"text\":\"\\udc00 car\"}", 400, "text"),
                Arguments.of("embedding URL-safe base64", "{\"embedding\":{\"data\":\"" + Float32Codec.encode(
                        new float[384]).replace('A', '-') + "\",\"shape\":[1,384]}}", 400, "embedding.data"),
                Arguments.of("guidance NaN string", "{\"text\":\"a\",\"guidance\":\"NaN\"}", 400, "guidance"),
                Arguments.of("guidance negative", "{\"text\":\"a\",\"guidance\":-1}", 400, "guidance"),
                Arguments.of("guidance huge", "{\"text\":\"a\",\"guidance\":1e308}", 400, "guidance"),
                Arguments.of("count zero", "{\"text\":\"a\",\"count\":0}", 400, "count"),
                Arguments.of("count too many", "{\"text\":\"a\",\"count\":1000}", 400, "count"),
                Arguments.of("embedding wrong width", "{\"embedding\":{\"data\":\"" + Float32Codec.encode(
                        new float[2 * 100]) + "\",\"shape\":[2,100]}}", 400, "embedding.shape"),
                Arguments.of("embedding shape 3-d", "{\"embedding\":{\"data\":\"AAAA\",\"shape\":[1,2,384]}}",
                        400, "embedding.shape"),
                Arguments.of("embedding shape missing", "{\"embedding\":{\"data\":\"AAAA\"}}", 400,
                        "embedding.shape"),
                Arguments.of("embedding data does not match shape", "{\"embedding\":{\"data\":\""
                        + Float32Codec.encode(new float[384]) + "\",\"shape\":[2,384]}}", 400, "embedding.data"),
                Arguments.of("embedding garbage base64", "{\"embedding\":{\"data\":\"!!!not base64!!!\","
                        + "\"shape\":[1,384]}}", 400, "embedding.data"),
                Arguments.of("embedding truncated base64", "{\"embedding\":{\"data\":\""
                        + Float32Codec.encode(new float[384]).substring(0, 500) + "\",\"shape\":[1,384]}}", 400,
                        "embedding.data"),
                Arguments.of("embedding NaN value", "{\"embedding\":{\"data\":\""
                        + Float32Codec.encode(nanAt(384, 5)) + "\",\"shape\":[1,384]}}", 400, "embedding.data"),
                Arguments.of("embedding too many tokens", "{\"embedding\":{\"data\":\"AAAA\",\"shape\":[100000,384]}}",
                        413, "embedding.shape"),
                Arguments.of("embedding zero tokens", "{\"embedding\":{\"data\":\"\",\"shape\":[0,384]}}", 400,
                        "embedding.shape"),
                Arguments.of("mask wrong length", "{\"embedding\":" + EMB.replace("}", ",\"mask\":[1]}") + "}", 400,
                        "embedding.mask"),
                Arguments.of("mask not 0/1", "{\"embedding\":" + EMB.replace("}", ",\"mask\":[1,7]}") + "}", 400,
                        "embedding.mask"),
                Arguments.of("mask all zero", "{\"embedding\":" + EMB.replace("}", ",\"mask\":[0,0]}") + "}", 400,
                        "embedding.mask"),
                Arguments.of("embedding is a string", "{\"embedding\":\"s3://b/k\"}", 400, "embedding"),
                Arguments.of("embeddingUri not s3", "{\"embeddingUri\":\"http://example.com/x\"}", 400,
                        "embeddingUri"),
                Arguments.of("embeddingUri without key", "{\"embeddingUri\":\"s3://bucket\"}", 400, "embeddingUri"),
                Arguments.of("output not s3", "{\"text\":\"a\",\"output\":\"/tmp/x\"}", 400, "output"));
    }

    static float[] nanAt(int length, int at) {
        float[] values = new float[length];
        values[at] = Float.NaN;
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAClearMessage(String name, String body, int status, String field) {
        FunctionTests.assertRefusedClearly("/decode", name, body, status, field);
    }
}
