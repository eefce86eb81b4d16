package dev.thinkdiff.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.job.FunctionProcess;
import dev.thinkdiff.job.FunctionProcess.Function;
import dev.thinkdiff.job.PlaygroundServer;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground page in a real browser (Debian's chromium through chromium-driver, headless), in front of the three
 * functions as processes on the shipped models: a CoBSAT prompt clicked through end to end, and a dropped image with
 * typed words. On CI the browser must be there (.ci/run installs it); elsewhere the test is skipped without it.
 */
class PlaygroundPageTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = ROOT.resolve("src-test/target/playground");

    private static final List<FunctionProcess> FUNCTIONS = new ArrayList<>();
    private static PlaygroundServer page;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(ci || Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        Map<String, String> properties = new HashMap<>();
        properties.put("thinkdiff.store.local.root", ROOT.resolve("models").toString());
        properties.put("thinkdiff.store.cache-dir", ROOT.resolve("src-test/target/playground-cache").toString());
        properties.put("thinkdiff.serving.jobs.location", ROOT.resolve("src-test/target/playground-jobs").toString());
        properties.put("ai.djl.pytorch.num_threads", "1");
        properties.put("ai.djl.pytorch.num_interop_threads", "1");
        Map<String, URI> bases = new LinkedHashMap<>();
        for (Function function : Function.values()) {
            FunctionProcess process = FunctionProcess.start(ROOT, function, freePort(), properties,
                    ROOT.resolve("src-test/target/playground-logs/" + function.id() + ".log"));
            FUNCTIONS.add(process);
            bases.put(function.id(), process.base());
        }
        for (FunctionProcess process : FUNCTIONS) {
            process.awaitReady(Duration.ofMinutes(3));
        }
        page = PlaygroundServer.start(ROOT.resolve("functions/playground"), "127.0.0.1", 0, bases);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // a closed network: nothing the browser would fetch for itself, and a fresh profile
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (page != null) {
            page.close();
        }
        FUNCTIONS.forEach(FunctionProcess::close);
    }

    private static WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(browser, timeout, Duration.ofMillis(100));
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static void set(String id, String value) {
        WebElement input = byId(id);
        input.clear();
        input.sendKeys(value);
        ((JavascriptExecutor) browser).executeScript("arguments[0].dispatchEvent(new Event('change'))", input);
    }

    @Test
    void aCobsatPromptIsClickedThroughToTheImageAndTheVerdict() throws Exception {
        browser.get(page.address().toString());
        waiting(Duration.ofSeconds(30)).until(d -> new Select(byId("task")).getOptions().size() == 10);
        new Select(byId("task")).selectByValue(Task.ACTION_II.column());
        set("index", "0");
        set("shots", "2");
        waiting(Duration.ofSeconds(30)).until(d -> byId("expected").getText().equals("a lion reading")
                && d.findElements(By.cssSelector("#items img")).size() == 2);

        byId("generate").click();
        waiting(Duration.ofMinutes(2)).until(d -> !byId("answer").getText().isEmpty()
                && List.of("queued", "running").contains(d.findElement(By.cssSelector("#stage-decode .status"))
                        .getText()));
        screenshot("mid-use.png");
        waiting(Duration.ofMinutes(4)).until(d -> d.findElements(By.cssSelector(".verdict")).size() == 2
                || !byId("error").getText().isEmpty());
        screenshot("done.png");

        assertEquals("", byId("error").getText());
        assertEquals("create an image of a lion reading", byId("answer").getText(),
                "the VLM's answer (seed 7), as FunctionsEndToEndTest gets it over curl-like HTTP");
        List<WebElement> images = browser.findElements(By.cssSelector("#images figure img"));
        assertEquals(2, images.size());
        for (WebElement image : images) {
            assertEquals(64L, ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", image),
                    "a decoded 64×64 PNG");
        }
        List<String> captions = browser.findElements(By.cssSelector("figcaption")).stream().map(WebElement::getText)
                .toList();
        assertTrue(captions.get(0).startsWith("seed 11") && captions.get(1).startsWith("seed 12"), captions.toString());
        WebElement first = browser.findElements(By.cssSelector(".verdict")).get(0);
        assertTrue(first.getAttribute("class").contains("correct") && first.getText().startsWith("✓ correct"),
                "the judge's verdict on the image of seed 11: " + first.getText());
        for (String stage : List.of("encode", "decode", "score")) {
            assertEquals("done", browser.findElement(By.cssSelector("#stage-" + stage + " .status")).getText());
            assertTrue(browser.findElement(By.cssSelector("#stage-" + stage + " .time")).getText()
                    .matches("\\d+\\.\\d\\d s"), stage);
        }
        assertTrue(browser.findElement(By.cssSelector("#stage-encode .detail")).getText().contains("reason"));
        assertTrue(browser.findElement(By.cssSelector("#stage-decode .detail")).getText().contains("sample"));
    }

    @Test
    void droppedImagesAndTypedWordsAreDrawnWithoutAVerdict() throws Exception {
        browser.get(page.address().toString());
        waiting(Duration.ofSeconds(30)).until(d -> new Select(byId("task")).getOptions().size() == 10);
        byId("mode-own").click();
        Path png = SHOTS.resolve("red-car.png");
        Files.write(png, ImageInput.png(DiffusionPipeline.toImage(BenchmarkImages.render(Task.COLOR_I.cell(0, 0)))));
        byId("files").sendKeys(png.toString());
        waiting(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#items img")).size() == 1);
        byId("words").sendKeys(VlmPrompts.CAPTION_INSTRUCTION);
        byId("add-words").click();
        browser.findElement(By.cssSelector("details summary")).click();
        set("count", "1");
        byId("generate").click();
        waiting(Duration.ofMinutes(4)).until(d -> d.findElements(By.cssSelector("#images img")).size() == 1
                || !byId("error").getText().isEmpty());
        waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("#stage-score .status")).getText()
                .startsWith("skipped"));
        assertEquals("", byId("error").getText());
        assertFalse(byId("answer").getText().isEmpty(), "the VLM answered");
        assertTrue(browser.findElements(By.cssSelector(".verdict")).isEmpty());
    }

    private static void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
