package dev.thinkdiff.functions.score;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.functions.core.FunctionTests;
import dev.thinkdiff.functions.core.HttpEdgeContract;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.world.WorldRenderer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The score function over real HTTP on the shipped judge (models/pocket/judge). */
@QuarkusTest
class ScoreFunctionTest extends HttpEdgeContract {

    @Override
    protected String path() {
        return "/score";
    }

    private static final String RED_CAR = png(new WorldRenderer().render(new Cell(Theme.COLOR, 4, 2), 11));

    @BeforeEach
    void waitUntilReady() throws InterruptedException {
        FunctionTests.awaitReady();
    }

    static String png(BufferedImage image) {
        return Base64.getEncoder().encodeToString(ImageInput.png(image));
    }

    static JsonPath score(String body) {
        return given().contentType("application/json").body(body).post("/score").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void aRealRenderedCellIsJudgedCorrectAndAWrongExpectationWrong() {
        // C-I: x is the color (red), θ the subject (car); the image shows a red car
        JsonPath right = score("{\"task\":\"C-I\",\"expected\":{\"x\":\"red\",\"theta\":\"car\"},\"image\":\""
                + RED_CAR + "\"}");
        assertTrue(right.getBoolean("correct"), right.prettify());
        assertTrue(right.getBoolean("textual") && right.getBoolean("visual"));
        assertEquals("red", right.getString("attribute.answer"));
        assertEquals("car", right.getString("subject.answer"));
        assertEquals("pocket/judge/" + "v20261125-092930".substring(0, 1), right.getString("models.judge")
                .substring(0, 14));
        JsonPath wrong = score("{\"task\":\"C-I\",\"expected\":{\"x\":\"blue\",\"theta\":\"car\"},\"image\":\""
                + RED_CAR + "\"}");
        assertFalse(wrong.getBoolean("correct"));
        assertFalse(wrong.getBoolean("textual"), "the color is wrong");
        assertTrue(wrong.getBoolean("visual"), "the subject is right");
    }

    @Test
    void aBenchmarkPromptNamesTheExpectedCell() throws Exception {
        Episode episode = Episode.of(Task.ACTION_II, 3, 17);
        Cell expected = episode.expected();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new WorldRenderer().render(expected, 5), "jpeg", jpeg);
        JsonPath verdict = score("{\"task\":\"A-II\",\"prompt\":{\"index\":17,\"shots\":3},\"image\":\""
                + png(new WorldRenderer().render(expected, 5)) + "\"}");
        assertTrue(verdict.getBoolean("correct"), verdict.prettify());
        assertEquals(expected.subjectId(), verdict.getString("expected.subject"));
        assertEquals(expected.subjectId(), verdict.getString("expected.x"), "type II: x is the subject");
        JsonPath fromJpeg = score("{\"task\":\"A-II\",\"prompt\":{\"index\":17,\"shots\":3},\"image\":\""
                + Base64.getEncoder().encodeToString(jpeg.toByteArray()) + "\"}");
        assertEquals(expected.subjectId(), fromJpeg.getString("expected.subject"));
    }

