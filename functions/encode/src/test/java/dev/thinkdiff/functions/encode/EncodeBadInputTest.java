package dev.thinkdiff.functions.encode;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.functions.core.HttpEdgeContract;
import dev.thinkdiff.world.BenchmarkImages;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad encode input gets a 4xx JSON {error, message, field} — never a 5xx, never a stack trace. */
@QuarkusTest
class EncodeBadInputTest extends HttpEdgeContract {

    @Override
    protected String path() {
        return "/encode";
    }

    private static final String PNG = EncodeFunctionTest.png(BenchmarkImages.render(new Cell(Theme.COLOR, 4, 2)));
    private static final String PROMPT = "\"prompt\":{\"task\":\"C-I\",\"index\":0,\"shots\":2}";

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"items\":[", 400, "body"),
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("an array", "[]", 400, "body"),
                Arguments.of("unknown field", "{" + PROMPT + ",\"temprature\":1}", 400, "temprature"),
                Arguments.of("neither items nor prompt", "{\"seed\":1}", 400, "items|prompt"),
                Arguments.of("both items and prompt", "{" + PROMPT + ",\"items\":[{\"text\":\"a\"}]}", 400,
                        "items|prompt"),
                Arguments.of("items empty", "{\"items\":[]}", 400, "items"),
                Arguments.of("items not a list", "{\"items\":\"a red car\"}", 400, "items"),
                Arguments.of("too many items", "{\"items\":[" + String.join(",", Collections.nCopies(19,
                        "{\"text\":\"a\"}")) + "]}", 413, "items"),
                Arguments.of("item null", "{\"items\":[null]}", 400, "items[0]"),
                Arguments.of("item with text and image", "{\"items\":[{\"text\":\"a\",\"image\":\"" + PNG + "\"}]}",
                        400, "items[0].text|image"),
                Arguments.of("item with neither", "{\"items\":[{}]}", 400, "items[0].text|image"),
                Arguments.of("item text empty", "{\"items\":[{\"text\":\" \"}]}", 400, "items[0].text"),
                Arguments.of("item text huge", "{\"items\":[{\"text\":\"" + "a".repeat(600) + "\"}]}", 413,
                        "items[0].text"),
                Arguments.of("item text only zero-width and bidi marks", "{\"items\":[{\"text\":\"\\u200b\\u200f"
                        + "\\u202a\\u2066\"}]}", 400, "items[0].text"),
                Arguments.of("item text only emoji", "{\"items\":[{\"text\":\"\\ud83e\\udd81\\ud83d\\udcd6\"}]}",
                        400, "items[0].text"),
                Arguments.of("item text with a lone surrogate", "{\"items\":[{\"text\":\"a lion \\udbff\"}]}",
                        400, "items[0].text"),
                Arguments.of("temperature NaN literal", "{" + PROMPT + ",\"temperature\":NaN}", 400, "temperature"),
                Arguments.of("topP Infinity literal", "{" + PROMPT + ",\"topP\":Infinity}", 400, "topP"),
                Arguments.of("seed NaN literal", "{" + PROMPT + ",\"seed\":NaN}", 400, "seed"),
                Arguments.of("task a fraction", "{\"prompt\":{\"task\":1.5,\"index\":0,\"shots\":2}}", 400,
                        "prompt.task"),
                Arguments.of("task a boolean", "{\"prompt\":{\"task\":true,\"index\":0,\"shots\":2}}", 400,
                        "prompt.task"),
                Arguments.of("task number out of range", "{\"prompt\":{\"task\":11,\"index\":0,\"shots\":2}}",
                        400, "prompt.task"),
                Arguments.of("image URL-safe base64", "{\"items\":[{\"image\":\"" + PNG.replace('+', '-')
                        .replace('/', '_') + "\"}]}", 400, "items[0].image"),
                Arguments.of("image data URL of another kind", "{\"items\":[{\"image\":\"data:image/png,"
                        + PNG + "\"}]}", 400, "items[0].image"),
                Arguments.of("item text a number", "{\"items\":[{\"text\":5}]}", 400, "items[0].text"),
                Arguments.of("prompt longer than the VLM reads", "{\"items\":[" + String.join(",",
                        Collections.nCopies(6, "{\"text\":\"" + "red car ".repeat(60) + "\"}")) + "]}", 413, "items"),
                Arguments.of("image garbage base64", "{\"items\":[{\"image\":\"%%%\"}]}", 400, "items[0].image"),
                Arguments.of("image truncated PNG", "{\"items\":[{\"image\":\"" + Base64.getEncoder().encodeToString(
                        Arrays.copyOf(Base64.getDecoder().decode(PNG), 60)) + "\"}]}", 400, "items[0].image"),
                Arguments.of("PNG header claiming huge dimensions", "{\"items\":[{\"image\":\"" + FunctionTests.hugePngHeader()
                        + "\"}]}", 413, "items[0].image"),
                Arguments.of("GIF", "{\"items\":[{\"image\":\"" + Base64.getEncoder().encodeToString(
                        "GIF89a\u0001\u0000\u0001\u0000".getBytes()) + "\"}]}", 415, "items[0].image"),
                Arguments.of("image too many bytes", "{\"items\":[{\"image\":\"" + "A".repeat(1_500_000) + "\"}]}",
                        413, "items[0].image"),
                Arguments.of("more images than shots", "{\"items\":[" + String.join(",", Collections.nCopies(9,
                        "{\"image\":\"" + PNG + "\"}")) + "]}", 413, "items[8].image"),
                Arguments.of("variant clip with a benchmark prompt", "{" + PROMPT + ",\"variant\":\"clip\"}", 400,
                        "prompt"),
                Arguments.of("variant clip with a seed", "{\"items\":[{\"image\":\"" + PNG
                        + "\"}],\"variant\":\"clip\",\"seed\":3}", 400, "seed"),
                Arguments.of("variant clip with a query contrast", "{\"items\":[{\"image\":\"" + PNG
                        + "\"}],\"variant\":\"clip\",\"queryContrast\":0.5}", 400, "queryContrast"),
                Arguments.of("variant clip with more images than shots", "{\"variant\":\"clip\",\"items\":["
                        + String.join(",", Collections.nCopies(9, "{\"image\":\"" + PNG + "\"}")) + "]}", 413,
                        "items[8].image"),
                Arguments.of("variant unknown", "{" + PROMPT + ",\"variant\":\"t5\"}", 400, "variant"),
                Arguments.of("seed negative", "{" + PROMPT + ",\"seed\":-5}", 400, "seed"),
                Arguments.of("seed fraction", "{" + PROMPT + ",\"seed\":0.5}", 400, "seed"),
                Arguments.of("seed above 2^53", "{" + PROMPT + ",\"seed\":9007199254740993}", 400, "seed"),
                Arguments.of("temperature NaN", "{" + PROMPT + ",\"temperature\":\"NaN\"}", 400, "temperature"),
                Arguments.of("temperature negative", "{" + PROMPT + ",\"temperature\":-0.1}", 400, "temperature"),
                Arguments.of("temperature huge", "{" + PROMPT + ",\"temperature\":50}", 400, "temperature"),
                Arguments.of("topP zero", "{" + PROMPT + ",\"topP\":0}", 400, "topP"),
                Arguments.of("topP above one", "{" + PROMPT + ",\"topP\":1.5}", 400, "topP"),
                Arguments.of("queryContrast negative", "{" + PROMPT + ",\"queryContrast\":-0.5}", 400,
                        "queryContrast"),
                Arguments.of("queryContrast huge", "{" + PROMPT + ",\"queryContrast\":1e9}", 400, "queryContrast"),
                Arguments.of("queryContrast not a number", "{" + PROMPT + ",\"queryContrast\":\"strong\"}", 400,
                        "queryContrast"),
                Arguments.of("maxTokens zero", "{" + PROMPT + ",\"maxTokens\":0}", 400, "maxTokens"),
                Arguments.of("maxTokens too many", "{" + PROMPT + ",\"maxTokens\":100000}", 400, "maxTokens"),
                Arguments.of("unknown task", "{\"prompt\":{\"task\":\"Z-I\",\"index\":0,\"shots\":2}}", 400,
                        "prompt.task"),
                Arguments.of("too many shots", "{\"prompt\":{\"task\":\"C-I\",\"index\":0,\"shots\":9}}", 400,
                        "prompt.shots"),
                Arguments.of("prompt index out of range", "{\"prompt\":{\"task\":\"C-I\",\"index\":1000,\"shots\":2}}",
                        400, "prompt.index"),
                Arguments.of("prompt index missing", "{\"prompt\":{\"task\":\"C-I\",\"shots\":2}}", 400,
                        "prompt.index"),
                Arguments.of("unknown split", "{\"prompt\":{\"task\":\"C-I\",\"index\":0,\"shots\":2,\"split\":\"x\"}}",
                        400, "prompt.split"),
                Arguments.of("output not s3", "{" + PROMPT + ",\"output\":\"file:///tmp\"}", 400, "output"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAClearMessage(String name, String body, int status, String field) {
        FunctionTests.assertRefusedClearly("/encode", name, body, status, field);
    }
}
