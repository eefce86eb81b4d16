package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The CoBSAT benchmark on the shipped models, split into shards that write their results to a real S3 server
 * (S3Proxy, in memory): the merged report is the unsharded run's, figure for figure.
 */
@QuarkusMainTest
class CobsatShardingTest {

    private static final String BUCKET = "cobsat-results";
    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";
    /** The app reads these at every launch; the store is the shipped one, results go to the S3 server. */
    private static final Map<String, String> CONFIG_KEYS = Map.of(
            "thinkdiff.store.local.root", "../models",
            "thinkdiff.store.s3.access-key", ACCESS_KEY,
            "thinkdiff.store.s3.secret-key", SECRET_KEY);
    /**
     * 2 tasks × 3 prompts and 4 control images in batches of 2: six units (two control batches, two batches per
     * task, one of them short), two per shard.
     */
    private static final List<String> SUBSET = List.of("evaluate", "cobsat", "--tasks", "C-I,B-II", "--shots", "2",
            "--prompts", "3", "--control", "4", "--batch", "2", "--variants", "faithful", "--gallery", "1");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TransientNio2BlobStore memory;
    private static S3Proxy s3;

    @BeforeAll
    static void startS3() throws Exception {
        memory = new TransientNio2BlobStore();
        memory.createContainer(BUCKET);
        s3 = S3Proxy.builder()
                .blobStore(memory)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3.start();
        CONFIG_KEYS.forEach(System::setProperty);
        System.setProperty("thinkdiff.store.s3.endpoint", "http://127.0.0.1:" + s3.getPort());
    }

    @AfterAll
    static void stopS3() throws Exception {
        CONFIG_KEYS.keySet().forEach(System::clearProperty);
        System.clearProperty("thinkdiff.store.s3.endpoint");
        s3.stop();
    }

    @Test
    void threeShardsOneRetriedMergeIntoTheUnshardedReport(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        Path whole = dir.resolve("whole");
        succeed(launcher, SUBSET, "--out", whole.toString());

        String results = "s3://" + BUCKET + "/run-1";
        for (int shard = 0; shard < 3; shard++) {
            succeed(launcher, SUBSET, "--shard-index", String.valueOf(shard), "--shard-count", "3",
                    "--results", results);
        }
        JsonNode firstAttempt = withoutSeconds(object("run-1/shard-0001-of-0003.json"));
        // Units: control 0..1, control 2..3, C-I 0..1, C-I 2, B-II 0..1, B-II 2; shard 1 takes the 2nd and the 5th.
        assertEquals(List.of(2, 3), firstAttempt.findValues("image").stream().map(JsonNode::asInt).toList());
        List<String> episodes = new ArrayList<>();
        firstAttempt.get("episodes").forEach(e -> episodes.add(e.get("task").asText() + " " + e.get("prompt")));
        assertEquals(List.of("BACKGROUND_II 0", "BACKGROUND_II 1"), episodes);
        succeed(launcher, SUBSET, "--shard-index", "1", "--shard-count", "3", "--results", results);
        assertEquals(firstAttempt, withoutSeconds(object("run-1/shard-0001-of-0003.json")),
                "a retried shard writes the same outcomes");
        assertEquals(List.of("run-1/shard-0000-of-0003.json", "run-1/shard-0001-of-0003.json",
                "run-1/shard-0002-of-0003.json"), objectNames());

        Path merged = dir.resolve("merged");
        succeed(launcher, List.of("evaluate", "cobsat-aggregate", "--results", results), "--out", merged.toString());
        assertEquals(Files.readString(whole.resolve("tables.md")), Files.readString(merged.resolve("tables.md")));
        JsonNode report = withoutSeconds(JSON.readTree(whole.resolve("report.json").toFile()));
        assertEquals(report, withoutSeconds(JSON.readTree(merged.resolve("report.json").toFile())));
        assertEquals(List.of("thinkdiff", "two-stage", "faithful", "text-only"),
                fieldNames(report.get("methods")));
        assertEquals(3, report.at("/methods/thinkdiff/2-shot/C-I/n").asInt());
        assertEquals(List.of("thinkdiff", "two-stage", "faithful"), fieldNames(report.get("single_image_control")));
        assertTrue(Files.exists(whole.resolve("gallery.html")));
        assertTrue(Files.exists(whole.resolve(GalleryFigure.FILE)));
        assertFalse(Files.exists(merged.resolve("gallery.html")), "shards keep no gallery");
    }