    static Stream<Arguments> corpus() {
        String ok = "\"task\":\"C-I\",\"expected\":{\"x\":\"red\",\"theta\":\"car\"}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"task\":", 400, "body"),
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("wrong top-level type", "\"score me\"", 400, "body"),
                Arguments.of("unknown field", "{" + ok + ",\"img\":\"x\"}", 400, "img"),
                Arguments.of("unknown task", "{\"task\":\"Z-I\",\"expected\":{\"x\":\"red\",\"theta\":\"car\"},"
                        + "\"image\":\"" + RED_CAR + "\"}", 400, "task"),
                Arguments.of("task missing", "{\"expected\":{\"x\":\"red\",\"theta\":\"car\"},\"image\":\"" + RED_CAR
                        + "\"}", 400, "task"),
                Arguments.of("task a fraction", "{\"task\":1.5,\"image\":\"x\"}", 400, "task"),
                Arguments.of("task a boolean", "{\"task\":true,\"image\":\"x\"}", 400, "task"),
                Arguments.of("task number out of range", "{\"task\":0,\"expected\":{\"x\":\"red\",\"theta\":"
                        + "\"car\"},\"image\":\"" + RED_CAR + "\"}", 400, "task"),
                Arguments.of("image URL-safe base64", "{" + ok + ",\"image\":\"" + RED_CAR.replace('+', '-')
                        .replace('/', '_') + "\"}", 400, "image"),
                Arguments.of("x not in the list", "{\"task\":\"C-I\",\"expected\":{\"x\":\"car\",\"theta\":\"car\"},"
                        + "\"image\":\"" + RED_CAR + "\"}", 400, "expected.x"),
                Arguments.of("theta missing", "{\"task\":\"C-I\",\"expected\":{\"x\":\"red\"},\"image\":\"" + RED_CAR
                        + "\"}", 400, "expected.theta"),
                Arguments.of("both expected and prompt", "{" + ok + ",\"prompt\":{\"index\":0,\"shots\":2},"
                        + "\"image\":\"" + RED_CAR + "\"}", 400, "expected|prompt"),
                Arguments.of("neither expected nor prompt", "{\"task\":\"C-I\",\"image\":\"" + RED_CAR + "\"}", 400,
                        "expected|prompt"),
                Arguments.of("too many shots", "{\"task\":\"C-I\",\"prompt\":{\"index\":0,\"shots\":9},\"image\":\""
                        + RED_CAR + "\"}", 400, "prompt.shots"),
                Arguments.of("zero shots", "{\"task\":\"C-I\",\"prompt\":{\"index\":0,\"shots\":0},\"image\":\""
                        + RED_CAR + "\"}", 400, "prompt.shots"),
                Arguments.of("ft_test allows 4 shots only", "{\"task\":\"C-I\",\"prompt\":{\"index\":0,\"shots\":6,"
                        + "\"split\":\"ft_test\"},\"image\":\"" + RED_CAR + "\"}", 400, "prompt.shots"),
                Arguments.of("prompt index out of range", "{\"task\":\"C-I\",\"prompt\":{\"index\":1000,\"shots\":2},"
                        + "\"image\":\"" + RED_CAR + "\"}", 400, "prompt.index"),
                Arguments.of("unknown split", "{\"task\":\"C-I\",\"prompt\":{\"index\":1,\"shots\":2,\"split\":\"x\"},"
                        + "\"image\":\"" + RED_CAR + "\"}", 400, "prompt.split"),
                Arguments.of("image missing", "{" + ok + "}", 400, "image"),
                Arguments.of("image empty", "{" + ok + ",\"image\":\"\"}", 400, "image"),
                Arguments.of("image garbage base64", "{" + ok + ",\"image\":\"%%%%\"}", 400, "image"),
                Arguments.of("image truncated PNG", "{" + ok + ",\"image\":\"" + Base64.getEncoder().encodeToString(
                        java.util.Arrays.copyOf(Base64.getDecoder().decode(RED_CAR), 60)) + "\"}", 400, "image"),
                Arguments.of("PNG header claiming huge dimensions", "{" + ok + ",\"image\":\"" + FunctionTests.hugePngHeader()
                        + "\"}", 413, "image"),
                Arguments.of("GIF", "{" + ok + ",\"image\":\"" + Base64.getEncoder().encodeToString(
                        "GIF89a\u0001\u0000\u0001\u0000".getBytes()) + "\"}", 415, "image"),
                Arguments.of("text instead of an image", "{" + ok + ",\"image\":\"" + Base64.getEncoder()
                        .encodeToString("hello world".getBytes()) + "\"}", 415, "image"),
                Arguments.of("image too many bytes", "{" + ok + ",\"image\":\"" + "A".repeat(2_000_000) + "\"}", 413,
                        "image"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badInputIsRefusedWithAClearMessage(String name, String body, int status, String field) {
        FunctionTests.assertRefusedClearly("/score", name, body, status, field);
    }

    @Test
    void anIntegerTaskIdIsTheSameTaskAsItsStringAndName() {
        String expected = ",\"expected\":{\"x\":\"red\",\"theta\":\"car\"},\"image\":\"" + RED_CAR + "\"}";
        JsonPath byName = score("{\"task\":\"C-I\"" + expected);
        for (String task : List.of("1", "\"1\"", "\"COLOR_I\"")) {
            JsonPath other = score("{\"task\":" + task + expected);
            assertEquals("C-I", other.getString("task"), task);
            assertEquals(byName.getDouble("attribute.probability"), other.getDouble("attribute.probability"), task);
        }
    }

    @Test
    void anImageInLinesOrAsADataUrlIsTheSameImage() {
        String expected = "{\"task\":\"C-I\",\"expected\":{\"x\":\"red\",\"theta\":\"car\"},\"image\":\"";
        JsonPath plain = score(expected + RED_CAR + "\"}");
        String lines = RED_CAR.replaceAll("(.{76})", "$1\\\\r\\\\n");
        for (String image : List.of("data:image/png;base64," + RED_CAR, lines)) {
            JsonPath other = score(expected + image + "\"}");
            assertEquals(plain.getDouble("attribute.probability"), other.getDouble("attribute.probability"));
            assertEquals(plain.getDouble("subject.probability"), other.getDouble("subject.probability"));
        }
    }

    @Test
    void getIsNotAllowed() {
        given().get("/score").then().statusCode(405);
    }
}