    @Test
    void aControlOnlyRunOnModelTrainingRendersAndTheRmsNormCurves(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("tuning");
        succeed(launcher, List.of("evaluate", "cobsat", "--prompts", "0", "--control", "2", "--image-range",
                "MODEL_TRAINING", "--no-baselines", "--variants", "faithful,norm-ones,no-norm,reconstruction"),
                "--out", out.toString());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("MODEL_TRAINING", report.get("image_range").asText());
        assertEquals(List.of("thinkdiff", "faithful", "norm-ones", "no-norm", "reconstruction"),
                fieldNames(report.get("single_image_control")));
        assertTrue(report.at("/models/aligner-reconstruction").isTextual(), "the baseline's version is reported");
        JsonNode byTheme = report.at("/single_image_control_by_theme/thinkdiff");
        assertTrue(byTheme.size() >= 1 && byTheme.size() <= 2, "the themes of the two images: " + byTheme);
        assertFalse(Files.readString(out.resolve("tables.md")).contains("### thinkdiff"), "no episodes ran");
        assertTrue(Files.size(out.resolve(CobsatReport.NORM_ABLATION_FILE)) > 1000, "Fig. 7 from published losses");
    }

    @Test
    void aDevelopmentRunDrawsEpisodesFromModelTrainingRendersAtTheGivenGuidanceAndDecoding(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws Exception {
        Path out = dir.resolve("development");
        succeed(launcher, List.of("evaluate", "cobsat", "--tasks", "C-I", "--shots", "2", "--first", "500",
                "--prompts", "1", "--control", "0", "--image-range", "MODEL_TRAINING", "--guidance", "4.5",
                "--variants", "none", "--no-baselines", "--gallery", "0", "--query-contrast", "0.5"), "--out",
                out.toString());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("MODEL_TRAINING", report.get("image_range").asText());
        assertEquals("4.5", report.get("guidance").asText());
        assertEquals(0.5, report.get("query_contrast").asDouble(), 0);
        assertEquals(List.of("thinkdiff"), fieldNames(report.get("methods")));
        assertEquals(1, report.at("/methods/thinkdiff/2-shot/C-I/n").asInt());
        assertTrue(Files.readString(out.resolve("tables.md")).contains("MODEL_TRAINING-range images, guidance 4.5, "
                + "VLM query contrast 0.50"));
    }

    @Test
    void aggregationRefusesAMissingShard(QuarkusMainLauncher launcher, @TempDir Path dir) {
        List<String> oneEpisode = List.of("evaluate", "cobsat", "--tasks", "C-I", "--shots", "2", "--prompts", "1",
                "--control", "0", "--no-baselines", "--variants", "faithful");
        LaunchResult noResults = launcher.launch(args(oneEpisode, "--shard-index", "0", "--shard-count", "3"));
        assertNotEquals(0, noResults.exitCode());
        assertTrue(noResults.getErrorOutput().contains("a shard writes its results to --results"),
                noResults.getErrorOutput());

        Path results = dir.resolve("results");
        for (String shard : List.of("0", "2")) {
            succeed(launcher, oneEpisode, "--shard-index", shard, "--shard-count", "3", "--results",
                    results.toString());
        }
        LaunchResult aggregated = launcher.launch("evaluate", "cobsat-aggregate", "--results", results.toString(),
                "--out", dir.resolve("report").toString());
        assertNotEquals(0, aggregated.exitCode());
        assertTrue(aggregated.getErrorOutput().contains("error: 1 of 3 shards missing in " + results
                + ": shard-0001-of-0003.json"), aggregated.getErrorOutput());
        assertFalse(Files.exists(dir.resolve("report")));
    }

    private static void succeed(QuarkusMainLauncher launcher, List<String> command, String... more) {
        LaunchResult result = launcher.launch(args(command, more));
        assertEquals(0, result.exitCode(), result.getErrorOutput());
    }

    private static String[] args(List<String> command, String... more) {
        return Stream.concat(command.stream(), Stream.of(more)).toArray(String[]::new);
    }

    private static JsonNode object(String key) throws IOException {
        try (InputStream in = memory.getBlob(GetObjectRequest.builder().bucket(BUCKET).key(key).build())) {
            return JSON.readTree(in);
        }
    }

    private static List<String> objectNames() {
        return memory.list(ListObjectsV2Request.builder().bucket(BUCKET).build()).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private static JsonNode withoutSeconds(JsonNode report) {
        ((ObjectNode) report).remove("seconds");
        return report;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
